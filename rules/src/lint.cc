#include "referee/rules/lint.h"

#include <unistd.h>

#include <array>
#include <string_view>

#include "loader_internal.h"
#include "referee/base/file.h"
#include "referee/base/strings.h"
#include "referee/rules/annotations.h"
#include "referee/rules/language.h"

namespace referee::rules {
namespace {

std::string DirName(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

void LintTestFile(const Rule& rule, const RuleSet& rules, std::vector<Status>* problems) {
  SourceLoc rule_loc{rule.source_path, 1, 1};
  std::optional<std::string> test = FindRuleTestFile(rule);
  if (!test) {
    problems->push_back(InvalidArgumentError(
        StrFormat("no test source beside the rule (expected %s.cu, .cpp, .cc or .py) [%s]",
                  rule.id.c_str(), rule.id.c_str()),
        rule_loc));
    return;
  }
  Language lang = *LanguageForPath(*test);
  if (!rule.AppliesTo(lang) && !(lang == Language::kCpp && rule.AppliesTo(Language::kCuda))) {
    problems->push_back(InvalidArgumentError(
        StrFormat("test source is %.*s but the rule's languages do not include it [%s]",
                  int(LanguageName(lang).size()), LanguageName(lang).data(), rule.id.c_str()),
        SourceLoc{*test, 1, 1}));
  }
  Expected<std::string> text = ReadFile(*test);
  if (!text) {
    problems->push_back(text.error().WithLoc(SourceLoc{*test, 0, 0}));
    return;
  }
  int ruleid = 0, ok = 0;
  for (const Annotation& a : ParseAnnotations(*text, lang)) {
    if (rules.Find(a.rule_id) == nullptr) {
      problems->push_back(
          InvalidArgumentError(StrFormat("annotation names unknown rule '%s'", a.rule_id.c_str()),
                               SourceLoc{*test, a.comment_line, 1}));
    } else if (a.target_line == 0) {
      problems->push_back(
          InvalidArgumentError(StrFormat("annotation '%.*s: %s' has no line after it",
                                         int(AnnotationKindName(a.kind).size()),
                                         AnnotationKindName(a.kind).data(), a.rule_id.c_str()),
                               SourceLoc{*test, a.comment_line, 1}));
    }
    if (a.rule_id != rule.id) continue;
    ruleid += a.kind == AnnotationKind::kRuleId;
    ok += a.kind == AnnotationKind::kOk;
  }
  if (ruleid == 0 || ok == 0) {
    problems->push_back(InvalidArgumentError(
        StrFormat("test source needs at least one 'ruleid: %s' and one 'ok: %s' case "
                  "(has %d and %d) [%s]",
                  rule.id.c_str(), rule.id.c_str(), ruleid, ok, rule.id.c_str()),
        SourceLoc{*test, 1, 1}));
  }
}

}  // namespace

std::optional<std::string> FindRuleTestFile(const Rule& rule) {
  static constexpr std::array<std::string_view, 6> kExtensions = {".cu", ".cuh", ".cpp",
                                                                  ".cc", ".cxx", ".py"};
  std::string stem = DirName(rule.source_path) + "/" + rule.id;
  for (std::string_view ext : kExtensions) {
    std::string candidate = stem + std::string(ext);
    if (access(candidate.c_str(), R_OK) == 0) return candidate;
  }
  return std::nullopt;
}

std::vector<Status> LintRules(const RuleSet& rules) {
  std::vector<Status> problems;
  for (const Rule& rule : rules.rules) {
    SourceLoc rule_loc{rule.source_path, 1, 1};
    std::string dir = BaseName(DirName(rule.source_path));
    std::string_view category = CategoryName(rule.category);
    if (dir != category) {
      problems.push_back(InvalidArgumentError(
          StrFormat("rule of category '%.*s' is in directory '%s'; move it to .../%.*s/ [%s]",
                    int(category.size()), category.data(), dir.c_str(), int(category.size()),
                    category.data(), rule.id.c_str()),
          rule_loc));
    }
    LintTestFile(rule, rules, &problems);
  }
  return problems;
}

}  // namespace referee::rules
