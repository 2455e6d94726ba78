// The audit stage through the analyzers' AuditGate (only in builds with the analyzers).
#include <filesystem>

#include "referee/analyzers/audit_gate.h"
#include "referee/search/auditor.h"

namespace referee::search {
namespace {

class AnalyzersAuditor final : public Auditor {
 public:
  explicit AnalyzersAuditor(std::unique_ptr<analyzers::AuditGate> gate) : gate_(std::move(gate)) {}
  std::string name() const override { return "analyzers"; }
  std::string RulesetHash() const override { return gate_->rule_set_hash(); }

  Expected<AuditOutcome> Audit(const std::string& dir,
                               const std::vector<std::string>& files) override {
    std::vector<std::string> paths;
    for (const std::string& f : files) paths.push_back(dir + "/" + f);
    analyzers::AuditOptions opt;
    opt.jobs = 1;
    opt.cwd = dir;
    analyzers::AuditVerdict v = gate_->Audit(paths, opt);
    if (v.outcome == analyzers::AuditOutcome::kInternalError) {
      return InternalError("the analyzers failed on " + dir);
    }
    AuditOutcome out;
    for (const rules::FileResult& f : v.run.result.files) {
      if (f.status == rules::FileStatus::kError) out.file_errors.push_back(f.error);
    }
    for (const rules::Finding& f : v.run.result.findings) {
      std::string file = f.path;
      if (file.rfind(dir + "/", 0) == 0) file = file.substr(dir.size() + 1);
      out.findings.push_back({f.rule_id, std::string(rules::SeverityName(f.severity)), file, f.line,
                              f.message, f.snippet});
    }
    return out;
  }

 private:
  std::unique_ptr<analyzers::AuditGate> gate_;
};

}  // namespace

std::unique_ptr<Auditor> MakeAnalyzersAuditor(const std::vector<std::string>& rule_dirs,
                                              const std::string& task_dir, std::string* why) {
  analyzers::AuditGateConfig config;
  config.rule_dirs = rule_dirs;
  config.bundled_rules = rule_dirs.empty();
  // The task's own referee.yaml is trusted (it comes from the task owner); a candidate's would
  // not be, and candidates never carry one here: only their program's files are audited.
  std::error_code ec;
  std::string yaml = task_dir + "/referee.yaml";
  if (!task_dir.empty() && std::filesystem::exists(yaml, ec)) config.analyzer.audit_config = yaml;
  Expected<std::unique_ptr<analyzers::AuditGate>> gate = analyzers::AuditGate::Create(config);
  if (!gate) {
    *why = gate.error().ToString();
    return nullptr;
  }
  if (!(*gate)->rule_errors().empty()) {
    *why = (*gate)->rule_errors().front().ToString();
    return nullptr;
  }
  return std::make_unique<AnalyzersAuditor>(std::move(*gate));
}

}  // namespace referee::search
