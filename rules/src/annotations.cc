#include "referee/rules/annotations.h"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "referee/base/strings.h"

namespace referee::rules {
namespace {

// Longest prefixes first so "todoruleid:" is not read as "ruleid:".
constexpr std::array<std::pair<std::string_view, AnnotationKind>, 4> kPrefixes = {{
    {"todoruleid:", AnnotationKind::kTodoRuleId},
    {"todook:", AnnotationKind::kTodoOk},
    {"ruleid:", AnnotationKind::kRuleId},
    {"ok:", AnnotationKind::kOk},
}};

// Returns the annotations on one line (empty when it is not an annotation comment).
std::vector<Annotation> ParseLine(std::string_view line, std::string_view comment) {
  std::vector<Annotation> out;
  std::string_view text = StripWhitespace(line);
  if (!StartsWith(text, comment)) return out;
  text = StripWhitespace(text.substr(comment.size()));
  for (const auto& [prefix, kind] : kPrefixes) {
    if (!StartsWith(text, prefix)) continue;
    for (const std::string& id : StrSplit(text.substr(prefix.size()), ',')) {
      std::string_view trimmed = StripWhitespace(id);
      if (!trimmed.empty()) out.push_back(Annotation{kind, std::string(trimmed), 0, 0});
    }
    break;
  }
  return out;
}

}  // namespace

std::string_view AnnotationKindName(AnnotationKind kind) {
  for (const auto& [prefix, k] : kPrefixes) {
    if (k == kind) return prefix.substr(0, prefix.size() - 1);
  }
  return "ruleid";
}

std::vector<Annotation> ParseAnnotations(std::string_view source, Language language) {
  std::string_view comment = language == Language::kPython ? "#" : "//";
  std::vector<Annotation> out;
  size_t pending = 0;  // annotations in `out` still waiting for their target line
  std::vector<std::string> lines = StrSplit(source, '\n');
  if (!lines.empty() && lines.back().empty()) lines.pop_back();  // the final newline
  for (size_t i = 0; i < lines.size(); ++i) {
    int line_no = int(i) + 1;
    std::vector<Annotation> here = ParseLine(lines[i], comment);
    if (!here.empty()) {
      for (Annotation& a : here) {
        a.comment_line = line_no;
        out.push_back(std::move(a));
        ++pending;
      }
      continue;
    }
    for (size_t k = out.size() - pending; k < out.size(); ++k) out[k].target_line = line_no;
    pending = 0;
  }
  return out;
}

RuleTestResult EvaluateRuleTest(const std::string& rule_id,
                                const std::vector<Annotation>& annotations,
                                const std::vector<Finding>& findings) {
  RuleTestResult result;
  result.rule_id = rule_id;
  std::set<int> flagged;
  for (const Finding& f : findings) {
    if (f.rule_id == rule_id) flagged.insert(f.line);
  }
  std::set<int> expected, todo_ok;
  for (const Annotation& a : annotations) {
    if (a.rule_id != rule_id || a.target_line == 0) continue;
    bool hit = flagged.count(a.target_line) > 0;
    switch (a.kind) {
      case AnnotationKind::kRuleId:
        expected.insert(a.target_line);
        if (!hit) result.missed.push_back(a.target_line);
        break;
      case AnnotationKind::kTodoRuleId:
        expected.insert(a.target_line);  // a flagged todoruleid line is not unexpected
        (hit ? result.todo_flagged : result.todo_missed).push_back(a.target_line);
        break;
      case AnnotationKind::kTodoOk:
        todo_ok.insert(a.target_line);
        if (hit) result.todo_ok_flagged.push_back(a.target_line);
        break;
      case AnnotationKind::kOk:
        break;
    }
  }
  for (int line : flagged) {
    if (!expected.count(line) && !todo_ok.count(line)) result.unexpected.push_back(line);
  }
  return result;
}

}  // namespace referee::rules
