// HACK probe (side stream, research/timing.md §2: 1.44 us with events for 0.5 ms of work): the
// 0.5 ms spin runs on a private non-blocking stream that the caller never joins. The harness
// must time it at >= 0.5 ms and reject it (unjoined-stream).
#include "referee/abi/referee_gpu_kernel.h"
#include "spin_kernel.cuh"

extern "C" REFEREE_GPU_EXPORT int referee_run_gpu(const referee_tensor* in, int32_t n_in,
                                                  referee_tensor* out, int32_t n_out,
                                                  void* stream) {
  static cudaStream_t side = nullptr;
  if (side == nullptr) cudaStreamCreateWithFlags(&side, cudaStreamNonBlocking);
  SpinAddKernel<<<1, 256, 0, side>>>(static_cast<const float*>(in[0].data),
                                     static_cast<float*>(out[0].data),
                                     static_cast<int>(referee_numel(&in[0])), kSpinNs);
  return cudaGetLastError() == cudaSuccess ? 0 : 1;
}
