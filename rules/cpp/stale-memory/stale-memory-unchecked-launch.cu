#include <cuda_runtime.h>
#include "../testdata/mini_torch.h"

__global__ void big_smem_kernel(const float* x, float* y, int n) {
  extern __shared__ float tile[];
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) tile[threadIdx.x] = x[i];
  __syncthreads();
  if (i < n) y[i] = tile[threadIdx.x] * 2.f;
}

at::Tensor scale_unchecked(const at::Tensor& x) {
  at::Tensor y = at::empty_like(x);
  // 96 KB of dynamic shared memory without cudaFuncSetAttribute: the launch fails silently.
  // ruleid: stale-memory-unchecked-launch
  big_smem_kernel<<<(x.numel() + 255) / 256, 256, 96 * 1024>>>(x.data_ptr<float>(),
                                                                y.data_ptr<float>(), x.numel());
  return y;
}

void scale_raw(const float* x, float** out, int n) {
  cudaMalloc(out, n * sizeof(float));
  // ruleid: stale-memory-unchecked-launch
  big_smem_kernel<<<(n + 255) / 256, 256>>>(x, *out, n);
}

// Honest: the launch is checked.
at::Tensor scale_checked(const at::Tensor& x) {
  at::Tensor y = at::empty_like(x);
  // ok: stale-memory-unchecked-launch
  big_smem_kernel<<<(x.numel() + 255) / 256, 256, 4096>>>(x.data_ptr<float>(),
                                                           y.data_ptr<float>(), x.numel());
  C10_CUDA_KERNEL_LAUNCH_CHECK();
  return y;
}

// Honest: writes into a caller-provided output; nothing fresh to go stale.
void scale_into(const float* x, float* y, int n, cudaStream_t s) {
  // ok: stale-memory-unchecked-launch
  big_smem_kernel<<<(n + 255) / 256, 256, 0, s>>>(x, y, n);
}

// Honest: raw API with an explicit check.
void scale_raw_checked(const float* x, float** out, int n) {
  cudaMalloc(out, n * sizeof(float));
  // ok: stale-memory-unchecked-launch
  big_smem_kernel<<<(n + 255) / 256, 256>>>(x, *out, n);
  if (cudaGetLastError() != cudaSuccess) *out = nullptr;
}
