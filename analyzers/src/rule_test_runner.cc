// `referee rules test`: every rule on the annotated test source beside it (docs/rules.md).
// The test sources go through the same driver as an audit, so what passes here is what an
// audit reports.
#include <map>

#include "audit_internal.h"
#include "referee/analyzers/audit.h"
#include "referee/base/file.h"
#include "referee/base/strings.h"
#include "referee/rules/language.h"
#include "referee/rules/lint.h"

namespace referee::analyzers {
namespace {

// The rule ids each Prepare error is about, matched by the rule file it is located in.
std::map<std::string, std::vector<std::string>> ErrorsByRule(
    const rules::RuleSet& rules, const std::vector<Status>& prepare_errors) {
  std::map<std::string, std::vector<std::string>> out;
  for (const Status& s : prepare_errors) {
    for (const rules::Rule& r : rules.rules) {
      if (s.loc().file == r.source_path) out[r.id].push_back(s.ToString());
    }
  }
  return out;
}

void Evaluate(const rules::Rule& rule, const InputFile& input, const rules::FileResult& file,
              const std::vector<rules::Finding>& findings, RuleTestOutcome* outcome) {
  if (file.status == rules::FileStatus::kSkipped) {
    outcome->skipped = file.notes.empty() ? "skipped" : file.notes.front();
    return;
  }
  if (file.status == rules::FileStatus::kError) {
    outcome->result.errors.push_back(file.error);
    return;
  }
  Expected<std::string> text = ReadFile(input.path);
  if (!text) {
    outcome->result.errors.push_back(text.error().ToString());
    return;
  }
  std::vector<rules::Finding> own;
  for (const rules::Finding& f : findings) {
    if (f.path == input.display_path) own.push_back(f);
  }
  std::vector<std::string> errors = std::move(outcome->result.errors);
  outcome->result =
      rules::EvaluateRuleTest(rule.id, rules::ParseAnnotations(*text, input.language), own);
  outcome->result.errors = std::move(errors);
}

}  // namespace

std::vector<RuleTestOutcome> RunRuleTests(const rules::RuleSet& rules,
                                          const std::vector<Analyzer*>& analyzers,
                                          const std::vector<Status>& prepare_errors, int jobs) {
  std::vector<RuleTestOutcome> outcomes(rules.rules.size());
  std::vector<InputFile> inputs;
  std::vector<int> input_of(rules.rules.size(), -1);
  std::map<std::string, std::vector<std::string>> errors = ErrorsByRule(rules, prepare_errors);
  for (size_t i = 0; i < rules.rules.size(); ++i) {
    const rules::Rule& rule = rules.rules[i];
    outcomes[i].result.rule_id = rule.id;
    outcomes[i].result.errors = errors[rule.id];
    std::optional<std::string> test = rules::FindRuleTestFile(rule);
    if (!test) {
      outcomes[i].result.errors.push_back(rule.source_path +
                                          ": error: no test source beside "
                                          "the rule");
      continue;
    }
    outcomes[i].test_file = *test;
    input_of[i] = int(inputs.size());
    inputs.push_back(
        InputFile{*test, DisplayPath(*test, CurrentDir()), *rules::LanguageForPath(*test)});
  }
  AuditRun run = AnalyzeFiles(inputs, rules, analyzers, AuditOptions{jobs, false, ""});
  for (size_t i = 0; i < rules.rules.size(); ++i) {
    if (input_of[i] < 0) continue;
    Evaluate(rules.rules[i], inputs[input_of[i]], run.result.files[input_of[i]],
             run.result.findings, &outcomes[i]);
  }
  return outcomes;
}

}  // namespace referee::analyzers
