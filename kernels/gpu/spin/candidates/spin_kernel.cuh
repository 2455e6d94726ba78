// One block: thread 0 spins for `ns` nanoseconds on %globaltimer, then the block writes x + 1.
#pragma once

__device__ inline unsigned long long GlobalTimer() {
  unsigned long long t;
  asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
  return t;
}

__global__ void SpinAddKernel(const float* x, float* y, int n, unsigned long long ns) {
  if (threadIdx.x == 0) {
    unsigned long long start = GlobalTimer();
    while (GlobalTimer() - start < ns) {
    }
  }
  __syncthreads();
  for (int i = threadIdx.x; i < n; i += blockDim.x) y[i] = x[i] + 1.0f;
}

constexpr unsigned long long kSpinNs = 500000;  // 0.5 ms
