#include <cuda_runtime.h>
#include <nvml.h>

__global__ void k(float* y) { y[threadIdx.x] = 1.f; }

void tune_device() {
  // ruleid: environment-device-limit
  cudaDeviceSetLimit(cudaLimitStackSize, 1 << 16);
  // ruleid: environment-device-limit
  cudaDeviceSetCacheConfig(cudaFuncCachePreferL1);
  // ruleid: environment-device-limit
  cudaSetDeviceFlags(cudaDeviceScheduleBlockingSync);
  nvmlDevice_t dev;
  nvmlInit();
  nvmlDeviceGetHandleByIndex(0, &dev);
  // ruleid: environment-device-limit
  nvmlDeviceSetGpuLockedClocks(dev, 1980, 1980);
}

// Honest: per-kernel attribute and queries.
void tune_kernel() {
  // ok: environment-device-limit
  cudaFuncSetAttribute(k, cudaFuncAttributeMaxDynamicSharedMemorySize, 100 * 1024);
  size_t stack = 0;
  // ok: environment-device-limit
  cudaDeviceGetLimit(&stack, cudaLimitStackSize);
}
