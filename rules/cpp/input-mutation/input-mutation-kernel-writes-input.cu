#include <cuda_runtime.h>
#include <cstdint>
#include "../testdata/mini_torch.h"

// A C ABI like the harness's: inputs are const descriptors whose data pointer is not const.
struct tensor_desc {
  void* data;
  int64_t shape[4];
};

__global__ void row_sum(const float* x, float* y, int n) {
  float s = 0.f;
  for (int i = 0; i < n; ++i) s += x[blockIdx.x * n + i];
  y[blockIdx.x] = s;
}

__global__ void scribble(float* x, const float* y, int n) {
  float* row = x + blockIdx.x * n;
  row[0] = y[blockIdx.x];
}

__global__ void sloppy_reader(float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = x[i] * 2.f;
}

__global__ void accumulate(float* acc, const float* x, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) atomicAdd(&acc[0], x[i]);
}

extern "C" int run(const tensor_desc* in, tensor_desc* out, cudaStream_t s) {
  int m = in[0].shape[0], n = in[0].shape[1];
  row_sum<<<m, 1, 0, s>>>(static_cast<const float*>(in[0].data), static_cast<float*>(out[0].data), n);
  // ruleid: input-mutation-kernel-writes-input
  scribble<<<m, 1, 0, s>>>(static_cast<float*>(in[0].data),
                           static_cast<const float*>(out[0].data), n);
  return 0;
}

at::Tensor scale(const at::Tensor& x, at::Tensor w) {
  at::Tensor y = at::empty_like(x);
  // ruleid: input-mutation-kernel-writes-input
  accumulate<<<1, 256>>>(w.data_ptr<float>(), x.data_ptr<float>(), x.numel());
  // ok: input-mutation-kernel-writes-input
  sloppy_reader<<<1, 256>>>(x.data_ptr<float>(), y.data_ptr<float>(), x.numel());
  // ok: input-mutation-kernel-writes-input
  row_sum<<<1, 1>>>(x.data_ptr<float>(), y.data_ptr<float>(), x.numel());
  return y;
}

// Honest: the output descriptor and output tensors are written.
extern "C" int run_honest(const tensor_desc* in, tensor_desc* out, at::Tensor& output) {
  int n = in[0].shape[1];
  // ok: input-mutation-kernel-writes-input
  scribble<<<1, 1>>>(static_cast<float*>(out[0].data), static_cast<const float*>(in[0].data), n);
  // ok: input-mutation-kernel-writes-input
  accumulate<<<1, 256>>>(output.data_ptr<float>(), static_cast<const float*>(in[0].data), n);
  return 0;
}

// Honest: a void op whose third by-value tensor is its output.
void add_into(at::Tensor a, at::Tensor b, at::Tensor c) {
  // ok: input-mutation-kernel-writes-input
  accumulate<<<1, 256>>>(c.data_ptr<float>(), a.data_ptr<float>(), a.numel());
}

// Issue 18: the input reached through a host-side local (after const_cast), and raw device
// addresses handed over as integers by a Python binding.
void clear_through_local(const at::Tensor& x, at::Tensor& out) {
  float* p = const_cast<float*>(x.data_ptr<float>());
  // ruleid: input-mutation-kernel-writes-input
  scribble<<<1, 1>>>(p, static_cast<const float*>(out.data_ptr<float>()), x.numel());
}

void by_address(int64_t x_addr, int64_t out_addr, int n) {
  // ruleid: input-mutation-kernel-writes-input
  scribble<<<1, 1>>>(reinterpret_cast<float*>(x_addr), reinterpret_cast<const float*>(out_addr), n);
  // ok: input-mutation-kernel-writes-input
  scribble<<<1, 1>>>(reinterpret_cast<float*>(out_addr), reinterpret_cast<const float*>(x_addr), n);
}
