// Row L2 normalisation: reads x, writes out, on PyTorch's current stream, launch checked.
#include <ATen/cuda/CUDAContext.h>
#include <c10/cuda/CUDAException.h>
#include <cuda_runtime.h>
#include <torch/extension.h>

__global__ void RowNorm(const float* __restrict__ x, float* __restrict__ out, int cols) {
  const float* xr = x + static_cast<int64_t>(blockIdx.x) * cols;
  float* yr = out + static_cast<int64_t>(blockIdx.x) * cols;
  __shared__ float total;
  if (threadIdx.x == 0) total = 0.f;
  __syncthreads();
  float acc = 0.f;
  for (int c = threadIdx.x; c < cols; c += blockDim.x) acc += xr[c] * xr[c];
  atomicAdd(&total, acc);
  __syncthreads();
  const float inv = rsqrtf(total + 1e-12f);
  for (int c = threadIdx.x; c < cols; c += blockDim.x) yr[c] = xr[c] * inv;
}

void rownorm(const torch::Tensor& x, torch::Tensor out) {
  TORCH_CHECK(x.is_contiguous() && out.is_contiguous(), "contiguous tensors expected");
  RowNorm<<<static_cast<unsigned>(x.size(0)), 256, 0, at::cuda::getCurrentCUDAStream()>>>(
      x.data_ptr<float>(), out.data_ptr<float>(), static_cast<int>(x.size(1)));
  C10_CUDA_KERNEL_LAUNCH_CHECK();
}

PYBIND11_MODULE(TORCH_EXTENSION_NAME, m) { m.def("rownorm", &rownorm); }
