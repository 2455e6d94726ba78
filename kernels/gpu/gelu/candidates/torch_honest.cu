// Honest GELU through the LibTorch entry point (harness/include/referee/harness/
// referee_torch_kernel.h): 8 bf16 per thread through 16-byte loads, grid-stride loop, on the
// current stream, written into the harness's pre-allocated output.
#include <cuda_bf16.h>

#include "referee/abi/referee_torch_kernel.h"

namespace {

__global__ void GeluKernel(const uint4* __restrict__ x, uint4* __restrict__ y, size_t n8) {
  for (size_t i = blockIdx.x * size_t{blockDim.x} + threadIdx.x; i < n8;
       i += size_t{gridDim.x} * blockDim.x) {
    uint4 v = x[i];
    __nv_bfloat16* e = reinterpret_cast<__nv_bfloat16*>(&v);
#pragma unroll
    for (int j = 0; j < 8; ++j) {
      float f = __bfloat162float(e[j]);
      e[j] = __float2bfloat16(0.5f * f * (1.0f + erff(f * 0.70710678f)));
    }
    y[i] = v;
  }
}

}  // namespace

REFEREE_TORCH_ENTRY void referee_run_torch(const std::vector<at::Tensor>& inputs,
                                           std::vector<at::Tensor>& outputs) {
  TORCH_CHECK(inputs.size() == 1 && outputs.size() == 1, "gelu: one input, one output");
  const at::Tensor& x = inputs[0];
  at::Tensor& y = outputs[0];
  TORCH_CHECK(x.is_cuda() && x.scalar_type() == at::kBFloat16 && x.is_contiguous() &&
                  y.is_contiguous() && x.numel() % 8 == 0,
              "contiguous bf16 CUDA tensors, numel a multiple of 8");
  GeluKernel<<<132 * 16, 256, 0, referee_torch_stream()>>>(
      static_cast<const uint4*>(x.data_ptr()), static_cast<uint4*>(y.data_ptr()),
      x.numel() / 8);
  cudaError_t err = cudaGetLastError();
  TORCH_CHECK(err == cudaSuccess, "launch failed: ", cudaGetErrorString(err));
}
