// The reward-hack rule model. Rules are data: one YAML file per rule under
// rules/<language>/<category>/<id>.yaml, loaded at run time (docs/rules.md).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "referee/base/expected.h"

namespace referee::rules {

enum class Severity { kNote = 0, kWarning = 1, kError = 2 };

// Exactly one per rule (issue #3).
enum class Category {
  kOutputCaching,
  kPersistentState,
  kTiming,
  kLazyOutput,
  kReferenceFallback,
  kHarnessTampering,
  kInputSpecialization,
  kInputMutation,
  kPrecision,
  kStaleMemory,
  kEvaluationTampering,
  kDataLeakage,
  kVarianceGaming,
  kEnvironment,
};

// kCpp covers C and C++ host code; kCuda is .cu/.cuh (host and device passes).
enum class Language { kCpp, kCuda, kPython };

// What the audited code is (issue 18): every audited file is candidate code, and the same
// mechanism can be an error in a kernel submission (spawning processes, opening sockets,
// `sudo nvidia-smi`) and routine in a training script. kOther: candidate code of neither kind
// (a helper module, a file whose role the task does not say).
enum class Context { kKernel, kTraining, kOther };

std::string_view SeverityName(Severity s);          // "note" | "warning" | "error"
std::optional<Severity> ParseSeverity(std::string_view s);
std::string_view CategoryName(Category c);          // "output-caching", ...
std::optional<Category> ParseCategory(std::string_view s);
const std::vector<Category>& AllCategories();
std::string_view LanguageName(Language l);          // "cpp" | "cuda" | "python"
std::optional<Language> ParseLanguage(std::string_view s);
std::string_view ContextName(Context c);            // "kernel" | "training" | "other"
std::optional<Context> ParseContext(std::string_view s);
const std::vector<Context>& AllContexts();

// Where a rule's pattern text starts in its YAML file, so pattern errors point into the file.
struct TextPos {
  int line = 0;
  int col = 0;
};

struct Rule {
  std::string id;  // kebab-case, equals the file's basename
  std::string title;
  Category category = Category::kEnvironment;
  Severity severity = Severity::kWarning;
  std::vector<Language> languages;
  // Severity per context (YAML `contexts: {kernel: error, training: off}`); a context not listed
  // uses `severity`, and nullopt (`off`) means the rule does not report in that context.
  std::map<Context, std::optional<Severity>> contexts;
  std::string message;
  std::string rationale;
  std::vector<std::string> references;

  // Exactly one pattern kind is set.
  // Clang: a dynamic AST-matcher expression; `let` holds named sub-matchers usable in it;
  // `bind` names the node reported (default "root": the whole match).
  std::string matcher;
  std::vector<std::pair<std::string, std::string>> let;
  std::string bind;
  // tree-sitter: a query over the Python grammar; `bind` names the capture reported.
  std::string query;
  // A built-in C++ check by name (clang-tidy style), when neither pattern can express it.
  std::string check;
  // Free-form options for the check or for Referee predicates (e.g. allowed calls).
  std::map<std::string, std::string> options;

  std::string source_path;  // the YAML file
  TextPos pattern_pos;      // start of matcher/query/check in that file
  std::vector<TextPos> let_pos;  // start of each `let` matcher text, parallel to `let`

  bool AppliesTo(Language l) const;
  // The severity of a finding in context `c`, or nullopt when the rule is off there.
  std::optional<Severity> SeverityIn(Context c) const;
};

struct RuleSet {
  std::vector<Rule> rules;
  const Rule* Find(std::string_view id) const;
};

}  // namespace referee::rules
