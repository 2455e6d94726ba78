#include <cuda_runtime.h>
#include "../testdata/mini_torch.h"

__global__ void sub_kernel(const float* a, const float* b, float* c, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) c[i] = a[i] - b[i];
}

at::Tensor sub_mutating(const at::Tensor& a, at::Tensor b) {
  // ruleid: input-mutation-inplace-on-input
  b.zero_();
  // ruleid: input-mutation-inplace-on-input
  cudaMemset(a.data_ptr<float>(), 0, a.numel() * sizeof(float));
  at::Tensor c = at::empty_like(a);
  sub_kernel<<<(a.numel() + 255) / 256, 256>>>(a.data_ptr<float>(), b.data_ptr<float>(),
                                               c.data_ptr<float>(), a.numel());
  // ruleid: input-mutation-inplace-on-input
  a.copy_(c);
  // ruleid: input-mutation-inplace-on-input
  at::zero_(b);
  return c;
}

// Honest: writes go to the local output and to the out parameter; inputs are only read.
void sub_into(const at::Tensor& a, const at::Tensor& b, at::Tensor& out) {
  // ok: input-mutation-inplace-on-input
  out.zero_();
  at::Tensor tmp = at::empty_like(a);
  // ok: input-mutation-inplace-on-input
  tmp.fill_(0.0);
  // ok: input-mutation-inplace-on-input
  at::zero_(tmp);
  // ok: input-mutation-inplace-on-input
  cudaMemcpy(tmp.data_ptr<float>(), a.data_ptr<float>(), a.numel() * 4, cudaMemcpyDeviceToDevice);
  sub_kernel<<<(a.numel() + 255) / 256, 256>>>(a.data_ptr<float>(), b.data_ptr<float>(),
                                               out.data_ptr<float>(), a.numel());
}

at::Tensor sub_out(const at::Tensor& a, const at::Tensor& b, at::Tensor output) {
  // ok: input-mutation-inplace-on-input
  output.zero_();
  return output;
}

// Honest: a void op whose by-value tensors include its output.
void sub_void(at::Tensor a, at::Tensor b, at::Tensor c) {
  // ok: input-mutation-inplace-on-input
  c.zero_();
  sub_kernel<<<(a.numel() + 255) / 256, 256>>>(a.data_ptr<float>(), b.data_ptr<float>(),
                                               c.data_ptr<float>(), a.numel());
}
