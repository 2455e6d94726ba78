#include "clang/checks/uninitialized_output_check.h"

#include <cctype>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Lex/Lexer.h"
#include "clang/checks/check_util.h"
#include "clang/checks/output_cache_check.h"

namespace referee::analyzers::clang_internal {

namespace am = clang::ast_matchers;

namespace {

enum class Use { kNeutral, kWrite, kOut };

bool IsMallocName(const std::string& name) {
  return name == "cudaMalloc" || name == "cudaMallocAsync" || name == "cudaMallocManaged" ||
         name == "cudaMallocHost" || name == "cudaHostAlloc" || name == "cudaMallocPitch";
}

bool IsAccessor(const std::string& name) {
  static const std::set<std::string> kAccessors = {
      "size", "sizes", "numel", "dim", "ndimension", "options", "dtype", "scalar_type",
      "device", "stride", "strides", "is_contiguous", "defined", "element_size", "nbytes",
      "itemsize", "is_cuda", "get_device", "layout", "numel", "sym_size", "sym_sizes"};
  return kAccessors.count(name) > 0;
}

// Methods whose result shares the tensor's storage: the value flows through them.
bool IsViewName(const std::string& name) {
  static const std::set<std::string> kViews = {
      "view", "reshape", "contiguous", "t", "transpose", "permute", "squeeze", "unsqueeze",
      "flatten", "as_strided", "narrow", "slice", "expand", "view_as", "alias", "select"};
  return kViews.count(name) > 0;
}

bool IsDataPointerName(const std::string& name) {
  return name == "data_ptr" || name == "data" || name == "mutable_data_ptr" ||
         name == "const_data_ptr";
}

// Calls through which a value flows unchanged into the enclosing expression.
bool IsWrapping(const clang::Stmt* site) {
  if (llvm::isa<clang::InitListExpr, clang::CXXStdInitializerListExpr>(site)) return true;
  // `(float*)out.data_ptr()`, `static_cast<T*>(...)`, `reinterpret_cast<...>(...)`: the
  // pointer is the same whatever its spelled type.
  if (llvm::isa<clang::ExplicitCastExpr>(site)) return true;
  if (const auto* construct = llvm::dyn_cast<clang::CXXConstructExpr>(site)) {
    return HoldsTensors(construct->getType());
  }
  if (const auto* call = llvm::dyn_cast<clang::CallExpr>(site)) {
    std::string name = CalleeName(call);
    return name == "make_tuple" || name == "make_pair" || name == "forward_as_tuple" ||
           name == "move";
  }
  return false;
}

class UseClassifier {
 public:
  UseClassifier(clang::ASTContext& ctx, std::set<const clang::VarDecl*>* aliases)
      : ctx_(ctx), aliases_(aliases) {}

