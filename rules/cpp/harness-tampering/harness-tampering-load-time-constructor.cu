#include <cuda_runtime.h>

// ruleid: harness-tampering-load-time-constructor
__attribute__((constructor)) static void install_hooks() {}

// ruleid: harness-tampering-load-time-constructor
__attribute__((destructor)) static void cleanup_traces() {}

// Honest: lazy initialisation in the wrapper, constant globals.
static const int kBlock = 256;
__global__ void k(float* y) { y[threadIdx.x] = 0.f; }

// ok: harness-tampering-load-time-constructor
void run(float* y, cudaStream_t s) {
  static bool init = false;
  if (!init) init = true;
  k<<<1, kBlock, 0, s>>>(y);
}
