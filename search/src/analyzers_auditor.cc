// The audit stage through rules/ and analyzers/ (only in builds with the analyzers).
#include <filesystem>

#include "referee/analyzers/audit.h"
#include "referee/base/file.h"
#include "referee/rules/loader.h"
#include "referee/search/auditor.h"
#include "referee/search/sha256.h"

namespace referee::search {
namespace {

class AnalyzersAuditor final : public Auditor {
 public:
  AnalyzersAuditor(rules::RuleSet rules, std::string hash)
      : rules_(std::move(rules)), hash_(std::move(hash)) {
    analyzers_ = analyzers::MakeBuiltInAnalyzers(analyzers::AnalyzerOptions{});
    prepare_errors_ = analyzers::PrepareAnalyzers(analyzers_.all, rules_);
  }
  std::string name() const override { return "analyzers"; }
  std::string RulesetHash() const override { return hash_; }

  Expected<AuditOutcome> Audit(const std::string& dir,
                               const std::vector<std::string>& files) override {
    std::vector<std::string> paths;
    for (const std::string& f : files) paths.push_back(dir + "/" + f);
    analyzers::AuditOptions opt;
    opt.jobs = 1;
    opt.cwd = dir;
    analyzers::AuditRun run = analyzers::RunAudit(paths, rules_, analyzers_.all, opt);
    if (run.internal_error) return InternalError("the analyzers failed on " + dir);
    AuditOutcome out;
    for (const rules::FileResult& f : run.result.files) {
      if (f.status == rules::FileStatus::kError) out.file_errors.push_back(f.error);
    }
    for (const rules::Finding& f : run.result.findings) {
      std::string file = f.path;
      if (file.rfind(dir + "/", 0) == 0) file = file.substr(dir.size() + 1);
      out.findings.push_back({f.rule_id, std::string(rules::SeverityName(f.severity)), file, f.line,
                              f.message, f.snippet});
    }
    return out;
  }

 private:
  rules::RuleSet rules_;
  std::string hash_;
  analyzers::BuiltInAnalyzers analyzers_;
  std::vector<Status> prepare_errors_;
};

// The content of every rule file, so that an edited, added or removed rule changes it.
Expected<std::string> HashRuleFiles(const std::vector<std::string>& dirs) {
  REFEREE_ASSIGN_OR_RETURN(std::vector<std::string> files, rules::FindRuleFiles(dirs));
  Sha256 h;
  for (const std::string& f : files) {
    REFEREE_ASSIGN_OR_RETURN(std::string text, ReadFile(f));
    h.Update(std::filesystem::path(f).filename().string());
    h.Update(text);
  }
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (uint8_t b : h.Finish()) {
    hex.push_back(kHex[b >> 4]);
    hex.push_back(kHex[b & 15]);
  }
  return hex.substr(0, 16);
}

}  // namespace

std::unique_ptr<Auditor> MakeAnalyzersAuditor(const std::vector<std::string>& rule_dirs,
                                              std::string* why) {
  std::vector<std::string> dirs = rule_dirs.empty() ? rules::BundledRuleDirs() : rule_dirs;
  Expected<std::string> hash = HashRuleFiles(dirs);
  if (!hash) {
    *why = hash.error().ToString();
    return nullptr;
  }
  rules::LoadResult loaded = rules::LoadRules(dirs, analyzers::BuiltInCheckNames());
  if (!loaded.errors.empty()) {
    *why = loaded.errors.front().ToString();
    return nullptr;
  }
  return std::make_unique<AnalyzersAuditor>(std::move(loaded.rules), *hash);
}

}  // namespace referee::search
