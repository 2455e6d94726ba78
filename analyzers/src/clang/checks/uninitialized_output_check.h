// uninitialized-output: an output allocated uninitialised (at::empty / empty_like / new_empty /
// empty_strided, cudaMalloc / cudaMallocAsync / malloc) and returned or copied out although
// nothing in the function writes it: no kernel launch or call receives it or its data pointer,
// no fill_/zero_/copy_/memset. Whatever the allocator hands back (often a freed reference output)
// becomes the answer (kernel-evaluators.md §7 #20, Sakana).
//
// Not flagged: an output passed to a launch, a helper, a memset or an in-place method before it
// is returned, also where clang leaves that call unresolved (`y.data_ptr<T>()` in a template or
// after a missing header), or named in a declaration whose type clang could not resolve (its
// initialiser is dropped from the AST, so what it does with the output is unknown).
#pragma once

#include "clang/checks/check.h"

namespace referee::analyzers::clang_internal {

class UninitializedOutputCheck final : public ClangCheck {
 public:
  using ClangCheck::ClangCheck;
  void RegisterMatchers(clang::ast_matchers::MatchFinder* finder) override;
  void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;
};

// True if `expr` (implicit nodes stripped) is a call that allocates without initialising.
bool IsUninitializedAllocation(const clang::Expr* expr);

}  // namespace referee::analyzers::clang_internal
