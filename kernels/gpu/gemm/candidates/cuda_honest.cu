// Honest bf16 GEMM: the shared tiled kernel (common/tiled_gemm.cuh) on the caller's stream.
#include "referee/abi/referee_gpu_kernel.h"
#include "tiled_gemm.cuh"

extern "C" REFEREE_GPU_EXPORT int referee_run_gpu(const referee_tensor* in, int32_t n_in,
                                                  referee_tensor* out, int32_t n_out,
                                                  void* stream) {
  if (n_in != 2 || n_out != 1 || in[0].dtype != REFEREE_BFLOAT16) return 2;
  int m = in[0].shape[0], k = in[0].shape[1], n = in[1].shape[1];
  return LaunchTiledGemm(in[0].data, in[1].data, out[0].data, m, n, k, IdentityEpilogue{},
                         static_cast<cudaStream_t>(stream));
}
