// Shared by the RMSNorm CUDA candidates: one 512-thread block per row, 8 bf16 per thread.
#pragma once
#include <cuda_bf16.h>

constexpr int kRmsThreads = 512;

__global__ void __launch_bounds__(kRmsThreads)
    RmsNormKernel(const uint4* __restrict__ x, const uint4* __restrict__ w, uint4* __restrict__ y,
                  int n8, float inv_n) {
  __shared__ float warp_sums[kRmsThreads / 32];
  size_t base = size_t{blockIdx.x} * n8;
  float f[8];
  float ss = 0.f;
  uint4 v = threadIdx.x < n8 ? x[base + threadIdx.x] : make_uint4(0, 0, 0, 0);
  const __nv_bfloat16* e = reinterpret_cast<const __nv_bfloat16*>(&v);
#pragma unroll
  for (int j = 0; j < 8; ++j) {
    f[j] = __bfloat162float(e[j]);
    ss += f[j] * f[j];
  }
  for (int o = 16; o > 0; o >>= 1) ss += __shfl_xor_sync(0xffffffff, ss, o);
  if (threadIdx.x % 32 == 0) warp_sums[threadIdx.x / 32] = ss;
  __syncthreads();
  float total = 0.f;
#pragma unroll
  for (int i = 0; i < kRmsThreads / 32; ++i) total += warp_sums[i];
  float scale = rsqrtf(total * inv_n + 1e-6f);
  if (threadIdx.x >= n8) return;
  uint4 wv = w[threadIdx.x];
  const __nv_bfloat16* we = reinterpret_cast<const __nv_bfloat16*>(&wv);
  uint4 out;
  __nv_bfloat16* o = reinterpret_cast<__nv_bfloat16*>(&out);
#pragma unroll
  for (int j = 0; j < 8; ++j) o[j] = __float2bfloat16(f[j] * scale * __bfloat162float(we[j]));
  y[base + threadIdx.x] = out;
}

inline int LaunchRmsNorm(const referee_tensor* in, referee_tensor* out, cudaStream_t stream) {
  int m = static_cast<int>(in[0].shape[0]), n = static_cast<int>(in[0].shape[1]);
  if (n % 8 != 0 || n / 8 > kRmsThreads) return 3;
  RmsNormKernel<<<m, kRmsThreads, 0, stream>>>(
      static_cast<const uint4*>(in[0].data), static_cast<const uint4*>(in[1].data),
      static_cast<uint4*>(out[0].data), n / 8, 1.0f / n);
  return cudaGetLastError() == cudaSuccess ? 0 : 1;
}
