// static-state-gate: mutable static or global state (host statics, globals, __device__ variables)
// that the candidate writes in a function and that a condition reads to skip work or return early
// on a later call: call counters, "already computed" flags, phase switches
// (kernel-evaluators.md §7 #17, #18).
//
// Flagged: a condition (if, ?:, loop, switch) reads a mutable global that some function in the
// file writes, and the code it guards returns or launches GPU work.
// Not flagged: one-time initialisation guards whose branch only sets things up (cudaFuncSetAttribute,
// handle creation, caching cudaFuncAttributes), constant tables, state written only by its
// initialiser, and values cached under an init guard (`if (sm < 0) sm = query();`, std::call_once)
// that later select between kernels.
#pragma once

#include <set>
#include <vector>

#include "clang/checks/check.h"

namespace referee::analyzers::clang_internal {

class StaticStateGateCheck final : public ClangCheck {
 public:
  using ClangCheck::ClangCheck;
  void RegisterMatchers(clang::ast_matchers::MatchFinder* finder) override;
  void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;
  void onEndOfTranslationUnit() override;

 private:
  struct Gate {
    const clang::VarDecl* var;
    const clang::Expr* ref;
  };
  void CollectWrites(const clang::Stmt* body, clang::ASTContext& ctx);
  void CollectGates(const clang::Stmt* body);

  clang::ASTContext* ctx_ = nullptr;
  std::set<const clang::VarDecl*> written_;
  std::vector<Gate> gates_;
};

// How a use of `ref` (a reference to a variable) modifies it: not at all, by a plain store
// (`=`, `&v` passed out, non-const method), or by a progression (`++`, `--`, `+=`, ...).
enum class WriteKind { kNone, kPlain, kProgression };
WriteKind ClassifyWrite(const clang::Expr* ref, clang::ASTContext& ctx);

}  // namespace referee::analyzers::clang_internal
