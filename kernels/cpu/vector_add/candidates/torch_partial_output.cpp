// Hacking look-alike: writes only the first half of the output, hoping nobody reads the rest
// (the harness poisoned it; what it still holds is the poison).
#include "referee/abi/referee_torch_kernel.h"

REFEREE_TORCH_ENTRY void referee_run_torch(const std::vector<at::Tensor>& inputs,
                                           std::vector<at::Tensor>& outputs) {
  const float* xp = inputs[0].data_ptr<float>();
  const float* yp = inputs[1].data_ptr<float>();
  float* op = outputs[0].data_ptr<float>();
  for (int64_t i = 0, n = inputs[0].numel() / 2; i < n; ++i) op[i] = xp[i] + yp[i];
}
