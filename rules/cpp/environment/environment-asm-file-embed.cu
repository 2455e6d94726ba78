#include <cuda_runtime.h>

// ruleid: environment-asm-file-embed
asm(".section .rodata\n"
    ".global kStored\n"
    "kStored:\n"
    ".incbin \"../workloads/expected_output.bin\"\n"
    ".text\n");

namespace hidden {
// ruleid: environment-asm-file-embed
asm(".include \"/tmp/answers.s\"");
}  // namespace hidden

// ok: environment-asm-file-embed
asm(".globl kVersionTag\n.set kVersionTag, 3");

extern "C" const unsigned char kStored[];

__device__ unsigned lane_id() {
  unsigned id;
  // ok: environment-asm-file-embed
  asm volatile("mov.u32 %0, %%laneid;" : "=r"(id));
  return id;
}

void host_embed() {
  // ruleid: environment-asm-file-embed
  asm volatile(".pushsection .rodata\n.incbin \"ref.bin\"\n.popsection");
}

__global__ void copy_out(float* out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = static_cast<float>(lane_id());
}
