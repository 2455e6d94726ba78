#include "clang/pass_runner.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/AST/ASTContext.h"
#include "clang/Basic/DiagnosticLex.h"
#include "clang/Basic/Stack.h"
#include "clang/Basic/FileManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"
#include "referee/base/strings.h"

namespace referee::analyzers::clang_internal {
namespace {

// Keeps the first error and every missing include; prints nothing.
class CollectingDiagnostics final : public clang::DiagnosticConsumer {
 public:
  CollectingDiagnostics(const std::string& abs_path, const std::string& display_path,
                        PassOutput* out)
      : abs_path_(abs_path), display_path_(display_path), out_(out) {}

  void HandleDiagnostic(clang::DiagnosticsEngine::Level level,
                        const clang::Diagnostic& info) override {
    clang::DiagnosticConsumer::HandleDiagnostic(level, info);
    if (level < clang::DiagnosticsEngine::Error) return;
    llvm::SmallString<256> message;
    info.FormatDiagnostic(message);
    std::string where = Where(info);
    if (info.getID() == clang::diag::err_pp_file_not_found) {
      out_->missing_includes.push_back(where + message.str().str());
      return;
    }
    if (out_->first_error.empty()) {
      out_->first_error = where + "error: " + message.str().str();
    }
  }

 private:
  std::string Where(const clang::Diagnostic& info) const {
    if (!info.hasSourceManager() || info.getLocation().isInvalid()) return display_path_ + ": ";
    const clang::SourceManager& sm = info.getSourceManager();
    clang::PresumedLoc presumed = sm.getPresumedLoc(sm.getExpansionLoc(info.getLocation()));
    if (presumed.isInvalid()) return display_path_ + ": ";
    std::string file = presumed.getFilename();
    if (file == abs_path_) file = display_path_;
    return StrFormat("%s:%u:%u: ", file.c_str(), presumed.getLine(), presumed.getColumn());
  }

  std::string abs_path_;
  std::string display_path_;
  PassOutput* out_;
};

class AuditConsumer final : public clang::ASTConsumer {
 public:
  AuditConsumer(const PassInput& input, PassOutput* out, const clang::SourceManager& sm)
      : input_(input), out_(out), sm_(sm) {}

  // Bodies of functions in system headers (LibTorch, the standard library, CUDA) are never
  // matched or reported; skipping them roughly halves the parse of a LibTorch extension. Sema
  // still parses bodies it needs (constexpr, deduced return types).
  bool shouldSkipFunctionBody(clang::Decl* decl) override {
    clang::SourceLocation loc = decl->getLocation();
    return loc.isValid() && sm_.isInSystemHeader(sm_.getExpansionLoc(loc));
  }

  void HandleTranslationUnit(clang::ASTContext& ctx) override {
    const clang::SourceManager& sm = ctx.getSourceManager();
    std::vector<clang::Decl*> scope;
    for (clang::Decl* decl : ctx.getTranslationUnitDecl()->decls()) {
      clang::SourceLocation loc = sm.getExpansionLoc(decl->getLocation());
      if (loc.isValid() && sm.isWrittenInMainFile(loc)) scope.push_back(decl);
    }
    out_->ran = true;
    if (scope.empty()) return;
    ctx.setTraversalScope(scope);
    FindingSink sink(input_.display_path, input_.content);
    clang::ast_matchers::MatchFinder finder;
    std::vector<std::shared_ptr<void>> keep_alive;
    input_.setup(&finder, &sink, &keep_alive);
    finder.matchAST(ctx);
    out_->findings = std::move(sink.findings());
  }

 private:
  const PassInput& input_;
  PassOutput* out_;
  const clang::SourceManager& sm_;
};

class AuditAction final : public clang::ASTFrontendAction {
 public:
  AuditAction(const PassInput& input, PassOutput* out) : input_(input), out_(out) {}

 protected:
  bool BeginInvocation(clang::CompilerInstance& ci) override {
    ci.getFrontendOpts().SkipFunctionBodies = true;  // the consumer picks which (system headers)
    return true;
  }
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance& ci,
                                                        llvm::StringRef) override {
    return std::make_unique<AuditConsumer>(input_, out_, ci.getSourceManager());
  }

