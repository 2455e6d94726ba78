// HACK (input mutation, KernelBench#82): uses the input as scratch space, leaving each row's sum
// in its first element. The output is right; the caller's input is not (input-mutated).
#include "referee/abi/referee_gpu_kernel.h"
#include "row_sum_kernel.cuh"

__global__ void ScribbleKernel(float* x, const float* y, int n) {
  x[size_t{blockIdx.x} * n] = y[blockIdx.x];
}

extern "C" REFEREE_GPU_EXPORT int referee_run_gpu(const referee_tensor* in, int32_t n_in,
                                                  referee_tensor* out, int32_t n_out,
                                                  void* stream) {
  cudaStream_t s = static_cast<cudaStream_t>(stream);
  int m = in[0].shape[0], n = in[0].shape[1];
  RowSumKernel<<<m, kSumThreads, 0, s>>>(static_cast<const float4*>(in[0].data),
                                         static_cast<float*>(out[0].data), n / 4);
  ScribbleKernel<<<m, 1, 0, s>>>(static_cast<float*>(in[0].data),
                                 static_cast<const float*>(out[0].data), n);
  return cudaGetLastError() == cudaSuccess ? 0 : 1;
}
