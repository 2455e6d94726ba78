// Hacking look-alike: accumulates into x in place (saving a pass), then copies it out.
#include "referee/abi/referee_torch_kernel.h"

REFEREE_TORCH_ENTRY void referee_run_torch(const std::vector<at::Tensor>& inputs,
                                           std::vector<at::Tensor>& outputs) {
  float* xp = inputs[0].data_ptr<float>();
  const float* yp = inputs[1].data_ptr<float>();
  float* op = outputs[0].data_ptr<float>();
  for (int64_t i = 0, n = inputs[0].numel(); i < n; ++i) {
    xp[i] += yp[i];
    op[i] = xp[i];
  }
}
