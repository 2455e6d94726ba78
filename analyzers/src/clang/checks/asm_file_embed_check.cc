#include "clang/checks/asm_file_embed_check.h"

#include "clang/AST/Decl.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/Stmt.h"
#include "clang/ASTMatchers/ASTMatchers.h"

namespace referee::analyzers::clang_internal {

namespace am = clang::ast_matchers;

namespace {

// The directive that names a file, or "" (the assembler's own spelling: `.incbin "path"`).
llvm::StringRef EmbedDirective(llvm::StringRef text) {
  for (llvm::StringRef d : {".incbin", ".include"}) {
    if (text.contains(d)) return d;
  }
  return {};
}

}  // namespace

void AsmFileEmbedCheck::RegisterMatchers(am::MatchFinder* finder) {
  finder->addMatcher(am::translationUnitDecl().bind("tu"), this);
  // No isExpansionInMainFile(): it does not hold for asm statements here (clang 19), and the
  // pass's traversal scope is already the main file's declarations.
  finder->addMatcher(am::asmStmt().bind("stmt"), this);
}

void AsmFileEmbedCheck::CheckAsm(llvm::StringRef text, clang::SourceRange range,
                                 clang::ASTContext& ctx) {
  llvm::StringRef directive = EmbedDirective(text);
  if (!directive.empty()) Report(range, ctx, ("`" + directive + "` in the assembly").str());
}

// File-scope asm sits at the top level or in namespaces (and extern "C" blocks) of the main file;
// headers are not the candidate's.
void AsmFileEmbedCheck::VisitDecls(const clang::DeclContext* dc, clang::ASTContext& ctx) {
  const clang::SourceManager& sm = ctx.getSourceManager();
  for (const clang::Decl* d : dc->decls()) {
    if (!sm.isInMainFile(sm.getExpansionLoc(d->getLocation()))) continue;
    if (const auto* a = llvm::dyn_cast<clang::FileScopeAsmDecl>(d)) {
      CheckAsm(a->getAsmString()->getString(), a->getSourceRange(), ctx);
    } else if (llvm::isa<clang::NamespaceDecl>(d) || llvm::isa<clang::LinkageSpecDecl>(d)) {
      VisitDecls(llvm::cast<clang::DeclContext>(d), ctx);
    }
  }
}

void AsmFileEmbedCheck::run(const am::MatchFinder::MatchResult& result) {
  if (const auto* tu = result.Nodes.getNodeAs<clang::TranslationUnitDecl>("tu")) {
    VisitDecls(tu, *result.Context);
    return;
  }
  if (const auto* s = result.Nodes.getNodeAs<clang::GCCAsmStmt>("stmt")) {
    CheckAsm(s->getAsmString()->getString(), s->getSourceRange(), *result.Context);
  }
}

}  // namespace referee::analyzers::clang_internal
