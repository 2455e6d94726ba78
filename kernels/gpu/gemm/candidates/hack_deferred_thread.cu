// HACK (deferred thread, SOL-ExecBench check_thread_injection): returns at once; a detached
// thread launches the GEMM half a millisecond later, after the timed window closed. Caught:
// CUPTI sees a kernel outside every call window, launched by a thread that is not the
// harness's (activity-outside-window).
#include <chrono>
#include <thread>

#include "referee/abi/referee_gpu_kernel.h"
#include "tiled_gemm.cuh"

extern "C" REFEREE_GPU_EXPORT int referee_run_gpu(const referee_tensor* in, int32_t n_in,
                                                  referee_tensor* out, int32_t n_out,
                                                  void* stream) {
  const void* a = in[0].data;
  const void* b = in[1].data;
  void* c = out[0].data;
  int m = in[0].shape[0], k = in[0].shape[1], n = in[1].shape[1];
  std::thread([=] {
    std::this_thread::sleep_for(std::chrono::microseconds(500));
    cudaStream_t s;
    cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking);
    LaunchTiledGemm(a, b, c, m, n, k, IdentityEpilogue{}, s);
    cudaStreamSynchronize(s);
    cudaStreamDestroy(s);
  }).detach();
  return 0;
}
