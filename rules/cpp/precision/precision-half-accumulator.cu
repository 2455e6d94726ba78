#include <cuda_runtime.h>
#include <cuda_fp16.h>
#include <cuda_bf16.h>

__global__ void dot_half(const __half* a, const __half* b, float* out, int n) {
  __half acc = __float2half(0.f);
  for (int i = threadIdx.x; i < n; i += blockDim.x) {
    // ruleid: precision-half-accumulator
    acc += a[i] * b[i];
  }
  for (int offset = 16; offset > 0; offset /= 2) {
    // ruleid: precision-half-accumulator
    acc = __hadd(acc, __shfl_down_sync(0xffffffffu, acc, offset));
  }
  if (threadIdx.x == 0) atomicAdd(out, __half2float(acc));
}

__global__ void sum_bf16(const __nv_bfloat16* x, float* out, int n) {
  __nv_bfloat16 acc = __float2bfloat16(0.f);
  int i = 0;
  while (i < n) {
    // ruleid: precision-half-accumulator
    acc = __hfma(x[i], x[i], acc);
    ++i;
  }
  *out = __bfloat162float(acc);
}

// Honest: half storage, fp32 accumulation; element-wise half math straight to memory.
__global__ void dot_fp32_acc(const __half* a, const __half* b, __half* c, float* out, int n) {
  float acc = 0.f;
  for (int i = threadIdx.x; i < n; i += blockDim.x) {
    // ok: precision-half-accumulator
    acc += __half2float(a[i]) * __half2float(b[i]);
    // ok: precision-half-accumulator
    c[i] = __hadd(a[i], b[i]);
    // ok: precision-half-accumulator
    __half t = a[i];
    // ok: precision-half-accumulator
    c[i] = t * t;
  }
  atomicAdd(out, acc);
}

// Honest: a per-iteration half2 temporary scaled in place.
__global__ void scale_half2(const __half2* x, __half2* y, __half2 scale, int n) {
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += blockDim.x * gridDim.x) {
    __half2 v = x[i];
    // ok: precision-half-accumulator
    v = __hmul2(v, scale);
    y[i] = v;
  }
}

// A row loop around the reduction loop: the accumulator lives in the row loop.
__global__ void row_sums(const __half* x, __half* y, int rows, int cols) {
  for (int r = threadIdx.x; r < rows; r += blockDim.x) {
    __half acc = __float2half(0.f);
    for (int c = 0; c < cols; ++c) {
      // ruleid: precision-half-accumulator
      acc += x[r * cols + c];
    }
    y[r] = acc;
  }
}
