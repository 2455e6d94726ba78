// Honest row softmax: one 1024-thread block per row, the row held in registers (N <= 4096),
// block-wide max and sum through warp shuffles.
#include "referee/abi/referee_gpu_kernel.h"

constexpr int kThreads = 1024;
constexpr int kPerThread = 4;

__device__ float BlockReduce(float v, bool is_max, float* scratch) {
  for (int o = 16; o > 0; o >>= 1) {
    float other = __shfl_xor_sync(0xffffffff, v, o);
    v = is_max ? fmaxf(v, other) : v + other;
  }
  int warp = threadIdx.x / 32, lane = threadIdx.x % 32;
  if (lane == 0) scratch[warp] = v;
  __syncthreads();
  if (warp == 0) {
    v = scratch[lane];
    for (int o = 16; o > 0; o >>= 1) {
      float other = __shfl_xor_sync(0xffffffff, v, o);
      v = is_max ? fmaxf(v, other) : v + other;
    }
    if (lane == 0) scratch[0] = v;
  }
  __syncthreads();
  float r = scratch[0];
  __syncthreads();
  return r;
}

__global__ void __launch_bounds__(kThreads) SoftmaxKernel(const float* x, float* y, int n) {
  __shared__ float scratch[32];
  const float* row = x + size_t{blockIdx.x} * n;
  float v[kPerThread];
  float m = -INFINITY;
#pragma unroll
  for (int j = 0; j < kPerThread; ++j) {
    int c = threadIdx.x + j * kThreads;
    v[j] = c < n ? row[c] : -INFINITY;
    m = fmaxf(m, v[j]);
  }
  m = BlockReduce(m, true, scratch);
  float s = 0.f;
#pragma unroll
  for (int j = 0; j < kPerThread; ++j) {
    v[j] = __expf(v[j] - m);
    s += v[j];
  }
  float inv = 1.f / BlockReduce(s, false, scratch);
#pragma unroll
  for (int j = 0; j < kPerThread; ++j) {
    int c = threadIdx.x + j * kThreads;
    if (c < n) y[size_t{blockIdx.x} * n + c] = v[j] * inv;
  }
}

extern "C" REFEREE_GPU_EXPORT int referee_run_gpu(const referee_tensor* in, int32_t n_in,
                                                  referee_tensor* out, int32_t n_out,
                                                  void* stream) {
  if (n_in != 1 || n_out != 1 || in[0].ndim != 2 || in[0].dtype != REFEREE_FLOAT32) return 2;
  int m = static_cast<int>(in[0].shape[0]), n = static_cast<int>(in[0].shape[1]);
  if (n > kThreads * kPerThread) return 3;
  SoftmaxKernel<<<m, kThreads, 0, static_cast<cudaStream_t>(stream)>>>(
      static_cast<const float*>(in[0].data), static_cast<float*>(out[0].data), n);
  return cudaGetLastError() == cudaSuccess ? 0 : 1;
}
