#include "clang/preamble_cache.h"

#include <algorithm>

#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendOptions.h"
#include "referee/base/log.h"

namespace referee::analyzers::clang_internal {
namespace {

// Counts errors (a missing include is one) while a preamble compiles; prints nothing.
class CountingDiagnostics final : public clang::DiagnosticConsumer {
 public:
  void HandleDiagnostic(clang::DiagnosticsEngine::Level level,
                        const clang::Diagnostic& info) override {
    clang::DiagnosticConsumer::HandleDiagnostic(level, info);
  }
};

std::shared_ptr<const clang::PrecompiledPreamble> Build(
    const clang::CompilerInvocation& invocation, const llvm::MemoryBuffer& main,
    clang::PreambleBounds bounds, llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> vfs,
    std::shared_ptr<clang::PCHContainerOperations> pch_ops) {
  clang::CompilerInvocation copy(invocation);
  // Function bodies in the preamble's headers are never matched (findings are in the main
  // file only), as the audit's own parse skips those of system headers.
  copy.getFrontendOpts().SkipFunctionBodies = true;
  CountingDiagnostics counting;
  llvm::IntrusiveRefCntPtr<clang::DiagnosticsEngine> diags =
      clang::CompilerInstance::createDiagnostics(&copy.getDiagnosticOpts(), &counting, false);
  clang::PreambleCallbacks callbacks;
  llvm::ErrorOr<clang::PrecompiledPreamble> built = clang::PrecompiledPreamble::Build(
      copy, &main, bounds, *diags, vfs, std::move(pch_ops), /*StoreInMemory=*/true, "",
      callbacks);
  std::string name = main.getBufferIdentifier().str();
  if (!built || counting.getNumErrors() > 0) {
    Logf(LogLevel::kDebug, "%s: preamble of %u bytes not reusable (%u errors)", name.c_str(),
         bounds.Size, counting.getNumErrors());
    return nullptr;
  }
  Logf(LogLevel::kDebug, "%s: compiled a preamble of %u bytes (%zu bytes of PCH)", name.c_str(),
       bounds.Size, built->getSize());
  return std::make_shared<const clang::PrecompiledPreamble>(std::move(*built));
}

bool ForceIncludes(const std::vector<std::string>& args) {
  return std::find(args.begin(), args.end(), "-include") != args.end();
}

}  // namespace

std::shared_ptr<const clang::PrecompiledPreamble> PreambleCache::Get(
    const std::vector<std::string>& args, const clang::CompilerInvocation& invocation,
    const llvm::MemoryBuffer& main, llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> vfs,
    std::shared_ptr<clang::PCHContainerOperations> pch_ops, size_t shared_prefix_bytes) {
  llvm::StringRef text = main.getBuffer();
  bool shared = shared_prefix_bytes > 0 && shared_prefix_bytes <= text.size() &&
                text[shared_prefix_bytes - 1] == '\n';
  clang::PreambleBounds bounds =
      shared ? clang::PreambleBounds(unsigned(shared_prefix_bytes), true)
             : clang::ComputePreambleBounds(invocation.getLangOpts(), main.getMemBufferRef(), 0);
  // A source with no directive of its own (a jiterator or cupy kernel string) is preceded only
  // by what the flags force-include (a CUDA pass: the stub and clang's CUDA runtime wrapper,
  // which alone take most of the parse): the same for every such source, so it is compiled on
  // first sight, like a shared prefix (a torch test file holds six such strings).
  bool forced_only = bounds.Size == 0 && !shared && ForceIncludes(args);
  if (bounds.Size == 0 && !forced_only) return nullptr;
  // Flags, the preamble text and, for a file's own preamble, its directory (quoted includes
  // resolve there; the shared prefix includes only <system> headers).
  std::string key;
  for (const std::string& a : args) key += a + '\0';
  if (!shared && !forced_only) {
    llvm::StringRef name = main.getBufferIdentifier();
    key += name.substr(0, name.rfind('/')).str() + '\0';
  }
  key += text.substr(0, bounds.Size).str();
  key += bounds.PreambleEndsAtStartOfLine ? '1' : '0';
  int sightings = shared || forced_only ? 1 : 2;

  std::promise<std::shared_ptr<const clang::PrecompiledPreamble>> promise;
  Entry entry;
  bool mine = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(key);
    if (it != entries_.end()) {
      entry = it->second;
    } else if (++seen_[key] < sightings || entries_.size() >= kMaxEntries) {
      return nullptr;
    } else {
      entry = promise.get_future().share();
      entries_.emplace(key, entry);
      mine = true;
    }
  }
  // The thread that registered the entry compiles it, outside the lock; others wait for it.
  if (mine) promise.set_value(Build(invocation, main, bounds, std::move(vfs), std::move(pch_ops)));
  return entry.get();
}

}  // namespace referee::analyzers::clang_internal
