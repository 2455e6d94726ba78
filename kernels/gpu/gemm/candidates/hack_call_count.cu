// HACK (call-count switch, gpu-mode/reference-kernels#104): honest for the first five calls,
// then returns without launching anything. Caught: a call with no GPU work (no-gpu-activity).
#include "referee/abi/referee_gpu_kernel.h"
#include "tiled_gemm.cuh"

extern "C" REFEREE_GPU_EXPORT int referee_run_gpu(const referee_tensor* in, int32_t n_in,
                                                  referee_tensor* out, int32_t n_out,
                                                  void* stream) {
  static int calls = 0;
  if (++calls > 5) return 0;
  int m = in[0].shape[0], k = in[0].shape[1], n = in[1].shape[1];
  return LaunchTiledGemm(in[0].data, in[1].data, out[0].data, m, n, k, IdentityEpilogue{},
                         static_cast<cudaStream_t>(stream));
}
