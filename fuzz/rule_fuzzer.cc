// The rule loader (issue 20): a rule file's YAML, then its pattern compiled the way the audit
// compiles it — a Clang dynamic matcher (with its `let`s), or a tree-sitter query merged into a
// QuerySet with the bundled Python rules — and the linter's checks.
#include <cstdint>
#include <string>

#include "large_stack.h"
#include "referee/rules/lint.h"
#include "referee/rules/loader.h"
#ifdef REFEREE_HAVE_CLANG_ANALYZER
#include "clang/matcher_rules.h"
#endif
#ifdef REFEREE_HAVE_PYTHON_ANALYZER
#include "python/query_rule.h"
#endif

using namespace referee;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  analyzers::RunOnLargeStack([&] {
    Expected<rules::Rule> rule = rules::ParseRule(text, "");
    if (!rule) return;
    rules::RuleSet set;
    set.rules.push_back(*rule);
    (void)rules::LintRules(set);
#ifdef REFEREE_HAVE_CLANG_ANALYZER
    if (!rule->matcher.empty()) (void)analyzers::clang_internal::CompileMatcherRule(*rule);
#endif
#ifdef REFEREE_HAVE_PYTHON_ANALYZER
    if (!rule->query.empty()) {
      analyzers::python::QuerySet queries;
      (void)queries.Build(set.rules);
    }
#endif
  });
  return 0;
}
