// Shared by the row-sum CUDA candidates: one 256-thread block per row, float4 loads.
#pragma once

constexpr int kSumThreads = 256;

__device__ inline float BlockSum(float v) {
  __shared__ float warp_sums[kSumThreads / 32];
  for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffff, v, o);
  if (threadIdx.x % 32 == 0) warp_sums[threadIdx.x / 32] = v;
  __syncthreads();
  float total = 0.f;
#pragma unroll
  for (int i = 0; i < kSumThreads / 32; ++i) total += warp_sums[i];
  return total;
}

__global__ void __launch_bounds__(kSumThreads)
    RowSumKernel(const float4* __restrict__ x, float* __restrict__ y, int n4) {
  const float4* row = x + size_t{blockIdx.x} * n4;
  float s = 0.f;
  for (int i = threadIdx.x; i < n4; i += kSumThreads) {
    float4 v = row[i];
    s += (v.x + v.y) + (v.z + v.w);
  }
  s = BlockSum(s);
  if (threadIdx.x == 0) y[blockIdx.x] = s;
}
