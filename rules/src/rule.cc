#include "referee/rules/rule.h"

#include <algorithm>
#include <array>
#include <utility>

#include "referee/rules/finding.h"

namespace referee::rules {
namespace {

constexpr std::array<std::pair<Category, std::string_view>, 14> kCategoryNames = {{
    {Category::kOutputCaching, "output-caching"},
    {Category::kPersistentState, "persistent-state"},
    {Category::kTiming, "timing"},
    {Category::kLazyOutput, "lazy-output"},
    {Category::kReferenceFallback, "reference-fallback"},
    {Category::kHarnessTampering, "harness-tampering"},
    {Category::kInputSpecialization, "input-specialization"},
    {Category::kInputMutation, "input-mutation"},
    {Category::kPrecision, "precision"},
    {Category::kStaleMemory, "stale-memory"},
    {Category::kEvaluationTampering, "evaluation-tampering"},
    {Category::kDataLeakage, "data-leakage"},
    {Category::kVarianceGaming, "variance-gaming"},
    {Category::kEnvironment, "environment"},
}};

}  // namespace

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kNote:
      return "note";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "warning";
}

std::optional<Severity> ParseSeverity(std::string_view s) {
  if (s == "note") return Severity::kNote;
  if (s == "warning") return Severity::kWarning;
  if (s == "error") return Severity::kError;
  return std::nullopt;
}

std::string_view CategoryName(Category c) {
  for (const auto& [cat, name] : kCategoryNames) {
    if (cat == c) return name;
  }
  return "environment";
}

std::optional<Category> ParseCategory(std::string_view s) {
  for (const auto& [cat, name] : kCategoryNames) {
    if (name == s) return cat;
  }
  return std::nullopt;
}

const std::vector<Category>& AllCategories() {
  static const std::vector<Category>* all = [] {
    auto* v = new std::vector<Category>;
    for (const auto& entry : kCategoryNames) v->push_back(entry.first);
    return v;
  }();
  return *all;
}

std::string_view ContextName(Context c) {
  switch (c) {
    case Context::kKernel:
      return "kernel";
    case Context::kTraining:
      return "training";
    case Context::kOther:
      return "other";
  }
  return "other";
}

std::optional<Context> ParseContext(std::string_view s) {
  for (Context c : AllContexts()) {
    if (ContextName(c) == s) return c;
  }
  return std::nullopt;
}

const std::vector<Context>& AllContexts() {
  static const std::vector<Context>* all =
      new std::vector<Context>{Context::kKernel, Context::kTraining, Context::kOther};
  return *all;
}

std::optional<Severity> Rule::SeverityIn(Context c) const {
  auto it = contexts.find(c);
  return it == contexts.end() ? std::optional<Severity>(severity) : it->second;
}

std::string_view LanguageName(Language l) {
  switch (l) {
    case Language::kCpp:
      return "cpp";
    case Language::kCuda:
      return "cuda";
    case Language::kPython:
      return "python";
  }
  return "cpp";
}

std::optional<Language> ParseLanguage(std::string_view s) {
  if (s == "cpp" || s == "c++") return Language::kCpp;
  if (s == "cuda") return Language::kCuda;
  if (s == "python") return Language::kPython;
  return std::nullopt;
}

bool Rule::AppliesTo(Language l) const {
  return std::find(languages.begin(), languages.end(), l) != languages.end();
}

const Rule* RuleSet::Find(std::string_view id) const {
  for (const Rule& r : rules) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

std::string_view FileStatusName(FileStatus s) {
  switch (s) {
    case FileStatus::kOk:
      return "ok";
    case FileStatus::kPartial:
      return "partial";
    case FileStatus::kError:
      return "error";
    case FileStatus::kSkipped:
      return "skipped";
  }
  return "ok";
}

void ApplyContext(const RuleSet& rules, Context context, std::vector<Finding>* findings) {
  std::vector<Finding> kept;
  kept.reserve(findings->size());
  for (Finding& f : *findings) {
    const Rule* rule = rules.Find(f.rule_id);
    if (rule != nullptr && !rule->contexts.empty()) {
      std::optional<Severity> severity = rule->SeverityIn(context);
      if (!severity) continue;
      f.severity = *severity;
    }
    kept.push_back(std::move(f));
  }
  *findings = std::move(kept);
}

void SortAndDeduplicate(std::vector<Finding>* findings) {
  auto key = [](const Finding& f) {
    return std::tie(f.path, f.line, f.column, f.rule_id, f.end_line, f.end_column);
  };
  std::sort(findings->begin(), findings->end(),
            [&](const Finding& a, const Finding& b) { return key(a) < key(b); });
  findings->erase(std::unique(findings->begin(), findings->end(),
                              [&](const Finding& a, const Finding& b) {
                                return a.path == b.path && a.line == b.line &&
                                       a.column == b.column && a.rule_id == b.rule_id;
                              }),
                  findings->end());
}

}  // namespace referee::rules
