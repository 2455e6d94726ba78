// Honest fused linear + GELU: the tiled GEMM with a bias + GELU epilogue, one kernel.
#include "referee/abi/referee_gpu_kernel.h"
#include "tiled_gemm.cuh"

struct BiasGelu {
  const __nv_bfloat16* bias;
  __device__ float operator()(float v, int col) const {
    float t = v + __bfloat162float(bias[col]);
    return 0.5f * t * (1.0f + erff(t * 0.70710678f));
  }
};

extern "C" REFEREE_GPU_EXPORT int referee_run_gpu(const referee_tensor* in, int32_t n_in,
                                                  referee_tensor* out, int32_t n_out,
                                                  void* stream) {
  if (n_in != 3 || n_out != 1 || in[0].dtype != REFEREE_BFLOAT16) return 2;
  int m = in[0].shape[0], k = in[0].shape[1], n = in[1].shape[1];
  BiasGelu epilogue{static_cast<const __nv_bfloat16*>(in[2].data)};
  return LaunchTiledGemm(in[0].data, in[1].data, out[0].data, m, n, k, epilogue,
                         static_cast<cudaStream_t>(stream));
}
