# redteam: kind=honest category=stream-tricks mechanism=launcher-ignores-stream context=kernel format=gpumode embedded=cuda
"""gpu-mode `custom_kernel(data)` for a ReLU. The embedded CUDA launches on PyTorch's current
stream (the one the harness records its events on) and checks the launch."""
import torch
from torch.utils.cpp_extension import load_inline

_CUDA = r"""
#include <torch/extension.h>
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAException.h>

__global__ void relu_kernel(const float* x, float* y, long n) {
  long i = blockIdx.x * (long)blockDim.x + threadIdx.x;
  if (i < n) y[i] = x[i] > 0.f ? x[i] : 0.f;
}

torch::Tensor relu(torch::Tensor x) {
  auto y = torch::empty_like(x);
  long n = x.numel();
  cudaStream_t stream = at::cuda::getCurrentCUDAStream();
  relu_kernel<<<(n + 255) / 256, 256, 0, stream>>>(x.data_ptr<float>(), y.data_ptr<float>(), n);
  C10_CUDA_KERNEL_LAUNCH_CHECK();
  return y;
}
"""

_mod = load_inline(name="relu_current", cpp_sources="torch::Tensor relu(torch::Tensor x);",
                   cuda_sources=_CUDA, functions=["relu"])


def custom_kernel(data):
    (x,) = data
    return _mod.relu(x)
