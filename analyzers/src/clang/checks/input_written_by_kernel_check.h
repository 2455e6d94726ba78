// input-written-by-kernel: a kernel launch receives a pointer taken from one of the wrapper's
// inputs (a const tensor or const struct parameter's data: `x.data_ptr<float>()`,
// `in[0].data`, a `const T*` parameter cast to `T*`) in a non-const pointer parameter that the
// kernel writes through (`p[i] = ...`, `*p = ...`, `p[i] += ...`, atomics, via local aliases).
// The harness's input is used as scratch or poisoned (kernel-evaluators.md #22, KernelBench #82).
//
// Not flagged: inputs passed to const (or only read) kernel parameters, outputs (non-const
// tensor references, tensors by value in functions returning void, parameters named
// out/output/result/dst), kernels defined elsewhere.
#pragma once

#include "clang/checks/check.h"

namespace referee::analyzers::clang_internal {

class InputWrittenByKernelCheck final : public ClangCheck {
 public:
  using ClangCheck::ClangCheck;
  void RegisterMatchers(clang::ast_matchers::MatchFinder* finder) override;
  void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;
};

// The wrapper parameter an argument's pointer is taken from when that parameter is an input
// (const pointer/reference, or a tensor by value in a function that returns something, not named
// like an output), or null.
const clang::ParmVarDecl* InputParamOf(const clang::Expr* arg);

// True if `fn`'s body writes through its pointer parameter `param` (directly or via aliases).
bool WritesThroughParam(const clang::FunctionDecl* fn, const clang::ParmVarDecl* param,
                        clang::ASTContext& ctx);

}  // namespace referee::analyzers::clang_internal