 private:
  const PassInput& input_;
  PassOutput* out_;
};

// Runs the audit on the invocation the driver built, with a compiled preamble when the cache
// has one for it (preamble_cache.h): the same as FrontendActionFactory::runInvocation otherwise.
class AuditToolAction final : public clang::tooling::ToolAction {
 public:
  AuditToolAction(const PassInput& input, PassOutput* out) : input_(input), out_(out) {}

  bool runInvocation(std::shared_ptr<clang::CompilerInvocation> invocation,
                     clang::FileManager* files,
                     std::shared_ptr<clang::PCHContainerOperations> pch_ops,
                     clang::DiagnosticConsumer* diagnostics) override {
    llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> vfs = files->getVirtualFileSystemPtr();
    llvm::IntrusiveRefCntPtr<clang::FileManager> own_files;
    std::shared_ptr<const clang::PrecompiledPreamble> preamble;
    if (input_.preambles != nullptr) {
      std::unique_ptr<llvm::MemoryBuffer> main =
          llvm::MemoryBuffer::getMemBufferCopy(*input_.content, input_.abs_path);
      preamble = input_.preambles->Get(input_.args, *invocation, *main, vfs, pch_ops,
                                       input_.shared_prefix_bytes);
      if (preamble) {
        // The instance's source manager takes the buffer; the preamble adds its in-memory PCH
        // to a file system of its own.
        preamble->AddImplicitPreamble(*invocation, vfs, main.release());
        own_files = new clang::FileManager(files->getFileSystemOpts(), vfs);
      }
    }
    clang::CompilerInstance compiler(std::move(pch_ops));
    compiler.setInvocation(std::move(invocation));
    compiler.setFileManager(own_files ? own_files.get() : files);
    compiler.createDiagnostics(diagnostics, /*ShouldOwnClient=*/false);
    if (!compiler.hasDiagnostics()) return false;
    compiler.createSourceManager(compiler.getFileManager());
    AuditAction action(input_, out_);
    bool ok = compiler.ExecuteAction(action);
    files->clearStatCache();
    return ok;
  }

 private:
  const PassInput& input_;
  PassOutput* out_;
};

}  // namespace

PassOutput RunPass(const PassInput& input) {
  // Lets Sema move deep template instantiation onto a fresh thread before the stack runs out
  // (clang's runWithSufficientStackSpace); the pass itself runs on a large stack (large_stack.h).
  clang::noteBottomOfStack();
  PassOutput out;
  auto overlay = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(
      llvm::vfs::getRealFileSystem());
  auto memory = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  overlay->pushOverlay(memory);
  memory->addFile(input.abs_path, 0, llvm::MemoryBuffer::getMemBufferCopy(*input.content));
  if (input.virtual_files != nullptr) {
    for (const auto& [path, text] : *input.virtual_files) {
      memory->addFile(path, 0, llvm::MemoryBuffer::getMemBuffer(text));
    }
  }
  llvm::IntrusiveRefCntPtr<clang::FileManager> files(
      new clang::FileManager(clang::FileSystemOptions(), overlay));
  std::vector<std::string> command = {"referee-clang", "-fsyntax-only"};
  command.insert(command.end(), input.args.begin(), input.args.end());
  command.push_back(input.abs_path);
  AuditToolAction action(input, &out);
  clang::tooling::ToolInvocation invocation(command, &action, files.get(),
                                            std::make_shared<clang::PCHContainerOperations>());
  CollectingDiagnostics diagnostics(input.abs_path, input.display_path, &out);
  invocation.setDiagnosticConsumer(&diagnostics);
  bool ok = invocation.run();
  if (!ok && !out.ran && out.first_error.empty() && out.missing_includes.empty()) {
    out.first_error = input.display_path + ": error: clang could not run on this file";
  }
  return out;
}

}  // namespace referee::analyzers::clang_internal
