#include "clang/checks/check_util.h"

#include <set>

#include "clang/AST/DeclCXX.h"
#include "clang/AST/Attr.h"
#include "clang/AST/ParentMapContext.h"

namespace referee::analyzers::clang_internal {

std::string CalleeName(const clang::CallExpr* call) {
  if (call == nullptr) return "";
  const clang::FunctionDecl* fn = call->getDirectCallee();
  if (fn == nullptr || fn->getIdentifier() == nullptr) {
    if (fn != nullptr) return fn->getNameAsString();
    return "";
  }
  return fn->getName().str();
}

std::string CalleeQualifiedName(const clang::CallExpr* call) {
  if (call == nullptr || call->getDirectCallee() == nullptr) return "";
  return call->getDirectCallee()->getQualifiedNameAsString();
}

const clang::VarDecl* ReferencedVar(const clang::Expr* expr) {
  while (expr != nullptr) {
    expr = expr->IgnoreParenCasts();
    if (const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(expr)) {
      return llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
    }
    if (const auto* member = llvm::dyn_cast<clang::MemberExpr>(expr)) {
      expr = member->getBase();
    } else if (const auto* sub = llvm::dyn_cast<clang::ArraySubscriptExpr>(expr)) {
      expr = sub->getBase();
    } else if (const auto* unary = llvm::dyn_cast<clang::UnaryOperator>(expr)) {
      expr = unary->getSubExpr();
    } else if (const auto* op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(expr)) {
      if (op->getNumArgs() == 0) return nullptr;
      expr = op->getArg(0);
    } else if (const auto* temp = llvm::dyn_cast<clang::MaterializeTemporaryExpr>(expr)) {
      expr = temp->getSubExpr();
    } else if (const auto* construct = llvm::dyn_cast<clang::CXXConstructExpr>(expr)) {
      if (construct->getNumArgs() != 1 || construct->getConstructor() == nullptr ||
          !construct->getConstructor()->isCopyOrMoveConstructor()) {
        return nullptr;
      }
      expr = construct->getArg(0);
    } else if (const auto* cleanups = llvm::dyn_cast<clang::ExprWithCleanups>(expr)) {
      expr = cleanups->getSubExpr();
    } else {
      return nullptr;
    }
  }
  return nullptr;
}

bool IsMutableGlobal(const clang::VarDecl* var) {
  if (var == nullptr || !var->hasGlobalStorage() || var->isConstexpr()) return false;
  clang::QualType type = var->getType();
  if (type.isConstQualified() || var->hasAttr<clang::CUDAConstantAttr>()) return false;
  // __shared__ memory lives for one block of one launch: nothing persists across calls.
  if (var->hasAttr<clang::CUDASharedAttr>()) return false;
  if (const auto* array = type->getAsArrayTypeUnsafe()) {
    if (array->getElementType().isConstQualified()) return false;
  }
  std::string name = type.getCanonicalType().getAsString();
  for (const char* sync : {"once_flag", "mutex", "atomic_flag", "condition_variable"}) {
    if (name.find(sync) != std::string::npos) return false;
  }
  return true;
}

namespace {

const clang::CXXRecordDecl* RecordOf(clang::QualType type) {
  type = type.getNonReferenceType().getCanonicalType();
  return type->getAsCXXRecordDecl();
}

}  // namespace

bool IsTensorType(clang::QualType type) {
  const clang::CXXRecordDecl* record = RecordOf(type);
  if (record == nullptr) return false;
  std::string name = record->getQualifiedNameAsString();
  return name == "at::Tensor" || name == "at::TensorBase";
}

bool IsStreamType(clang::QualType type) {
  clang::QualType canonical = type.getNonReferenceType().getCanonicalType();
  if (const auto* pointer = canonical->getAs<clang::PointerType>()) {
    const clang::RecordDecl* pointee = pointer->getPointeeType()->getAsRecordDecl();
    return pointee != nullptr && pointee->getName() == "CUstream_st";
  }
  const clang::CXXRecordDecl* record = RecordOf(type);
  return record != nullptr && record->getName() == "CUDAStream";
}

bool IsDataPointerType(clang::QualType type) {
  clang::QualType canonical = type.getNonReferenceType().getCanonicalType();
  const auto* pointer = canonical->getAs<clang::PointerType>();
  if (pointer == nullptr) return false;
  clang::QualType pointee = pointer->getPointeeType();
  if (pointee->isFunctionType()) return false;
  if (pointee->isVoidType()) return true;
  return !pointee->isIncompleteType();
}

void ForEachStmt(const clang::Stmt* root, const std::function<void(const clang::Stmt*)>& visit) {
  if (root == nullptr) return;
  visit(root);
  for (const clang::Stmt* child : root->children()) ForEachStmt(child, visit);
}

bool AnyStmt(const clang::Stmt* root, const std::function<bool(const clang::Stmt*)>& pred) {
  if (root == nullptr) return false;
  if (pred(root)) return true;
  for (const clang::Stmt* child : root->children()) {
    if (AnyStmt(child, pred)) return true;
  }
  return false;
}

const clang::Stmt* ParentStmt(const clang::Stmt* node, clang::ASTContext& ctx) {
  for (const clang::DynTypedNode& parent : ctx.getParents(*node)) {
    if (const auto* stmt = parent.get<clang::Stmt>()) return stmt;
  }
  return nullptr;
}

const clang::Stmt* UseSite(const clang::Expr* expr, clang::ASTContext& ctx,
                           const clang::Expr** child) {
  const clang::Stmt* current = expr;
  while (true) {
    const clang::Stmt* parent = ParentStmt(current, ctx);
    if (parent == nullptr) {
      *child = llvm::dyn_cast<clang::Expr>(current);
      return nullptr;
    }
    bool transparent = llvm::isa<clang::ParenExpr, clang::ImplicitCastExpr,
                                 clang::MaterializeTemporaryExpr, clang::CXXBindTemporaryExpr,
                                 clang::ExprWithCleanups, clang::CXXFunctionalCastExpr>(parent);
    if (const auto* construct = llvm::dyn_cast<clang::CXXConstructExpr>(parent)) {
      transparent = construct->getNumArgs() == 1 && construct->getConstructor() != nullptr &&
                    construct->getConstructor()->isCopyOrMoveConstructor();
    }
    if (!transparent) {
      *child = llvm::dyn_cast<clang::Expr>(current);
      return parent;
    }
    current = parent;
  }
}

bool IsLaunch(const clang::Stmt* stmt) {
  if (llvm::isa<clang::CUDAKernelCallExpr>(stmt)) return true;
  static const std::set<std::string> kLaunchApis = {
      "cudaLaunchKernel", "cudaLaunchCooperativeKernel", "cudaLaunchKernelEx", "cuLaunchKernel",
      "cuLaunchKernelEx", "cudaGraphLaunch", "cuGraphLaunch"};
  if (const auto* call = llvm::dyn_cast<clang::CallExpr>(stmt)) {
    return kLaunchApis.count(CalleeName(call)) > 0;
  }
  return false;
}

}  // namespace referee::analyzers::clang_internal
