// Honest probe: the 0.5 ms spin on the caller's stream. Must PASS and read ~0.5 ms.
#include "referee/abi/referee_gpu_kernel.h"
#include "spin_kernel.cuh"

extern "C" REFEREE_GPU_EXPORT int referee_run_gpu(const referee_tensor* in, int32_t n_in,
                                                  referee_tensor* out, int32_t n_out,
                                                  void* stream) {
  SpinAddKernel<<<1, 256, 0, static_cast<cudaStream_t>(stream)>>>(
      static_cast<const float*>(in[0].data), static_cast<float*>(out[0].data),
      static_cast<int>(referee_numel(&in[0])), kSpinNs);
  return cudaGetLastError() == cudaSuccess ? 0 : 1;
}
