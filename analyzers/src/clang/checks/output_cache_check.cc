#include "clang/checks/output_cache_check.h"

#include "clang/AST/DeclTemplate.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/checks/check_util.h"

namespace referee::analyzers::clang_internal {

namespace am = clang::ast_matchers;

namespace {

const clang::ClassTemplateSpecializationDecl* Specialization(clang::QualType type) {
  const clang::CXXRecordDecl* record =
      type.getNonReferenceType().getCanonicalType()->getAsCXXRecordDecl();
  return llvm::dyn_cast_or_null<clang::ClassTemplateSpecializationDecl>(record);
}

bool IsDataPointerExpr(const clang::Expr* expr) {
  return AnyStmt(expr, [](const clang::Stmt* s) {
    if (const auto* call = llvm::dyn_cast<clang::CallExpr>(s)) {
      std::string name = CalleeName(call);
      if (name == "data_ptr" || name == "data" || name == "const_data_ptr" ||
          name == "mutable_data_ptr" || name == "unsafeGetTensorImpl" || name == "storage") {
        return true;
      }
    }
    if (const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(s)) {
      const auto* param = llvm::dyn_cast<clang::ParmVarDecl>(ref->getDecl());
      return param != nullptr &&
             (IsDataPointerType(param->getType()) || IsTensorType(param->getType()));
    }
    return false;
  });
}

bool IsLookup(const std::string& name) {
  return name == "find" || name == "count" || name == "at" || name == "operator[]" ||
         name == "contains" || name == "emplace" || name == "insert" || name == "try_emplace" ||
         name == "equal_range" || name == "insert_or_assign";
}

// The mutable global a side of a comparison names, seeing through data_ptr()/get() calls.
const clang::VarDecl* ComparedGlobal(const clang::Expr* side) {
  side = side->IgnoreParenCasts();
  if (const auto* call = llvm::dyn_cast<clang::CXXMemberCallExpr>(side)) {
    std::string name = CalleeName(call);
    if (name != "data_ptr" && name != "data" && name != "get" && name != "const_data_ptr") {
      return nullptr;
    }
    side = call->getImplicitObjectArgument();
  }
  const clang::VarDecl* var = ReferencedVar(side);
  if (!IsMutableGlobal(var)) return nullptr;
  if (!IsDataPointerType(var->getType()) && !IsTensorType(var->getType())) return nullptr;
  return var;
}

// The variable a returned expression hands back, seeing through copies and views
// (`cached`, `cached.clone()`, `outputs[i].view(...)`).
const clang::VarDecl* ReturnedVar(const clang::Expr* expr) {
  for (int depth = 0; depth < 8 && expr != nullptr; ++depth) {
    const auto* call = llvm::dyn_cast<clang::CXXMemberCallExpr>(expr->IgnoreUnlessSpelledInSource());
    if (call == nullptr) break;
    std::string name = CalleeName(call);
    if (name != "clone" && name != "contiguous" && name != "view" && name != "reshape" &&
        name != "to" && name != "detach" && name != "view_as" && name != "alias") {
      break;
    }
    expr = call->getImplicitObjectArgument();
  }
  return ReferencedVar(expr);
}

}  // namespace

bool AssociativeTypes(clang::QualType type, clang::QualType* key, clang::QualType* value) {
  const auto* spec = Specialization(type);
  if (spec == nullptr) return false;
  llvm::StringRef name = spec->getName();
  if (!name.contains("map") && !name.contains("set")) return false;
  const clang::TemplateArgumentList& args = spec->getTemplateArgs();
  if (args.size() == 0 || args[0].getKind() != clang::TemplateArgument::Type) return false;
  *key = args[0].getAsType();
  *value = clang::QualType();
  if (name.contains("map") && args.size() > 1 &&
      args[1].getKind() == clang::TemplateArgument::Type) {
    *value = args[1].getAsType();
  }
  return true;
}

bool HoldsTensors(clang::QualType type, int depth) {
  if (type.isNull()) return false;
  if (IsTensorType(type)) return true;
  if (depth > 2) return false;
  const auto* spec = Specialization(type);
  if (spec == nullptr) return false;
  for (const clang::TemplateArgument& arg : spec->getTemplateArgs().asArray()) {
    if (arg.getKind() == clang::TemplateArgument::Type && HoldsTensors(arg.getAsType(), depth + 1)) {
      return true;
    }
    if (arg.getKind() == clang::TemplateArgument::Pack) {
      for (const clang::TemplateArgument& packed : arg.pack_elements()) {
        if (packed.getKind() == clang::TemplateArgument::Type &&
            HoldsTensors(packed.getAsType(), depth + 1)) {
          return true;
        }
      }
    }
  }
  return false;
}

void OutputCacheCheck::RegisterMatchers(am::MatchFinder* finder) {
  finder->addMatcher(am::varDecl(am::hasGlobalStorage()).bind("var"), this);
  finder->addMatcher(am::functionDecl(am::isDefinition(), am::hasBody(am::stmt())).bind("fn"),
                     this);
}

void OutputCacheCheck::run(const am::MatchFinder::MatchResult& result) {
  if (const auto* var = result.Nodes.getNodeAs<clang::VarDecl>("var")) {
    CheckVar(var, *result.Context);
  }
  if (const auto* fn = result.Nodes.getNodeAs<clang::FunctionDecl>("fn")) {
    CheckBody(fn->getBody(), *result.Context);
  }
}

void OutputCacheCheck::CheckVar(const clang::VarDecl* var, clang::ASTContext& ctx) {
  if (!IsMutableGlobal(var)) return;
  clang::QualType key, value;
  if (AssociativeTypes(var->getType(), &key, &value) && HoldsTensors(value)) {
    Report(var->getLocation(), ctx,
           "static container '" + var->getNameAsString() + "' stores tensors across calls");
  }
}

void OutputCacheCheck::CheckBody(const clang::Stmt* body, clang::ASTContext& ctx) {
  ForEachStmt(body, [&](const clang::Stmt* stmt) {
    if (const auto* call = llvm::dyn_cast<clang::CallExpr>(stmt)) {
      std::string name = CalleeName(call);
      if (!IsLookup(name)) return;
      const clang::Expr* object = nullptr;
      unsigned first_arg = 0;
      if (const auto* member = llvm::dyn_cast<clang::CXXMemberCallExpr>(call)) {
        object = member->getImplicitObjectArgument();
      } else if (const auto* op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(call)) {
        if (op->getNumArgs() == 0) return;
        object = op->getArg(0);
        first_arg = 1;
      }
      const clang::VarDecl* var = object ? ReferencedVar(object) : nullptr;
      clang::QualType key, value;
      if (!IsMutableGlobal(var) || !AssociativeTypes(var->getType(), &key, &value)) return;
      if (HoldsTensors(value)) return;  // reported at the declaration
      for (unsigned i = first_arg; i < call->getNumArgs(); ++i) {
        if (IsDataPointerExpr(call->getArg(i))) {
          Report(call->getSourceRange(), ctx,
                 "'" + var->getNameAsString() + "' is keyed on an input's address");
          return;
        }
      }
      return;
    }
    const clang::Expr* lhs = nullptr;
    const clang::Expr* rhs = nullptr;
    if (const auto* binary = llvm::dyn_cast<clang::BinaryOperator>(stmt)) {
      if (!binary->isEqualityOp()) return;
      lhs = binary->getLHS();
      rhs = binary->getRHS();
    } else if (const auto* op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(stmt)) {
      if ((op->getOperator() != clang::OO_EqualEqual &&
           op->getOperator() != clang::OO_ExclaimEqual) || op->getNumArgs() != 2) {
        return;
      }
      lhs = op->getArg(0);
      rhs = op->getArg(1);
    } else if (const auto* ret = llvm::dyn_cast<clang::ReturnStmt>(stmt)) {
      const clang::VarDecl* var = ret->getRetValue() ? ReturnedVar(ret->getRetValue()) : nullptr;
      if (IsMutableGlobal(var) && HoldsTensors(var->getType())) {
        Report(ret->getSourceRange(), ctx,
               "returns the static tensor '" + var->getNameAsString() + "'");
      }
      return;
    } else {
      return;
    }
    for (int side = 0; side < 2; ++side) {
      const clang::Expr* mine = side == 0 ? lhs : rhs;
      const clang::Expr* other = side == 0 ? rhs : lhs;
      const clang::VarDecl* var = ComparedGlobal(mine);
      if (var == nullptr) continue;
      if (other->isNullPointerConstant(ctx, clang::Expr::NPC_ValueDependentIsNotNull)) return;
      if (ComparedGlobal(other) != nullptr) return;
      Report(stmt->getSourceRange(), ctx,
             "static '" + var->getNameAsString() + "' compared with a new input");
      return;
    }
  });
}

}  // namespace referee::analyzers::clang_internal
