#include <cuda_runtime.h>
#include "../testdata/mini_torch.h"

__global__ void scale_kernel(const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  y[i] = 2.f * x[i];
  // ruleid: input-mutation-const-cast-write
  ((float*)x)[i] = 0.f;
}

__global__ void scale_kernel2(const float* __restrict__ x, float* y, int n) {
  // ruleid: input-mutation-const-cast-write
  float* w = const_cast<float*>(x);
  w[threadIdx.x] = y[threadIdx.x];
}

void wrapper(const at::Tensor& x, at::Tensor& y) {
  // ruleid: input-mutation-const-cast-write
  float* px = const_cast<float*>(x.const_data_ptr<float>());
  scale_kernel<<<1, 256>>>(px, y.data_ptr<float>(), x.numel());
}

// Honest: vectorised const loads, and casts of the output.
__global__ void scale_vec(const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  // ok: input-mutation-const-cast-write
  const float4* x4 = reinterpret_cast<const float4*>(x);
  // ok: input-mutation-const-cast-write
  float4* y4 = reinterpret_cast<float4*>(y);
  if (i < n / 4) {
    float4 v = x4[i];
    y4[i] = make_float4(2.f * v.x, 2.f * v.y, 2.f * v.z, 2.f * v.w);
  }
}
