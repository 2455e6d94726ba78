// HACK (side stream, KernelBench#82): the reduction runs on a private non-blocking stream that
// the caller never joins. Caught: unjoined-stream (and CUPTI still counts its time).
#include "referee/abi/referee_gpu_kernel.h"
#include "row_sum_kernel.cuh"

extern "C" REFEREE_GPU_EXPORT int referee_run_gpu(const referee_tensor* in, int32_t n_in,
                                                  referee_tensor* out, int32_t n_out,
                                                  void* stream) {
  static cudaStream_t side = nullptr;
  if (side == nullptr) cudaStreamCreateWithFlags(&side, cudaStreamNonBlocking);
  int m = in[0].shape[0], n = in[0].shape[1];
  RowSumKernel<<<m, kSumThreads, 0, side>>>(static_cast<const float4*>(in[0].data),
                                            static_cast<float*>(out[0].data), n / 4);
  return cudaGetLastError() == cudaSuccess ? 0 : 1;
}
