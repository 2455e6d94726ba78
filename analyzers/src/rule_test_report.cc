// The text of `referee rules test`, one block per rule.
#include "referee/analyzers/audit.h"
#include "referee/base/strings.h"

namespace referee::analyzers {
namespace {

std::string Lines(const std::vector<int>& lines) {
  std::vector<std::string> parts;
  for (int l : lines) parts.push_back(std::to_string(l));
  return StrJoin(parts, ", ");
}

}  // namespace

std::string FormatRuleTestOutcome(const RuleTestOutcome& o, int verbosity) {
  const rules::RuleTestResult& r = o.result;
  if (!o.skipped.empty()) {
    return verbosity >= 1 ? "SKIP " + r.rule_id + ": " + o.skipped + "\n" : "";
  }
  bool pass = r.passed();
  std::string out;
  if (!pass || verbosity >= 1) out += (pass ? "PASS " : "FAIL ") + r.rule_id + "\n";
  for (const std::string& e : r.errors) out += "  " + e + "\n";
  for (int line : r.missed) {
    out += StrFormat("  %s:%d: missed: 'ruleid: %s' line not flagged\n", o.test_file.c_str(),
                     line, r.rule_id.c_str());
  }
  for (int line : r.unexpected) {
    out += StrFormat("  %s:%d: unexpected: flagged by %s without a 'ruleid' annotation\n",
                     o.test_file.c_str(), line, r.rule_id.c_str());
  }
  if (verbosity >= 1 && !r.todo_missed.empty()) {
    out += "  todo: known gaps on lines " + Lines(r.todo_missed) + "\n";
  }
  if (!r.todo_flagged.empty()) {
    out += "  todo: lines " + Lines(r.todo_flagged) + " now flagged; turn 'todoruleid' into 'ruleid'\n";
  }
  if (verbosity >= 1 && !r.todo_ok_flagged.empty()) {
    out += "  todo: known false positives on lines " + Lines(r.todo_ok_flagged) + "\n";
  }
  return out;
}

}  // namespace referee::analyzers
