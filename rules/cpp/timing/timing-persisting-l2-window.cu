#include <cuda_runtime.h>

__global__ void reduce_kernel(const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) atomicAdd(y, x[i]);
}

void reduce_pinned(const float* x, float* y, int n, cudaStream_t s) {
  cudaDeviceProp prop;
  cudaGetDeviceProperties(&prop, 0);
  // ruleid: timing-persisting-l2-window
  cudaDeviceSetLimit(cudaLimitPersistingL2CacheSize, prop.persistingL2CacheMaxSize);
  cudaStreamAttrValue attr = {};
  attr.accessPolicyWindow.base_ptr = (void*)x;
  attr.accessPolicyWindow.num_bytes = n * sizeof(float);
  attr.accessPolicyWindow.hitRatio = 1.0f;
  // ruleid: timing-persisting-l2-window
  attr.accessPolicyWindow.hitProp = cudaAccessPropertyPersisting;
  attr.accessPolicyWindow.missProp = cudaAccessPropertyStreaming;
  // ruleid: timing-persisting-l2-window
  cudaStreamSetAttribute(s, cudaStreamAttributeAccessPolicyWindow, &attr);
  reduce_kernel<<<(n + 255) / 256, 256, 0, s>>>(x, y, n);
}

// Honest: reading L2 properties and a per-kernel shared-memory attribute.
void reduce(const float* x, float* y, int n, cudaStream_t s) {
  cudaDeviceProp prop;
  cudaGetDeviceProperties(&prop, 0);
  // ok: timing-persisting-l2-window
  int tile = prop.l2CacheSize > (40 << 20) ? 512 : 256;
  // ok: timing-persisting-l2-window
  cudaFuncSetAttribute(reduce_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, 0);
  reduce_kernel<<<(n + tile - 1) / tile, tile, 0, s>>>(x, y, n);
}
