// Honest row sum through the LibTorch entry point (referee/abi/referee_torch_kernel.h):
// the same kernel as cuda_honest.cu, on the current stream.
#include "referee/abi/referee_torch_kernel.h"
#include "row_sum_kernel.cuh"

REFEREE_TORCH_ENTRY void referee_run_torch(const std::vector<at::Tensor>& inputs,
                                           std::vector<at::Tensor>& outputs) {
  TORCH_CHECK(inputs.size() == 1 && outputs.size() == 1, "row sum: one input, one output");
  const at::Tensor& x = inputs[0];
  TORCH_CHECK(x.is_cuda() && x.dim() == 2 && x.scalar_type() == at::kFloat &&
                  x.is_contiguous() && x.size(1) % 4 == 0,
              "contiguous [M, N] float32 CUDA tensor, N a multiple of 4");
  int m = static_cast<int>(x.size(0)), n = static_cast<int>(x.size(1));
  RowSumKernel<<<m, kSumThreads, 0, referee_torch_stream()>>>(
      static_cast<const float4*>(x.data_ptr()), outputs[0].data_ptr<float>(), n / 4);
  cudaError_t err = cudaGetLastError();
  TORCH_CHECK(err == cudaSuccess, "launch failed: ", cudaGetErrorString(err));
}
