// Helpers for the Clang analyzer tests: rules built in code and one-call analysis.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "referee/analyzers/clang_analyzer.h"

namespace referee::analyzers::testing {

inline rules::Rule MatcherRule(const std::string& id, const std::string& matcher,
                               const std::string& bind = "") {
  rules::Rule rule;
  rule.id = id;
  rule.title = id;
  rule.category = rules::Category::kTiming;
  rule.severity = rules::Severity::kWarning;
  rule.languages = {rules::Language::kCpp, rules::Language::kCuda};
  rule.message = "message of " + id;
  rule.matcher = matcher;
  rule.bind = bind;
  rule.source_path = "rules/cpp/timing/" + id + ".yaml";
  rule.pattern_pos = {10, 10};
  return rule;
}

inline rules::Rule CheckRule(const std::string& id, const std::string& check) {
  rules::Rule rule = MatcherRule(id, "");
  rule.check = check;
  return rule;
}

inline SourceFile Source(const std::string& path, const std::string& content,
                         rules::Language language = rules::Language::kCuda) {
  SourceFile file;
  file.path = path;
  file.display_path = path;
  file.content = content;
  file.language = language;
  return file;
}

// Prepares a fresh analyzer with `rules` and analyses one file.
inline AnalysisOutput AnalyzeWith(const rules::RuleSet& rules, const SourceFile& file,
                                  const AnalyzerOptions& options = {}) {
  std::unique_ptr<Analyzer> analyzer = MakeClangAnalyzer(options);
  std::vector<Status> errors = analyzer->Prepare(rules);
  for (const Status& e : errors) ADD_FAILURE() << e.ToString();
  return analyzer->Analyze(file, rules);
}

inline std::vector<int> Lines(const AnalysisOutput& out, const std::string& rule_id = "") {
  std::vector<int> lines;
  for (const rules::Finding& f : out.findings) {
    if (rule_id.empty() || f.rule_id == rule_id) lines.push_back(f.line);
  }
  return lines;
}

}  // namespace referee::analyzers::testing
