// Rule-test annotations (Semgrep's convention, docs/rules.md): in a rule's test source, a comment
// on the line before a case names the rules expected there:
//
//   // ruleid: output-caching-pointer-key      <- the next code line must be flagged
//   // ok: output-caching-pointer-key          <- the next code line must not be flagged
//   # todoruleid: x / # todook: x              <- known gaps: reported, never failing
//
// Several ids may be given comma-separated; stacked annotation lines all apply to the next
// non-annotation line.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "referee/rules/finding.h"
#include "referee/rules/rule.h"

namespace referee::rules {

enum class AnnotationKind { kRuleId, kOk, kTodoRuleId, kTodoOk };
std::string_view AnnotationKindName(AnnotationKind kind);  // "ruleid", "ok", ...

struct Annotation {
  AnnotationKind kind = AnnotationKind::kRuleId;
  std::string rule_id;
  int comment_line = 0;  // 1-based line of the comment
  int target_line = 0;   // 1-based line the annotation is about; 0 when none follows
};

// `//` comments for C, C++ and CUDA; `#` for Python.
std::vector<Annotation> ParseAnnotations(std::string_view source, Language language);

// The outcome of one rule on its test source.
struct RuleTestResult {
  std::string rule_id;
  std::vector<int> missed;           // ruleid lines with no finding of the rule
  std::vector<int> unexpected;       // findings of the rule on lines without a ruleid annotation
  std::vector<int> todo_missed;      // todoruleid lines still not flagged (known gaps)
  std::vector<int> todo_flagged;     // todoruleid lines now flagged (the gap is closed)
  std::vector<int> todo_ok_flagged;  // todook lines flagged (known false positives)
  std::vector<std::string> errors;   // e.g. no annotations, no analyzer, a pattern error
  bool passed() const { return missed.empty() && unexpected.empty() && errors.empty(); }
};

// Compares the findings of `rule_id` (findings of other rules are ignored) with the annotations.
RuleTestResult EvaluateRuleTest(const std::string& rule_id,
                                const std::vector<Annotation>& annotations,
                                const std::vector<Finding>& findings);

}  // namespace referee::rules