  // Classifies one use of the tracked value, `expr` being the value itself.
  Use Classify(const clang::Expr* expr, const clang::Stmt** out_site) {
    for (int depth = 0; depth < 16; ++depth) {
      const clang::Expr* child = nullptr;
      const clang::Stmt* site = UseSite(expr, ctx_, &child);
      *out_site = site;
      if (site == nullptr) {
        // An initialiser: `float* p = out.data_ptr<float>();` makes `p` an alias.
        for (const clang::DynTypedNode& parent : ctx_.getParents(*child)) {
          if (const auto* var = parent.get<clang::VarDecl>()) aliases_->insert(var);
        }
        return Use::kNeutral;
      }
      if (llvm::isa<clang::ReturnStmt>(site)) return Use::kOut;
      if (IsWrapping(site)) {
        expr = llvm::cast<clang::Expr>(site);
        continue;
      }
      if (const auto* member = llvm::dyn_cast<clang::MemberExpr>(site)) {
        const clang::Stmt* call_site = ParentStmt(member, ctx_);
        const auto* call = llvm::dyn_cast_or_null<clang::CXXMemberCallExpr>(call_site);
        if (call == nullptr) return Use::kWrite;
        std::optional<const clang::Expr*> next = ThroughMethod(CalleeName(call), call);
        if (!next) return Use::kWrite;
        if (*next == nullptr) return Use::kNeutral;
        expr = *next;
        continue;
      }
      // `y.data_ptr<T>()` left unresolved: in a template, or where clang recovered from a
      // missing header. The call is a CallExpr or a RecoveryExpr around the member.
      if (std::optional<std::string> name = UnresolvedMemberName(site)) {
        const auto* call = llvm::dyn_cast_or_null<clang::Expr>(ParentStmt(site, ctx_));
        if (call == nullptr || !llvm::isa<clang::CallExpr, clang::RecoveryExpr>(call) ||
            *call->child_begin() != site) {
          return Use::kWrite;
        }
        std::optional<const clang::Expr*> next = ThroughMethod(*name, call);
        if (!next) return Use::kWrite;
        if (*next == nullptr) return Use::kNeutral;
        expr = *next;
        continue;
      }
      return ClassifyCallArgument(site, child);
    }
    return Use::kWrite;
  }

 private:
  // A method called on the value: nullopt if it writes (fill_, zero_, copy_, index_put_, ...),
  // null if it only reads (size, numel, ...), else `call`, through which the value flows on.
  static std::optional<const clang::Expr*> ThroughMethod(const std::string& name,
                                                         const clang::Expr* call) {
    if (IsAccessor(name)) return nullptr;
    if (!IsDataPointerName(name) && !IsViewName(name)) return std::nullopt;
    return call;
  }

  // The member name of an unresolved or dependent member access, or nullopt.
  static std::optional<std::string> UnresolvedMemberName(const clang::Stmt* site) {
    if (const auto* member = llvm::dyn_cast<clang::UnresolvedMemberExpr>(site)) {
      return member->getMemberName().getAsString();
    }
    if (const auto* member = llvm::dyn_cast<clang::CXXDependentScopeMemberExpr>(site)) {
      return member->getMember().getAsString();
    }
    return std::nullopt;
  }

  Use ClassifyCallArgument(const clang::Stmt* site, const clang::Expr* child) {
    if (const auto* unary = llvm::dyn_cast<clang::UnaryOperator>(site)) {
      if (unary->getOpcode() != clang::UO_AddrOf) return Use::kWrite;
      const clang::Stmt* call_site = ParentStmt(unary, ctx_);
      while (call_site && llvm::isa<clang::ImplicitCastExpr, clang::CStyleCastExpr,
                                    clang::ParenExpr>(call_site)) {
        call_site = ParentStmt(call_site, ctx_);
      }
      const auto* call = llvm::dyn_cast_or_null<clang::CallExpr>(call_site);
      return call && IsMallocName(CalleeName(call)) ? Use::kNeutral : Use::kWrite;
    }
    // An argument of a call clang could not resolve: like any call, it may write.
    if (llvm::isa<clang::RecoveryExpr>(site)) return Use::kWrite;
    if (const auto* call = llvm::dyn_cast<clang::CallExpr>(site)) {
      std::string name = CalleeName(call);
      if (name == "cudaFree" || name == "cudaFreeAsync" || name == "free") return Use::kNeutral;
      if (name.rfind("cudaMemcpy", 0) == 0 && call->getNumArgs() > 1 &&
          call->getArg(1)->IgnoreParenImpCasts() == child->IgnoreParenImpCasts()) {
        return Use::kOut;
      }
      return Use::kWrite;
    }
    if (const auto* binary = llvm::dyn_cast<clang::BinaryOperator>(site)) {
      if (binary->isAssignmentOp() && binary->getRHS()->IgnoreParenImpCasts() == child) {
        if (const clang::VarDecl* var = ReferencedVar(binary->getLHS())) aliases_->insert(var);
        return Use::kNeutral;
      }
      return binary->isComparisonOp() ? Use::kNeutral : Use::kWrite;
    }
    if (llvm::isa<clang::CXXConstructExpr>(site)) return Use::kWrite;
    return Use::kNeutral;
  }

