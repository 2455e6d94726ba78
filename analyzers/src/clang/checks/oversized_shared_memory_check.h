// oversized-shared-memory-launch: a `<<<grid, block, shmem>>>` launch whose dynamic shared
// memory is a constant above 48 KiB while nothing in the file raises the kernel's limit with
// cudaFuncSetAttribute(..., cudaFuncAttributeMaxDynamicSharedMemorySize, ...). Such a launch
// always fails; unless its error is checked, the output keeps whatever memory held (wafer.ai's
// "104x" kernel; kernel-evaluators.md #40).
//
// Not flagged: launches at or below 48 KiB, launches of kernels whose limit the file raises,
// sizes not known at compile time.
#pragma once

#include <set>
#include <vector>

#include "clang/checks/check.h"

namespace referee::analyzers::clang_internal {

class OversizedSharedMemoryCheck final : public ClangCheck {
 public:
  using ClangCheck::ClangCheck;
  void RegisterMatchers(clang::ast_matchers::MatchFinder* finder) override;
  void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;
  void onEndOfTranslationUnit() override;

 private:
  struct Launch {
    const clang::CUDAKernelCallExpr* call;
    const clang::FunctionDecl* kernel;
    long long bytes;
  };
  clang::ASTContext* ctx_ = nullptr;
  std::vector<Launch> launches_;
  std::set<const clang::FunctionDecl*> raised_;
  bool raised_unknown_ = false;  // a cudaFuncSetAttribute whose kernel we cannot name
};

}  // namespace referee::analyzers::clang_internal
