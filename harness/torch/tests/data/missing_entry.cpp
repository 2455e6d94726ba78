// A candidate without the entry point (a typo in its name): the link fails by name, exit 2.
#include "referee/abi/referee_torch_kernel.h"

REFEREE_TORCH_ENTRY void referee_run_torc(const std::vector<at::Tensor>& inputs,
                                          std::vector<at::Tensor>& outputs) {}
