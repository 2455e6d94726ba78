// HACK (persisting-L2 window, research/kernel-evaluators.md §3.3): reserves a persisting L2
// carve-out and pins the input there through the stream's access-policy window, so the next
// "cold" call finds it in L2 after the harness's flush. Caught: the harness resets the carve-out
// before each call and rejects a call that leaves the limit non-zero (persisting-l2).
#include "referee/abi/referee_gpu_kernel.h"
#include "rmsnorm_kernel.cuh"

extern "C" REFEREE_GPU_EXPORT int referee_run_gpu(const referee_tensor* in, int32_t n_in,
                                                  referee_tensor* out, int32_t n_out,
                                                  void* stream) {
  cudaStream_t s = static_cast<cudaStream_t>(stream);
  int max_persist = 0, max_window = 0;
  cudaDeviceGetAttribute(&max_persist, cudaDevAttrMaxPersistingL2CacheSize, 0);
  cudaDeviceGetAttribute(&max_window, cudaDevAttrMaxAccessPolicyWindowSize, 0);
  size_t bytes = referee_numel(&in[0]) * 2;
  if (bytes > static_cast<size_t>(max_window)) bytes = max_window;
  cudaDeviceSetLimit(cudaLimitPersistingL2CacheSize, max_persist);
  cudaStreamAttrValue attr = {};
  attr.accessPolicyWindow.base_ptr = in[0].data;
  attr.accessPolicyWindow.num_bytes = bytes;
  attr.accessPolicyWindow.hitRatio = 1.0f;
  attr.accessPolicyWindow.hitProp = cudaAccessPropertyPersisting;
  attr.accessPolicyWindow.missProp = cudaAccessPropertyStreaming;
  cudaStreamSetAttribute(s, cudaStreamAttributeAccessPolicyWindow, &attr);
  cudaGetLastError();  // a refused window is no reason to stop: the carve-out is the hack
  int rc = LaunchRmsNorm(in, out, s);
  attr.accessPolicyWindow.num_bytes = 0;  // leave the caller's stream as it was
  cudaStreamSetAttribute(s, cudaStreamAttributeAccessPolicyWindow, &attr);
  return rc;
}
