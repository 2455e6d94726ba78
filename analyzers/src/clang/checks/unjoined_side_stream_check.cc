#include "clang/checks/unjoined_side_stream_check.h"

#include <map>
#include <set>
#include <vector>

#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/checks/check_util.h"

namespace referee::analyzers::clang_internal {

namespace am = clang::ast_matchers;

namespace {

bool IsCreateName(const std::string& name) {
  return name == "cudaStreamCreate" || name == "cudaStreamCreateWithFlags" ||
         name == "cudaStreamCreateWithPriority" || name == "cuStreamCreate" ||
         name == "cuStreamCreateWithPriority";
}

bool IsPoolName(const std::string& name) {
  return name == "getStreamFromPool" || name == "getStreamFromExternal";
}

// Calls on a side stream that neither queue work on it nor join it.
bool IsNeutralOnStream(const std::string& name) {
  return IsCreateName(name) || name == "cudaStreamDestroy" || name == "cuStreamDestroy" ||
         name == "cudaStreamQuery" || name == "cudaEventRecord" || name == "cuEventRecord" ||
         name == "cudaEventRecordWithFlags" || name == "cudaStreamWaitEvent" ||
         name == "cuStreamWaitEvent" || name == "cudaStreamGetPriority" ||
         name == "cudaStreamGetFlags" || name == "record";
}

struct StreamFacts {
  std::set<const clang::VarDecl*> side;
  std::map<const clang::VarDecl*, std::vector<const clang::Stmt*>> uses;
  std::map<const clang::VarDecl*, std::vector<const clang::Stmt*>> joins;
  std::vector<const clang::Stmt*> global_joins;
};

// Side streams: globals of stream type, and locals created or taken from a pool here.
void FindSideStreams(const clang::Stmt* body, StreamFacts* facts) {
  ForEachStmt(body, [&](const clang::Stmt* stmt) {
    if (const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(stmt)) {
      const auto* var = llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
      if (var && var->hasGlobalStorage() && IsStreamType(var->getType())) facts->side.insert(var);
    } else if (const auto* call = llvm::dyn_cast<clang::CallExpr>(stmt)) {
      if (IsCreateName(CalleeName(call)) && call->getNumArgs() > 0) {
        if (const clang::VarDecl* var = ReferencedVar(call->getArg(0))) facts->side.insert(var);
      }
    } else if (const auto* decl_stmt = llvm::dyn_cast<clang::DeclStmt>(stmt)) {
      for (const clang::Decl* decl : decl_stmt->decls()) {
        const auto* var = llvm::dyn_cast<clang::VarDecl>(decl);
        if (var == nullptr || var->getInit() == nullptr || !IsStreamType(var->getType())) continue;
        bool from_pool = AnyStmt(var->getInit(), [](const clang::Stmt* s) {
          const auto* c = llvm::dyn_cast<clang::CallExpr>(s);
          return c != nullptr && IsPoolName(CalleeName(c));
        });
        if (from_pool) facts->side.insert(var);
      }
    }
  });
}

// The call or launch an expression (a stream reference) is an argument of, seeing through
// `.stream()` and conversions.
const clang::Stmt* EnclosingCall(const clang::Expr* expr, clang::ASTContext& ctx) {
  const clang::Stmt* current = expr;
  for (int depth = 0; depth < 8 && current != nullptr; ++depth) {
    const clang::Stmt* parent = ParentStmt(current, ctx);
    if (parent == nullptr) return nullptr;
    if (llvm::isa<clang::CallExpr, clang::CXXConstructExpr>(parent) &&
        !llvm::isa<clang::CXXMemberCallExpr>(parent)) {
      return parent;
    }
    if (const auto* member = llvm::dyn_cast<clang::CXXMemberCallExpr>(parent)) {
      std::string name = CalleeName(member);
      if (name == "synchronize" || name == "query") return parent;
    }
    current = parent;
  }
  return nullptr;
}

void CollectUsesAndJoins(const clang::Stmt* body, clang::ASTContext& ctx, StreamFacts* facts) {
  ForEachStmt(body, [&](const clang::Stmt* stmt) {
    if (const auto* call = llvm::dyn_cast<clang::CallExpr>(stmt)) {
      std::string name = CalleeName(call);
      if (name == "cudaDeviceSynchronize" || name == "cuCtxSynchronize" ||
          name == "cudaEventSynchronize" || name == "cuEventSynchronize" || name == "block" ||
          name == "device_synchronize") {
        facts->global_joins.push_back(call);
      }
      if ((name == "cudaStreamWaitEvent" || name == "cuStreamWaitEvent") &&
          call->getNumArgs() > 0) {
        const clang::VarDecl* waiter = ReferencedVar(call->getArg(0));
        if (facts->side.count(waiter) == 0) facts->global_joins.push_back(call);
      }
      return;
    }
    const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(stmt);
    const auto* var = ref ? llvm::dyn_cast<clang::VarDecl>(ref->getDecl()) : nullptr;
    if (facts->side.count(var) == 0) return;
    const clang::Stmt* call = EnclosingCall(ref, ctx);
    if (call == nullptr) return;
    std::string name;
    if (const auto* c = llvm::dyn_cast<clang::CallExpr>(call)) name = CalleeName(c);
    if (name == "cudaStreamSynchronize" || name == "cuStreamSynchronize" ||
        name == "synchronize" || name == "stream_synchronize") {
      facts->joins[var].push_back(call);
    } else if (!IsNeutralOnStream(name)) {
      const clang::Stmt* launch = call;
      // A `<<<..., stream>>>` argument sits in the launch's configuration call.
      if (const clang::Stmt* parent = ParentStmt(call, ctx)) {
        if (llvm::isa<clang::CUDAKernelCallExpr>(parent)) launch = parent;
      }
      facts->uses[var].push_back(launch);
    }
  });
}

}  // namespace

void UnjoinedSideStreamCheck::RegisterMatchers(am::MatchFinder* finder) {
  finder->addMatcher(am::functionDecl(am::isDefinition(), am::hasBody(am::stmt())).bind("fn"),
                     this);
}

void UnjoinedSideStreamCheck::run(const am::MatchFinder::MatchResult& result) {
  const auto* fn = result.Nodes.getNodeAs<clang::FunctionDecl>("fn");
  clang::ASTContext& ctx = *result.Context;
  const clang::SourceManager& sm = ctx.getSourceManager();
  StreamFacts facts;
  FindSideStreams(fn->getBody(), &facts);
  if (facts.side.empty()) return;
  CollectUsesAndJoins(fn->getBody(), ctx, &facts);
  auto before = [&](const clang::Stmt* a, const clang::Stmt* b) {
    return sm.isBeforeInTranslationUnit(a->getBeginLoc(), b->getBeginLoc());
  };
  for (const auto& [var, uses] : facts.uses) {
    std::vector<const clang::Stmt*> joins = facts.global_joins;
    auto own = facts.joins.find(var);
    if (own != facts.joins.end()) joins.insert(joins.end(), own->second.begin(), own->second.end());
    const clang::Stmt* last_join = nullptr;
    for (const clang::Stmt* join : joins) {
      if (last_join == nullptr || before(last_join, join)) last_join = join;
    }
    for (const clang::Stmt* use : uses) {
      if (last_join != nullptr && before(use, last_join)) continue;
      Report(use->getSourceRange(), ctx,
             "work on side stream '" + var->getNameAsString() + "' is not joined before return");
      break;
    }
  }
}

}  // namespace referee::analyzers::clang_internal
