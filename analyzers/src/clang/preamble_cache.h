// Compiled preambles shared by the passes of one process (issue 20). A file's preamble is its
// leading run of #include/#define lines (clang's PrecompiledPreamble, as clangd and libclang use
// it); torch-extension sources all start with `#include <torch/extension.h>`, which alone takes
// seconds to parse, and KernelBench's model_new_ex_2.py took 36.5 s. A preamble is compiled the
// `sightings`-th time its text is seen under the same compile flags (embedded sources: the first;
// files: the second, as a preamble seen once is not worth compiling) and reused from then on. Preambles whose compilation reports an error or a missing
// include are never reused, so every diagnostic still comes from a full parse.
#pragma once

#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "clang/Frontend/CompilerInvocation.h"
#include "clang/Frontend/PCHContainerOperations.h"
#include "clang/Frontend/PrecompiledPreamble.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"

namespace referee::analyzers::clang_internal {

class PreambleCache final {
 public:
  // Compiled preambles kept (each holds a PCH in memory; LibTorch's is tens of MiB).
  static constexpr size_t kMaxEntries = 6;

  // The preamble to parse `main` with under `invocation` (args is what distinguishes one set of
  // compile flags from another), or null: none yet, or not reusable. `shared_prefix_bytes` > 0:
  // the preamble is that prefix (whole lines). Thread-safe; a preamble being compiled by another
  // thread is waited for.
  std::shared_ptr<const clang::PrecompiledPreamble> Get(
      const std::vector<std::string>& args, const clang::CompilerInvocation& invocation,
      const llvm::MemoryBuffer& main, llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> vfs,
      std::shared_ptr<clang::PCHContainerOperations> pch_ops, size_t shared_prefix_bytes);

 private:
  using Entry = std::shared_future<std::shared_ptr<const clang::PrecompiledPreamble>>;
  std::mutex mu_;
  std::map<std::string, int> seen_;
  std::map<std::string, Entry> entries_;
};

}  // namespace referee::analyzers::clang_internal
