// Honest RMSNorm on the caller's stream (kernel in rmsnorm_kernel.cuh).
#include "referee/abi/referee_gpu_kernel.h"
#include "rmsnorm_kernel.cuh"

extern "C" REFEREE_GPU_EXPORT int referee_run_gpu(const referee_tensor* in, int32_t n_in,
                                                  referee_tensor* out, int32_t n_out,
                                                  void* stream) {
  if (n_in != 2 || n_out != 1 || in[0].ndim != 2 || in[0].dtype != REFEREE_BFLOAT16) return 2;
  return LaunchRmsNorm(in, out, static_cast<cudaStream_t>(stream));
}
