#include "clang/checks/oversized_shared_memory_check.h"

#include "clang/AST/Expr.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/checks/check_util.h"

namespace referee::analyzers::clang_internal {

namespace am = clang::ast_matchers;

namespace {

constexpr long long kDefaultLimit = 48 * 1024;

const clang::FunctionDecl* NamedFunction(const clang::Expr* expr) {
  expr = expr->IgnoreParenCasts();
  if (const auto* unary = llvm::dyn_cast<clang::UnaryOperator>(expr)) {
    expr = unary->getSubExpr()->IgnoreParenCasts();
  }
  if (const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(expr)) {
    if (const auto* fn = llvm::dyn_cast<clang::FunctionDecl>(ref->getDecl())) {
      return fn->getCanonicalDecl();
    }
  }
  return nullptr;
}

}  // namespace

void OversizedSharedMemoryCheck::RegisterMatchers(am::MatchFinder* finder) {
  finder->addMatcher(am::cudaKernelCallExpr().bind("launch"), this);
  finder->addMatcher(
      am::callExpr(am::callee(am::functionDecl(am::hasName("cudaFuncSetAttribute")))).bind("set"),
      this);
}

void OversizedSharedMemoryCheck::run(const am::MatchFinder::MatchResult& result) {
  ctx_ = result.Context;
  if (const auto* set = result.Nodes.getNodeAs<clang::CallExpr>("set")) {
    const clang::FunctionDecl* kernel =
        set->getNumArgs() > 0 ? NamedFunction(set->getArg(0)) : nullptr;
    if (kernel != nullptr) {
      raised_.insert(kernel);
    } else {
      raised_unknown_ = true;
    }
    return;
  }
  const auto* launch = result.Nodes.getNodeAs<clang::CUDAKernelCallExpr>("launch");
  const clang::CallExpr* config = launch->getConfig();
  if (config == nullptr || config->getNumArgs() < 3) return;
  const clang::Expr* shmem = config->getArg(2);
  if (shmem->isValueDependent() || shmem->isTypeDependent()) return;
  clang::Expr::EvalResult value;
  if (!shmem->EvaluateAsInt(value, *result.Context)) return;
  long long bytes = value.Val.getInt().getExtValue();
  if (bytes <= kDefaultLimit) return;
  const clang::FunctionDecl* kernel = launch->getDirectCallee();
  launches_.push_back({launch, kernel ? kernel->getCanonicalDecl() : nullptr, bytes});
}

void OversizedSharedMemoryCheck::onEndOfTranslationUnit() {
  for (const Launch& launch : launches_) {
    if (raised_unknown_ || raised_.count(launch.kernel) > 0) continue;
    Report(launch.call->getSourceRange(), *ctx_,
           std::to_string(launch.bytes) + " bytes of dynamic shared memory, limit never raised");
  }
  launches_.clear();
  raised_.clear();
  raised_unknown_ = false;
}

}  // namespace referee::analyzers::clang_internal
