// A candidate that does not compile: the harness reports the compiler's first error as one
// `file:line:col: error:` line and exits 2.
#include "referee/abi/referee_torch_kernel.h"

REFEREE_TORCH_ENTRY void referee_run_torch(const std::vector<at::Tensor>& inputs,
                                           std::vector<at::Tensor>& outputs) {
  undeclared_helper(inputs, outputs);
}
