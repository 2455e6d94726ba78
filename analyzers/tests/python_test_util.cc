#include "python_test_util.h"

#include <gtest/gtest.h>

#include "referee/analyzers/python_analyzer.h"

namespace referee::analyzers::testing {

rules::Rule PyQueryRule(const std::string& id, const std::string& query, const std::string& bind) {
  rules::Rule r;
  r.id = id;
  r.languages = {rules::Language::kPython};
  r.message = id + " found";
  r.query = query;
  r.bind = bind;
  r.source_path = id + ".yaml";
  r.pattern_pos = {5, 3};
  return r;
}

rules::Rule PyCheckRule(const std::string& id, const std::string& check) {
  rules::Rule r = PyQueryRule(id, "");
  r.check = check;
  return r;
}

AnalysisOutput AnalyzePy(const std::string& code, const std::vector<rules::Rule>& rules,
                         const AuditConfig* config, Analyzer* embedded, const std::string& path) {
  AuditConfig preset = *DefaultAuditConfig("autoresearch");
  std::unique_ptr<Analyzer> a =
      MakePythonAnalyzer(AnalyzerOptions{}, embedded, config ? *config : preset);
  rules::RuleSet set;
  set.rules = rules;
  std::vector<Status> errors = a->Prepare(set);
  for (const Status& e : errors) ADD_FAILURE() << e.ToString();
  SourceFile f;
  f.path = path;
  f.display_path = path;
  f.content = code;
  f.language = rules::Language::kPython;
  return a->Analyze(f, set);
}

std::vector<int> LinesOf(const AnalysisOutput& out, const std::string& rule_id) {
  std::vector<int> lines;
  for (const rules::Finding& f : out.findings) {
    if (f.rule_id == rule_id) lines.push_back(f.line);
  }
  return lines;
}

}  // namespace referee::analyzers::testing