  clang::ASTContext& ctx_;
  std::set<const clang::VarDecl*>* aliases_;
};

bool IsIdentifierChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// True if the source text of `stmt` contains `name` as a whole identifier.
bool MentionsIdentifier(const clang::Stmt* stmt, const std::string& name, clang::ASTContext& ctx) {
  const clang::SourceManager& sm = ctx.getSourceManager();
  clang::CharSourceRange range = sm.getExpansionRange(stmt->getSourceRange());
  llvm::StringRef text = clang::Lexer::getSourceText(range, sm, ctx.getLangOpts());
  for (size_t at = text.find(name); at != llvm::StringRef::npos; at = text.find(name, at + 1)) {
    size_t end = at + name.size();
    if ((at == 0 || !IsIdentifierChar(text[at - 1])) &&
        (end == text.size() || !IsIdentifierChar(text[end]))) {
      return true;
    }
  }
  return false;
}

// Declarations clang could not type (a header the analyzer lacks): they are kept without their
// initialisers, so what those did with a tracked value is unknown.
std::vector<const clang::DeclStmt*> InvalidDeclarations(const clang::Stmt* body) {
  std::vector<const clang::DeclStmt*> invalid;
  ForEachStmt(body, [&](const clang::Stmt* stmt) {
    const auto* decl_stmt = llvm::dyn_cast<clang::DeclStmt>(stmt);
    if (decl_stmt == nullptr) return;
    for (const clang::Decl* decl : decl_stmt->decls()) {
      if (decl->isInvalidDecl()) {
        invalid.push_back(decl_stmt);
        return;
      }
    }
  });
  return invalid;
}

// Identifier tokens spelled `name` in `stmt`'s source (comments and strings skipped).
int CountIdentifierTokens(const clang::Stmt* stmt, const std::string& name,
                          clang::ASTContext& ctx) {
  const clang::SourceManager& sm = ctx.getSourceManager();
  clang::CharSourceRange range = sm.getExpansionRange(stmt->getSourceRange());
  llvm::StringRef text = clang::Lexer::getSourceText(range, sm, ctx.getLangOpts());
  if (text.empty()) return 0;
  clang::Lexer lexer(range.getBegin(), ctx.getLangOpts(), text.begin(), text.begin(),
                     text.end());
  int count = 0;
  clang::Token token;
  while (!lexer.LexFromRawLexer(token)) {
    if (token.is(clang::tok::raw_identifier) && token.getRawIdentifier() == name) ++count;
  }
  if (token.is(clang::tok::raw_identifier) && token.getRawIdentifier() == name) ++count;
  return count;
}

// After an error (a header the analyzer lacks, an undeclared name) clang drops statements it
// cannot build, such as a library call whose enum argument is undeclared: a use of `var` in
// the source that has no reference in the AST may have written it.
bool HasUsesClangDropped(const clang::FunctionDecl* fn, const clang::VarDecl* var,
                         clang::ASTContext& ctx) {
  if (!ctx.getDiagnostics().hasErrorOccurred()) return false;
  int in_ast = 0;
  ForEachStmt(fn->getBody(), [&](const clang::Stmt* stmt) {
    const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(stmt);
    if (ref != nullptr && ref->getDecl() == var) ++in_ast;
  });
  const clang::Stmt* body = fn->getBody();
  if (body->getBeginLoc().isMacroID() || body->getEndLoc().isMacroID()) return false;
  int in_source = CountIdentifierTokens(body, var->getNameAsString(), ctx);
  return in_source > in_ast + 1;  // + 1: the declaration
}

}  // namespace

bool IsUninitializedAllocation(const clang::Expr* expr) {
  if (expr == nullptr) return false;
  const auto* call = llvm::dyn_cast<clang::CallExpr>(expr->IgnoreUnlessSpelledInSource());
  if (call == nullptr) return false;
  std::string name = CalleeName(call);
  if (name != "empty" && name != "empty_like" && name != "empty_strided" && name != "new_empty" &&
      name != "new_empty_strided") {
    return false;
  }
  std::string qualified = CalleeQualifiedName(call);
  return qualified.rfind("at::", 0) == 0 || qualified.rfind("torch::", 0) == 0 ||
         qualified.rfind("c10::", 0) == 0;
}

void UninitializedOutputCheck::RegisterMatchers(am::MatchFinder* finder) {
  finder->addMatcher(am::functionDecl(am::isDefinition(), am::hasBody(am::stmt())).bind("fn"),
                     this);
}

void UninitializedOutputCheck::run(const am::MatchFinder::MatchResult& result) {
  const auto* fn = result.Nodes.getNodeAs<clang::FunctionDecl>("fn");
  clang::ASTContext& ctx = *result.Context;
  std::vector<const clang::VarDecl*> allocated;
  ForEachStmt(fn->getBody(), [&](const clang::Stmt* stmt) {
    if (const auto* decl_stmt = llvm::dyn_cast<clang::DeclStmt>(stmt)) {
      for (const clang::Decl* decl : decl_stmt->decls()) {
        const auto* var = llvm::dyn_cast<clang::VarDecl>(decl);
        if (var && var->hasLocalStorage() && IsUninitializedAllocation(var->getInit())) {
          allocated.push_back(var);
        }
      }
    } else if (const auto* call = llvm::dyn_cast<clang::CallExpr>(stmt)) {
      if (!IsMallocName(CalleeName(call)) || call->getNumArgs() == 0) return;
      const clang::VarDecl* var = ReferencedVar(call->getArg(0));
      if (var && var->hasLocalStorage()) allocated.push_back(var);
    }
  });
  std::vector<const clang::DeclStmt*> invalid = InvalidDeclarations(fn->getBody());
  for (const clang::VarDecl* var : allocated) {
    std::set<const clang::VarDecl*> tracked = {var};
    bool written = false;
    const clang::Stmt* first_out = nullptr;
    // Aliases found while classifying join the tracked set; iterate until stable.
    for (size_t seen = 0; seen != tracked.size() && !written;) {
      seen = tracked.size();
      first_out = nullptr;
      UseClassifier classifier(ctx, &tracked);
      std::set<const clang::VarDecl*> snapshot = tracked;
      ForEachStmt(fn->getBody(), [&](const clang::Stmt* stmt) {
        const auto* ref = llvm::dyn_cast<clang::DeclRefExpr>(stmt);
        if (ref == nullptr || written) return;
        const auto* ref_var = llvm::dyn_cast<clang::VarDecl>(ref->getDecl());
        if (snapshot.count(ref_var) == 0) return;
        const clang::Stmt* site = nullptr;
        Use use = classifier.Classify(ref, &site);
        if (use == Use::kWrite) written = true;
        if (use == Use::kOut && first_out == nullptr) first_out = site;
      });
    }
    for (const clang::DeclStmt* decl_stmt : invalid) {
      if (llvm::is_contained(decl_stmt->decls(), var)) continue;  // `var`'s own declaration
      for (const clang::VarDecl* alias : tracked) {
        written = written || MentionsIdentifier(decl_stmt, alias->getNameAsString(), ctx);
      }
    }
    for (const clang::VarDecl* alias : tracked) {
      written = written || HasUsesClangDropped(fn, alias, ctx);
    }
    if (!written && first_out != nullptr) {
      Report(first_out->getSourceRange(), ctx,
             "'" + var->getNameAsString() + "' is allocated uninitialised and never written");
    }
  }
}

}  // namespace referee::analyzers::clang_internal
