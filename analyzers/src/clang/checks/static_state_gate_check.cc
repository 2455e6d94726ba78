#include "clang/checks/static_state_gate_check.h"

#include "clang/AST/DeclCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/checks/check_util.h"

namespace referee::analyzers::clang_internal {

namespace am = clang::ast_matchers;

namespace {

// Climbs from a variable reference through member accesses and subscripts (`s.count`, `t[i]`)
// to the expression that is read or written as a whole.
const clang::Expr* WholeAccess(const clang::Expr* ref, clang::ASTContext& ctx) {
  const clang::Expr* current = ref;
  while (true) {
    const clang::Expr* child = nullptr;
    const clang::Stmt* site = UseSite(current, ctx, &child);
    if (site == nullptr) return child;
    if (const auto* member = llvm::dyn_cast<clang::MemberExpr>(site)) {
      if (member->getBase()->IgnoreParenImpCasts() == child->IgnoreParenImpCasts() &&
          !llvm::isa<clang::CXXMethodDecl>(member->getMemberDecl())) {
        current = member;
        continue;
      }
    }
    if (const auto* sub = llvm::dyn_cast<clang::ArraySubscriptExpr>(site)) {
      if (sub->getBase()->IgnoreParenImpCasts() == child->IgnoreParenImpCasts()) {
        current = sub;
        continue;
      }
    }
    return child;
  }
}

// A call to a function of this translation unit whose body launches GPU work (one level deep:
// `calls > 3 ? skip() : run_kernel(...)`).
bool CallsLauncher(const clang::Stmt* stmt) {
  const auto* call = llvm::dyn_cast<clang::CallExpr>(stmt);
  if (call == nullptr || call->getDirectCallee() == nullptr) return false;
  const clang::FunctionDecl* fn = call->getDirectCallee()->getDefinition();
  return fn != nullptr && fn->getBody() != nullptr && AnyStmt(fn->getBody(), IsLaunch);
}

}  // namespace

WriteKind ClassifyWrite(const clang::Expr* ref, clang::ASTContext& ctx) {
  const clang::Expr* access = WholeAccess(ref, ctx);
  const clang::Expr* child = nullptr;
  const clang::Stmt* site = UseSite(access, ctx, &child);
  if (site == nullptr) return WriteKind::kNone;
  if (const auto* binary = llvm::dyn_cast<clang::BinaryOperator>(site)) {
    if (!binary->isAssignmentOp() || binary->getLHS()->IgnoreParenImpCasts() != child) {
      return WriteKind::kNone;
    }
    return binary->isCompoundAssignmentOp() ? WriteKind::kProgression : WriteKind::kPlain;
  }
  if (const auto* unary = llvm::dyn_cast<clang::UnaryOperator>(site)) {
    if (unary->isIncrementDecrementOp()) return WriteKind::kProgression;
    return unary->getOpcode() == clang::UO_AddrOf ? WriteKind::kPlain : WriteKind::kNone;
  }
  if (const auto* member = llvm::dyn_cast<clang::MemberExpr>(site)) {
    const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(member->getMemberDecl());
    return method != nullptr && !method->isConst() ? WriteKind::kPlain : WriteKind::kNone;
  }
  if (const auto* op = llvm::dyn_cast<clang::CXXOperatorCallExpr>(site)) {
    if (op->getNumArgs() == 0 || op->getArg(0)->IgnoreParenImpCasts() != child) {
      return WriteKind::kNone;
    }
    clang::OverloadedOperatorKind kind = op->getOperator();
    if (kind == clang::OO_PlusPlus || kind == clang::OO_MinusMinus ||
        (op->isAssignmentOp() && kind != clang::OO_Equal)) {
      return WriteKind::kProgression;
    }
    if (kind == clang::OO_Equal) return WriteKind::kPlain;
    const auto* method = llvm::dyn_cast_or_null<clang::CXXMethodDecl>(op->getDirectCallee());
    return kind == clang::OO_Subscript && method != nullptr && !method->isConst()
               ? WriteKind::kPlain
               : WriteKind::kNone;
  }
  if (const auto* call = llvm::dyn_cast<clang::CallExpr>(site)) {
    // Passed by non-const reference (std::swap(state, x)).
    const clang::FunctionDecl* fn = call->getDirectCallee();
    if (fn == nullptr) return WriteKind::kNone;
    for (unsigned i = 0; i < call->getNumArgs() && i < fn->getNumParams(); ++i) {
      if (call->getArg(i)->IgnoreParenImpCasts() != child) continue;
      clang::QualType param = fn->getParamDecl(i)->getType();
      return param->isReferenceType() && !param.getNonReferenceType().isConstQualified()
                 ? WriteKind::kPlain
                 : WriteKind::kNone;
    }
  }
  return WriteKind::kNone;
}

void StaticStateGateCheck::RegisterMatchers(am::MatchFinder* finder) {
  finder->addMatcher(am::functionDecl(am::isDefinition(), am::hasBody(am::stmt())).bind("fn"),
                     this);
}

void StaticStateGateCheck::run(const am::MatchFinder::MatchResult& result) {
  const auto* fn = result.Nodes.getNodeAs<clang::FunctionDecl>("fn");
  if (fn == nullptr || fn->getBody() == nullptr) return;
  // Lambda bodies are analysed inside their enclosing function (init regions span them).
  if (const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(fn)) {
    if (method->getParent()->isLambda()) return;
  }
  ctx_ = result.Context;
  CollectWrites(fn->getBody(), *result.Context);
  CollectGates(fn->getBody());
}

void StaticStateGateCheck::CollectWrites(const clang::Stmt* body, clang::ASTContext& ctx) {
  // Lazy-initialisation regions: the then-branch of an `if` on mutable global state and lambdas
  // given to std::call_once. Plain writes there cache a setup result; progressions (++, +=)
  // count everywhere.
  std::set<const clang::Stmt*> init_regions;
  ForEachStmt(body, [&](const clang::Stmt* stmt) {
    if (const auto* s = llvm::dyn_cast<clang::IfStmt>(stmt)) {
      bool on_global = AnyStmt(s->getCond(), [](const clang::Stmt* c) {
        const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(c);
        return ref != nullptr && IsMutableGlobal(llvm::dyn_cast<clang::VarDecl>(ref->getDecl()));
      });
      if (on_global && s->getThen() != nullptr) init_regions.insert(s->getThen());
    } else if (const auto* call = llvm::dyn_cast<clang::CallExpr>(stmt)) {
      if (CalleeName(call) != "call_once") return;
      for (const clang::Expr* arg : call->arguments()) init_regions.insert(arg);
    }
  });
  const clang::SourceManager& sm = ctx.getSourceManager();
  auto in_init_region = [&](const clang::Stmt* node) {
    clang::SourceLocation loc = node->getBeginLoc();
    for (const clang::Stmt* region : init_regions) {
      if (sm.isPointWithin(loc, region->getBeginLoc(), region->getEndLoc())) return true;
    }
    return false;
  };
  ForEachStmt(body, [&](const clang::Stmt* stmt) {
    const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(stmt);
    if (ref == nullptr) return;
    const auto* var = llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
    if (!IsMutableGlobal(var) || written_.count(var) > 0) return;
    WriteKind kind = ClassifyWrite(ref, ctx);
    if (kind == WriteKind::kProgression ||
        (kind == WriteKind::kPlain && !in_init_region(ref))) {
      written_.insert(var);
    }
  });
}

void StaticStateGateCheck::CollectGates(const clang::Stmt* body) {
  auto guards_work = [](const clang::Stmt* region) {
    return AnyStmt(region, [](const clang::Stmt* s) {
      return llvm::isa<clang::ReturnStmt>(s) || IsLaunch(s) || CallsLauncher(s);
    });
  };
  ForEachStmt(body, [&](const clang::Stmt* stmt) {
    const clang::Expr* cond = nullptr;
    std::vector<const clang::Stmt*> regions;
    if (const auto* s = llvm::dyn_cast<clang::IfStmt>(stmt)) {
      cond = s->getCond();
      regions = {s->getThen(), s->getElse()};
    } else if (const auto* s = llvm::dyn_cast<clang::ConditionalOperator>(stmt)) {
      cond = s->getCond();
      regions = {s->getTrueExpr(), s->getFalseExpr()};
    } else if (const auto* s = llvm::dyn_cast<clang::SwitchStmt>(stmt)) {
      cond = s->getCond();
      regions = {s->getBody()};
    }
    if (cond == nullptr) return;
    bool work = false;
    for (const clang::Stmt* region : regions) work = work || guards_work(region);
    if (!work) return;
    ForEachStmt(cond, [&](const clang::Stmt* s) {
      const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(s);
      if (ref == nullptr) return;
      const auto* var = llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
      if (IsMutableGlobal(var)) gates_.push_back({var, ref});
    });
  });
}

void StaticStateGateCheck::onEndOfTranslationUnit() {
  for (const Gate& gate : gates_) {
    if (written_.count(gate.var) == 0) continue;
    Report(gate.ref->getSourceRange(), *ctx_,
           "'" + gate.var->getNameAsString() + "' is written by the candidate and gates work");
  }
  gates_.clear();
  written_.clear();
}

}  // namespace referee::analyzers::clang_internal
