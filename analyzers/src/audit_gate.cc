#include "referee/analyzers/audit_gate.h"

#include <filesystem>

#include "referee/base/strings.h"
#include "referee/rules/loader.h"
#ifdef REFEREE_HAVE_PYTHON_ANALYZER
#include "referee/analyzers/audit_config.h"
#endif

namespace referee::analyzers {
namespace {

namespace fs = std::filesystem;

Status CheckAnalyzerOptions(const AnalyzerOptions& o) {
  std::error_code ec;
  if (!o.cuda_path.empty() && !fs::is_directory(o.cuda_path, ec)) {
    return InvalidArgumentError("--cuda-path: no such directory", SourceLoc{o.cuda_path});
  }
  if (!o.compile_commands_dir.empty() && !fs::is_directory(o.compile_commands_dir, ec)) {
    return InvalidArgumentError("-p: no such directory", SourceLoc{o.compile_commands_dir});
  }
  if (!o.audit_config.empty()) {
#ifdef REFEREE_HAVE_PYTHON_ANALYZER
    return LoadAuditConfigFile(o.audit_config).error();
#else
    return InvalidArgumentError("--config: this build has no Python analyzer");
#endif
  }
  return OkStatus();
}

void Tally(AuditVerdict& v) {
  for (const rules::Finding& f : v.run.result.findings) ++v.by_severity[int(f.severity)];
  for (const rules::FileResult& f : v.run.result.files) {
    v.file_errors += f.status == rules::FileStatus::kError;
    v.skipped += f.status == rules::FileStatus::kSkipped;
  }
}

AuditOutcome Decide(const AuditVerdict& v, rules::Severity fail_on) {
  if (v.run.internal_error) return AuditOutcome::kInternalError;
  if (v.file_errors > 0 || !v.run.result.errors.empty()) return AuditOutcome::kInputError;
  for (int s = int(fail_on); s <= int(rules::Severity::kError); ++s) {
    if (v.by_severity[s] > 0) return AuditOutcome::kFindings;
  }
  return AuditOutcome::kClean;
}

}  // namespace

const char* AuditOutcomeName(AuditOutcome outcome) {
  switch (outcome) {
    case AuditOutcome::kClean: return "clean";
    case AuditOutcome::kFindings: return "findings";
    case AuditOutcome::kInputError: return "input-error";
    case AuditOutcome::kInternalError: return "internal-error";
  }
  return "internal-error";
}

std::vector<std::string> RuleDirsFor(const std::vector<std::string>& base,
                                     const std::vector<std::string>& extra,
                                     const std::string& cwd) {
  std::vector<std::string> dirs;
  for (const std::string& dir : base) {
    fs::path rel = fs::path(dir).lexically_relative(cwd);
    bool under = !cwd.empty() && !rel.empty() && *rel.begin() != "..";
    dirs.push_back(under ? rel.string() : dir);
  }
  dirs.insert(dirs.end(), extra.begin(), extra.end());
  return dirs;
}

Expected<std::unique_ptr<AuditGate>> AuditGate::Create(AuditGateConfig config) {
  REFEREE_RETURN_IF_ERROR(CheckAnalyzerOptions(config.analyzer));
  std::unique_ptr<AuditGate> gate(new AuditGate());
  gate->config_ = std::move(config);
  std::error_code ec;
  std::string cwd = fs::current_path(ec).string();
  std::vector<std::string> base;
  if (gate->config_.bundled_rules) base = rules::BundledRuleDirs();
  rules::LoadResult loaded = rules::LoadRules(RuleDirsFor(base, gate->config_.rule_dirs, cwd));
  gate->rules_ = std::move(loaded.rules);
  gate->rule_errors_ = std::move(loaded.errors);
  gate->analyzers_ = MakeBuiltInAnalyzers(gate->config_.analyzer);
  for (Status& s : PrepareAnalyzers(gate->analyzers_.all, gate->rules_)) {
    gate->rule_errors_.push_back(std::move(s));
  }
  gate->rule_set_hash_ = rules::RuleSetHash(gate->rules_);
  return gate;
}

AuditVerdict AuditGate::Audit(const std::vector<std::string>& paths,
                              const AuditOptions& options) const {
  AuditVerdict v;
  v.run = RunAudit(paths, rules_, analyzers_.all, options);
  if (v.run.analyzed_files == 0 && !v.run.result.files.empty()) {
    bool any_error = false;
    for (const rules::FileResult& f : v.run.result.files) {
      any_error |= f.status == rules::FileStatus::kError;
    }
    if (!any_error) {
      v.run.result.errors.push_back(
          "referee: error: nothing to audit: no analyzer in this build handles the given files");
    }
  }
  std::vector<std::string> errors;
  for (const Status& s : rule_errors_) errors.push_back(s.ToString());
  v.run.result.errors.insert(v.run.result.errors.begin(), errors.begin(), errors.end());
  Tally(v);
  v.outcome = Decide(v, config_.fail_on);
  return v;
}

std::string BundledRuleSetHash() {
  rules::LoadResult loaded = rules::LoadRules(rules::BundledRuleDirs());
  if (!loaded.errors.empty()) return "";
  return rules::RuleSetHash(loaded.rules);
}

}  // namespace referee::analyzers
