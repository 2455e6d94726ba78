// Honest LibTorch entry point (referee/abi/referee_torch_kernel.h): out = x + y, written in
// place into the harness's pre-allocated output.
#include "referee/abi/referee_torch_kernel.h"

REFEREE_TORCH_ENTRY void referee_run_torch(const std::vector<at::Tensor>& inputs,
                                           std::vector<at::Tensor>& outputs) {
  TORCH_CHECK(inputs.size() == 2 && outputs.size() == 1, "vector_add: 2 inputs, 1 output");
  const at::Tensor& x = inputs[0];
  const at::Tensor& y = inputs[1];
  TORCH_CHECK(x.scalar_type() == at::kFloat && x.is_contiguous() && y.is_contiguous(),
              "contiguous float32 expected");
  const float* xp = x.data_ptr<float>();
  const float* yp = y.data_ptr<float>();
  float* op = outputs[0].data_ptr<float>();
  for (int64_t i = 0, n = x.numel(); i < n; ++i) op[i] = xp[i] + yp[i];
}
