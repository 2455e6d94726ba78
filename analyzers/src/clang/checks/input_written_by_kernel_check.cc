#include "clang/checks/input_written_by_kernel_check.h"

#include <set>

#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/checks/check_util.h"

namespace referee::analyzers::clang_internal {

namespace am = clang::ast_matchers;

namespace {

bool NamedLikeOutput(const clang::ParmVarDecl* param) {
  std::string name = param->getNameAsString();
  for (const char* prefix : {"out", "result", "dst"}) {
    if (name.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

bool IsInputParam(const clang::ParmVarDecl* param) {
  if (param == nullptr || NamedLikeOutput(param)) return false;
  clang::QualType type = param->getType();
  if (type->isReferenceType()) return type.getNonReferenceType().isConstQualified();
  if (type->isPointerType()) return type->getPointeeType().isConstQualified();
  // A raw device address passed as an integer (`int64_t x_addr`, issue 18): nothing in the
  // signature says input or output, so only the name does.
  if (type->isIntegerType() && !type->isBooleanType()) return true;
  // A tensor by value is an input when the function returns its results; a function returning
  // nothing may take its outputs by value (`void matmul(Tensor a, Tensor b, Tensor c)`).
  const auto* fn = llvm::dyn_cast<clang::FunctionDecl>(param->getDeclContext());
  return IsTensorType(type) && fn != nullptr && !fn->getReturnType()->isVoidType();
}

// The variable a pointer expression is derived from: through casts, `.data`, `->data`,
// data_ptr()-style calls, subscripts and pointer arithmetic.
const clang::VarDecl* PointerSource(const clang::Expr* expr) {
  for (int depth = 0; depth < 12 && expr != nullptr; ++depth) {
    expr = expr->IgnoreParenCasts();
    if (const auto* call = llvm::dyn_cast<clang::CXXMemberCallExpr>(expr)) {
      std::string name = CalleeName(call);
      if (name != "data_ptr" && name != "data" && name != "const_data_ptr" &&
          name != "mutable_data_ptr") {
        return nullptr;
      }
      expr = call->getImplicitObjectArgument();
    } else if (const auto* binary = llvm::dyn_cast<clang::BinaryOperator>(expr)) {
      if (!binary->isAdditiveOp()) return nullptr;
      expr = binary->getLHS()->getType()->isPointerType() ? binary->getLHS() : binary->getRHS();
    } else {
      // A host-side local holding the pointer (`float* p = const_cast<float*>(x.data_ptr<float>())`)
      // stands for what initialised it.
      const clang::VarDecl* var = ReferencedVar(expr);
      if (var == nullptr || llvm::isa<clang::ParmVarDecl>(var) || var->getInit() == nullptr ||
          !var->isLocalVarDecl()) {
        return var;
      }
      expr = var->getInit();
    }
  }
  return nullptr;
}

bool IsWriteContext(const clang::Stmt* site, const clang::Expr* child) {
  if (const auto* binary = llvm::dyn_cast<clang::BinaryOperator>(site)) {
    return binary->isAssignmentOp() && binary->getLHS()->IgnoreParenImpCasts() == child;
  }
  if (const auto* unary = llvm::dyn_cast<clang::UnaryOperator>(site)) {
    return unary->isIncrementDecrementOp();
  }
  if (const auto* op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(site)) {
    return op->isAssignmentOp() && op->getNumArgs() > 0 &&
           op->getArg(0)->IgnoreParenImpCasts() == child;
  }
  return false;
}

}  // namespace

const clang::ParmVarDecl* InputParamOf(const clang::Expr* arg) {
  const auto* param = llvm::dyn_cast_or_null<clang::ParmVarDecl>(PointerSource(arg));
  return IsInputParam(param) ? param : nullptr;
}

bool WritesThroughParam(const clang::FunctionDecl* fn, const clang::ParmVarDecl* param,
                        clang::ASTContext& ctx) {
  std::set<const clang::VarDecl*> tracked = {param};
  // Local aliases: `float* row = p + i * n;`.
  ForEachStmt(fn->getBody(), [&](const clang::Stmt* stmt) {
    const auto* decl_stmt = llvm::dyn_cast<clang::DeclStmt>(stmt);
    if (decl_stmt == nullptr) return;
    for (const clang::Decl* decl : decl_stmt->decls()) {
      const auto* var = llvm::dyn_cast<clang::VarDecl>(decl);
      if (var && var->getInit() && var->getType()->isPointerType() &&
          tracked.count(PointerSource(var->getInit())) > 0) {
        tracked.insert(var);
      }
    }
  });
  return AnyStmt(fn->getBody(), [&](const clang::Stmt* stmt) {
    const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(stmt);
    if (ref == nullptr || tracked.count(llvm::dyn_cast<clang::VarDecl>(ref->getDecl())) == 0) {
      return false;
    }
    // Climb the lvalue built on the pointer: p[i], *p, p->field, (p + k)[i].
    const clang::Expr* current = ref;
    bool dereferenced = false;
    for (int depth = 0; depth < 10; ++depth) {
      const clang::Stmt* parent = ParentStmt(current, ctx);
      if (parent == nullptr) return false;
      if (llvm::isa<clang::ImplicitCastExpr, clang::ParenExpr, clang::CStyleCastExpr,
                    clang::CXXStaticCastExpr, clang::CXXReinterpretCastExpr>(parent)) {
        current = llvm::cast<clang::Expr>(parent);
        continue;
      }
      if (const auto* sub = llvm::dyn_cast<clang::ArraySubscriptExpr>(parent)) {
        if (sub->getBase()->IgnoreParenImpCasts() != current->IgnoreParenImpCasts()) return false;
        dereferenced = true;
        current = sub;
        continue;
      }
      if (const auto* unary = llvm::dyn_cast<clang::UnaryOperator>(parent)) {
        if (unary->getOpcode() == clang::UO_Deref) {
          dereferenced = true;
          current = unary;
          continue;
        }
        if (unary->getOpcode() == clang::UO_AddrOf && dereferenced) {
          current = unary;  // &p[i]: a pointer into the input again
          dereferenced = false;
          continue;
        }
        return dereferenced && unary->isIncrementDecrementOp();
      }
      if (const auto* member = llvm::dyn_cast<clang::MemberExpr>(parent)) {
        if (!member->isArrow() && !dereferenced) return false;
        dereferenced = true;
        current = member;
        continue;
      }
      if (const auto* binary = llvm::dyn_cast<clang::BinaryOperator>(parent)) {
        if (binary->isAdditiveOp() && !dereferenced) {
          current = binary;
          continue;
        }
        return dereferenced && IsWriteContext(parent, current);
      }
      if (const auto* call = llvm::dyn_cast<clang::CallExpr>(parent)) {
        std::string name = CalleeName(call);
        bool writer = name.rfind("atomic", 0) == 0 || name == "memcpy" || name == "memset";
        return !dereferenced && writer && call->getNumArgs() > 0 &&
               call->getArg(0)->IgnoreParenImpCasts() == current->IgnoreParenImpCasts();
      }
      return dereferenced && IsWriteContext(parent, current);
    }
    return false;
  });
}

void InputWrittenByKernelCheck::RegisterMatchers(am::MatchFinder* finder) {
  finder->addMatcher(am::cudaKernelCallExpr().bind("launch"), this);
}

void InputWrittenByKernelCheck::run(const am::MatchFinder::MatchResult& result) {
  const auto* launch = result.Nodes.getNodeAs<clang::CUDAKernelCallExpr>("launch");
  const clang::FunctionDecl* kernel = launch->getDirectCallee();
  if (kernel == nullptr) return;
  if (const clang::FunctionDecl* def = kernel->getDefinition()) kernel = def;
  if (kernel->getBody() == nullptr) return;
  for (unsigned i = 0; i < launch->getNumArgs() && i < kernel->getNumParams(); ++i) {
    const clang::ParmVarDecl* kernel_param = kernel->getParamDecl(i);
    clang::QualType type = kernel_param->getType();
    if (!type->isPointerType() || type->getPointeeType().isConstQualified()) continue;
    const clang::ParmVarDecl* input = InputParamOf(launch->getArg(i));
    if (input == nullptr) continue;
    if (!WritesThroughParam(kernel, kernel_param, *result.Context)) continue;
    Report(launch->getArg(i)->getSourceRange(), *result.Context,
           "input '" + input->getNameAsString() + "' is written by kernel '" +
               kernel->getNameAsString() + "'");
  }
}

}  // namespace referee::analyzers::clang_internal
