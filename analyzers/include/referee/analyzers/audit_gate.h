// The audit as a library call with its verdict rule (issue #12): the rule set (bundled rules
// plus extra directories) loaded and compiled once, the analyzers prepared once, then any number
// of audits, each ending in a verdict by --fail-on. The CLI's `referee audit` and the search's
// audit stage call this; the harness never links it (it needs LLVM), so it stays optional for
// callers built without the analyzers.
//
//   AuditGateConfig config;
//   config.fail_on = rules::Severity::kWarning;
//   config.analyzer.audit_config = "task/referee.yaml";       // trusted: from the task, never
//                                                              // from the candidate's tree
//   Expected<std::unique_ptr<AuditGate>> gate = AuditGate::Create(config);
//   AuditVerdict v = (*gate)->Audit({"candidate/"}, AuditOptions{.jobs = 2});
//   if (v.outcome == AuditOutcome::kFindings) ... reject before building or running anything
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <tuple>
#include <string>
#include <vector>

#include "referee/analyzers/analyzer.h"
#include "referee/analyzers/audit.h"
#include "referee/base/expected.h"
#include "referee/rules/finding.h"
#include "referee/rules/rule.h"

namespace referee::analyzers {

struct AuditGateConfig {
  std::vector<std::string> rule_dirs;  // added to the bundled rules
  bool bundled_rules = true;           // false: only rule_dirs (rule development)
  rules::Severity fail_on = rules::Severity::kWarning;
  AnalyzerOptions analyzer;            // toolkit, compile commands, the trusted referee.yaml
  // An earlier audit's JSON report: findings it holds do not count (listed as suppressed).
  // One inside the audited tree is refused unless the trusted config allows it.
  std::string baseline;
};

// Worst first: an internal error outranks an input error, which outranks findings.
enum class AuditOutcome { kClean, kFindings, kInputError, kInternalError };
const char* AuditOutcomeName(AuditOutcome outcome);

struct AuditVerdict {
  AuditRun run;  // files, findings (sorted), run errors; rule errors first in run.result.errors
  AuditOutcome outcome = AuditOutcome::kClean;
  int by_severity[3] = {0, 0, 0};  // findings per rules::Severity
  int file_errors = 0;
  int skipped = 0;
  int suppressed = 0;  // inline or baseline: listed, not counted
};

class AuditGate final {
 public:
  // Loads and compiles the rules; malformed rules are kept as rule_errors() (every audit then
  // ends kInputError, as the CLI always did: a broken rule set is not a clean audit). A
  // config naming a missing directory or unreadable referee.yaml is an error here.
  static Expected<std::unique_ptr<AuditGate>> Create(AuditGateConfig config);

  // Audits files and directories (recursively). Safe to call from several threads.
  AuditVerdict Audit(const std::vector<std::string>& paths, const AuditOptions& options) const;

  const rules::RuleSet& rules() const { return rules_; }
  const std::vector<Status>& rule_errors() const { return rule_errors_; }
  // RuleSetHash() of the loaded rules.
  const std::string& rule_set_hash() const { return rule_set_hash_; }
  const AuditGateConfig& config() const { return config_; }
  const std::vector<Analyzer*>& analyzers() const { return analyzers_.all; }

 private:
  AuditGate() = default;

  Status CheckBaselinePlace(const std::vector<std::string>& paths, const std::string& cwd) const;

  AuditGateConfig config_;
  bool allow_suppressions_ = false;      // from the trusted --config
  bool allow_baseline_in_tree_ = false;  // from the trusted --config
  std::optional<std::map<std::tuple<std::string, std::string, std::string>, int>> baseline_;
  rules::RuleSet rules_;
  std::vector<Status> rule_errors_;
  std::string rule_set_hash_;
  BuiltInAnalyzers analyzers_;
};

// The rule directories as reports name them: `base` made relative to `cwd` when under it (so
// rule errors read `rules/cpp/...`), then `extra`.
std::vector<std::string> RuleDirsFor(const std::vector<std::string>& base,
                                     const std::vector<std::string>& extra,
                                     const std::string& cwd);

// The hash of the bundled rule set ("" when it cannot be loaded): what a report of a judge run
// without an audit names as the rules this referee carried.
std::string BundledRuleSetHash();

}  // namespace referee::analyzers
