// asm-file-embed: inline assembly that pulls a file into the object at compile time (`.incbin`,
// or `.include` of a data file), at file scope (`asm(...)`) or in a function. The candidate's
// build runs on the evaluation host, so the binary can carry whatever that host stores next to
// the task: expected outputs, the reference's results (SOL-ExecBench cuda_cpp; kernel-evaluators.md
// §7 #19). Kernels have no use for it. Not flagged: inline PTX and other asm without those
// directives.
#pragma once

#include "clang/checks/check.h"

namespace referee::analyzers::clang_internal {

class AsmFileEmbedCheck final : public ClangCheck {
 public:
  using ClangCheck::ClangCheck;
  void RegisterMatchers(clang::ast_matchers::MatchFinder* finder) override;
  void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;

 private:
  void VisitDecls(const clang::DeclContext* dc, clang::ASTContext& ctx);
  void CheckAsm(llvm::StringRef text, clang::SourceRange range, clang::ASTContext& ctx);
};

}  // namespace referee::analyzers::clang_internal
