// Rules whose pattern is a dynamic AST-matcher expression (static-rules.md §2): parsed once by
// clang::ast_matchers::dynamic::Parser with the rule's `let` sub-matchers as named values, the
// root bound as "root", errors located in the rule's YAML file.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchersInternal.h"
#include "clang/finding_builder.h"
#include "referee/base/expected.h"
#include "referee/rules/rule.h"

namespace referee::analyzers::clang_internal {

struct CompiledMatcherRule {
  std::string id;
  std::optional<clang::ast_matchers::internal::DynTypedMatcher> matcher;  // always set
  std::string bind;  // the node reported; "root" when the rule names none
  // Rule option `allow`: comma-separated qualified callee names a match may call without being
  // reported (a per-task allow-list, e.g. "at::matmul,cublasGemmEx").
  std::set<std::string> allowed_callees;
};

// Parses and checks one rule. Errors read `rules/x.yaml:L:C: error: <parser message> [id]`.
Expected<CompiledMatcherRule> CompileMatcherRule(const rules::Rule& rule);

// Reports each match of one rule into a sink.
class MatcherRuleCallback final : public clang::ast_matchers::MatchFinder::MatchCallback {
 public:
  MatcherRuleCallback(const CompiledMatcherRule* compiled, const rules::Rule* rule,
                      FindingSink* sink)
      : compiled_(compiled), rule_(rule), sink_(sink) {}
  void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;

 private:
  const CompiledMatcherRule* compiled_;
  const rules::Rule* rule_;
  FindingSink* sink_;
};

}  // namespace referee::analyzers::clang_internal
