// The cascade's first stage: a static audit of a candidate's changed files against the rule
// set. The analyzers' adapter (rules/ + analyzers/, built only where LLVM is: the GPU machine
// builds without, REFEREE_HAVE_ANALYZERS) is one implementation; the pattern auditor (a rule
// = an id and a substring) serves unit tests. The rule set's hash is recorded in the journal:
// when it changes, the archive's incumbents are re-audited (search.h).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/search/program.h"

namespace referee::search {

struct AuditFinding {
  std::string rule_id;
  std::string severity;  // note | warning | error
  std::string file;
  int line = 0;
  std::string message;
  std::string snippet;  // the source line (identifies a finding across line shifts)
};

struct AuditOutcome {
  std::vector<AuditFinding> findings;
  std::vector<std::string> file_errors;  // files the analyzers could not read or parse
};

class Auditor {
 public:
  virtual ~Auditor() = default;
  virtual std::string name() const = 0;
  // Identifies the rule set's content (a change triggers the re-audit of incumbents).
  virtual std::string RulesetHash() const = 0;
  // Audits `files` of the program written under `dir`.
  virtual Expected<AuditOutcome> Audit(const std::string& dir,
                                       const std::vector<std::string>& files) = 0;
};

// The analyzers' AuditGate over `rule_dirs` (empty: the bundled rules), with the task's
// referee.yaml when it has one. nullptr with `why` when this build has no analyzers or the
// rules do not load (the audit stage is then skipped, and says why).
std::unique_ptr<Auditor> MakeAnalyzersAuditor(const std::vector<std::string>& rule_dirs,
                                              const std::string& task_dir, std::string* why);

struct PatternRule {
  std::string id;
  std::string pattern;  // a substring of a line
  std::string severity = "error";
};
std::unique_ptr<Auditor> MakePatternAuditor(std::vector<PatternRule> rules);

// Findings of `child` that `parent` does not have (same rule id and snippet text): what the
// change introduced. Findings the starting program already has are not the change's.
std::vector<AuditFinding> NewFindings(const AuditOutcome& parent, const AuditOutcome& child);

}  // namespace referee::search
