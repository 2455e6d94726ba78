#include <cuda_runtime.h>

__global__ void tiled(const float* x, float* y, int n) {
  extern __shared__ float tile[];
  tile[threadIdx.x] = x[blockIdx.x * blockDim.x + threadIdx.x];
  __syncthreads();
  y[blockIdx.x * blockDim.x + threadIdx.x] = tile[blockDim.x - 1 - threadIdx.x];
}

__global__ void tiled_big(const float* x, float* y, int n) {
  extern __shared__ float tile[];
  y[threadIdx.x] = tile[threadIdx.x] + x[threadIdx.x];
}

constexpr int kTileBytes = 96 * 1024;

void run_stale(const float* x, float* y, int n, cudaStream_t s) {
  // ruleid: stale-memory-oversized-shared-memory
  tiled<<<n / 256, 256, kTileBytes, s>>>(x, y, n);
}

// Honest: the limit is raised for tiled_big; small or run-time sizes.
void run_raised(const float* x, float* y, int n, int smem, cudaStream_t s) {
  cudaFuncSetAttribute(tiled_big, cudaFuncAttributeMaxDynamicSharedMemorySize, kTileBytes);
  // ok: stale-memory-oversized-shared-memory
  tiled_big<<<n / 256, 256, kTileBytes, s>>>(x, y, n);
  // ok: stale-memory-oversized-shared-memory
  tiled<<<n / 256, 256, 48 * 1024, s>>>(x, y, n);
  // ok: stale-memory-oversized-shared-memory
  tiled<<<n / 256, 256, smem, s>>>(x, y, n);
}
