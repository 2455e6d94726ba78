// output-cache: results kept across calls and handed back instead of being computed
// (kernel-evaluators.md §7 #14, #15, #18): a static or global associative container whose values
// are tensors (keyed on pointers, shapes or call counts alike); a pointer-keyed static container
// (any key type) looked up with an input's data pointer; a static pointer or tensor compared with a
// non-null value (the "same input as last time" test); a static tensor (or an element of a
// static container of tensors) returned, also through clone()/view()/contiguous().
//
// Not flagged: caches of compiled kernels, handles or cudaFuncAttributes (values are not tensors;
// keys are kernel addresses or strings), workspace pointers tested against null, constant tables.
#pragma once

#include <set>

#include "clang/checks/check.h"

namespace referee::analyzers::clang_internal {

class OutputCacheCheck final : public ClangCheck {
 public:
  using ClangCheck::ClangCheck;
  void RegisterMatchers(clang::ast_matchers::MatchFinder* finder) override;
  void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;

 private:
  void CheckVar(const clang::VarDecl* var, clang::ASTContext& ctx);
  void CheckBody(const clang::Stmt* body, clang::ASTContext& ctx);
};

// Key and value types of a map- or set-like class template specialisation (value null for sets).
bool AssociativeTypes(clang::QualType type, clang::QualType* key, clang::QualType* value);
// A tensor, or a container / tuple / optional holding tensors.
bool HoldsTensors(clang::QualType type, int depth = 0);

}  // namespace referee::analyzers::clang_internal
