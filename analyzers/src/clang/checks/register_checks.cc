#include "clang/checks/asm_file_embed_check.h"
#include "clang/checks/check.h"
#include "clang/checks/input_written_by_kernel_check.h"
#include "clang/checks/output_cache_check.h"
#include "clang/checks/oversized_shared_memory_check.h"
#include "clang/checks/static_state_gate_check.h"
#include "clang/checks/uninitialized_output_check.h"
#include "clang/checks/unjoined_side_stream_check.h"

namespace referee::analyzers::clang_internal {
namespace {

template <class T>
std::unique_ptr<ClangCheck> Make(const CheckContext& context) {
  return std::make_unique<T>(context);
}

}  // namespace

void RegisterChecks(CheckRegistry* registry) {
  registry->Register("asm-file-embed", &Make<AsmFileEmbedCheck>);
  registry->Register("input-written-by-kernel", &Make<InputWrittenByKernelCheck>);
  registry->Register("output-cache", &Make<OutputCacheCheck>);
  registry->Register("oversized-shared-memory-launch", &Make<OversizedSharedMemoryCheck>);
  registry->Register("static-state-gate", &Make<StaticStateGateCheck>);
  registry->Register("uninitialized-output", &Make<UninitializedOutputCheck>);
  registry->Register("unjoined-side-stream", &Make<UnjoinedSideStreamCheck>);
}

}  // namespace referee::analyzers::clang_internal
