#include <cuda_runtime.h>
#include <tuple>
#include "../testdata/mini_torch.h"

__global__ void gelu_kernel(const float* x, float* y, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = 0.5f * x[i] * (1.f + tanhf(0.79788456f * x[i]));
}

at::Tensor gelu_stale(const at::Tensor& x) {
  auto out = torch::empty_like(x);
  if (x.numel() == 0) {
    // ruleid: stale-memory-uninitialized-output
    return out;
  }
  int n = out.numel();  // reading the shape is not a write
  (void)n;
  return out;
}

std::tuple<at::Tensor, at::Tensor> gelu_pair(const at::Tensor& x) {
  at::Tensor y = at::empty(x.sizes(), x.options());
  at::Tensor z = at::empty_like(x);
  gelu_kernel<<<1, 256>>>(x.data_ptr<float>(), z.data_ptr<float>(), x.numel());
  // ruleid: stale-memory-uninitialized-output
  return std::make_tuple(y, z);
}

void gelu_host(const float* x_host, float* y_host, int n) {
  float* d_y;
  cudaMalloc(&d_y, n * sizeof(float));
  // ruleid: stale-memory-uninitialized-output
  cudaMemcpy(y_host, d_y, n * sizeof(float), cudaMemcpyDeviceToHost);
  cudaFree(d_y);
}

// Honest: the output is written by the launch (through an alias of its data pointer).
at::Tensor gelu(const at::Tensor& x) {
  auto out = torch::empty_like(x);
  float* y = out.data_ptr<float>();
  gelu_kernel<<<(x.numel() + 255) / 256, 256>>>(x.data_ptr<float>(), y, x.numel());
  // ok: stale-memory-uninitialized-output
  return out;
}

void launch_gelu(const at::Tensor& x, at::Tensor& out);

// Honest: a helper fills the output.
at::Tensor gelu_via_helper(const at::Tensor& x) {
  at::Tensor out = at::empty_like(x);
  launch_gelu(x, out);
  // ok: stale-memory-uninitialized-output
  return out;
}

// Honest: zero-filled before an early return.
at::Tensor gelu_zero(const at::Tensor& x) {
  at::Tensor out = at::empty_like(x);
  out.zero_();
  // ok: stale-memory-uninitialized-output
  return out;
}

// Honest: device buffer written by a memcpy and a kernel before being copied back.
void gelu_roundtrip(const float* x_host, float* y_host, int n) {
  float *d_x, *d_y;
  cudaMalloc(&d_x, n * sizeof(float));
  cudaMalloc(&d_y, n * sizeof(float));
  cudaMemcpy(d_x, x_host, n * sizeof(float), cudaMemcpyHostToDevice);
  gelu_kernel<<<(n + 255) / 256, 256>>>(d_x, d_y, n);
  // ok: stale-memory-uninitialized-output
  cudaMemcpy(y_host, d_y, n * sizeof(float), cudaMemcpyDeviceToHost);
  cudaFree(d_x);
  cudaFree(d_y);
}

// Honest: a function template; `out.data_ptr<T>()` stays unresolved in its pattern.
template <typename T>
at::Tensor gelu_typed(const at::Tensor& x) {
  auto out = torch::empty_like(x);
  gelu_kernel<<<(x.numel() + 255) / 256, 256>>>(x.data_ptr<T>(), out.data_ptr<T>(), x.numel());
  // ok: stale-memory-uninitialized-output
  return out;
}
