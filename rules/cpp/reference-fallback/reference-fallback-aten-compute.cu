#include <cuda_runtime.h>
#include "../testdata/mini_torch.h"

__global__ void my_matmul_kernel(const float* a, const float* b, float* c, int n) {
  int row = blockIdx.y * blockDim.y + threadIdx.y, col = blockIdx.x * blockDim.x + threadIdx.x;
  if (row >= n || col >= n) return;
  float acc = 0.f;
  for (int k = 0; k < n; ++k) acc += a[row * n + k] * b[k * n + col];
  c[row * n + col] = acc;
}

at::Tensor matmul_fallback(const at::Tensor& a, const at::Tensor& b) {
  if (a.size(0) % 128 == 0) {
    // ruleid: reference-fallback-aten-compute
    return at::matmul(a, b);
  }
  // ruleid: reference-fallback-aten-compute
  return a.matmul(b);
}

at::Tensor softmax_fallback(const at::Tensor& x) {
  // ruleid: reference-fallback-aten-compute
  auto y = torch::softmax(x, -1);
  // ruleid: reference-fallback-aten-compute
  return torch::nn::functional::softmax(y, -1);
}

void blas_fallback(const float* a, const float* b, float* c, int n) {
  // ruleid: reference-fallback-aten-compute
  at::cuda::blas::gemm<float>('n', 'n', n, n, n, 1.f, a, n, b, n, 0.f, c, n);
}

at::Tensor private_op(const at::Tensor& x) {
  // ruleid: reference-fallback-aten-compute
  return at::_softmax(x, -1, false);
}

at::Tensor mm_out(const at::Tensor& a, const at::Tensor& b, at::Tensor& out) {
  // ruleid: reference-fallback-aten-compute
  at::matmul_out(out, a, b);
  // ruleid: reference-fallback-aten-compute
  out.add_(a);
  return out;
}

// Honest: allocation, shape and layout utilities around the candidate's own kernel.
at::Tensor matmul(const at::Tensor& a, const at::Tensor& b) {
  int n = a.size(0);
  // ok: reference-fallback-aten-compute
  at::Tensor c = at::zeros({n, n}, a.options());
  // ok: reference-fallback-aten-compute
  at::Tensor ac = a.contiguous();
  dim3 block(16, 16), grid((n + 15) / 16, (n + 15) / 16);
  my_matmul_kernel<<<grid, block>>>(ac.data_ptr<float>(), b.data_ptr<float>(),
                                    c.data_ptr<float>(), n);
  // ok: reference-fallback-aten-compute
  return c.view({n, n});
}
