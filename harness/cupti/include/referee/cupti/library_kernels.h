// Which GPU kernels are a library's rather than the candidate's own (issue 18 item 6): a
// candidate that quietly calls the reference library (torch.matmul, F.softmax, cuBLAS,
// torch.compile of the reference) runs the library's kernels in its timed windows. Kernels are
// recognised by the names the libraries give them, mangled or not: ATen's `at::native`,
// cuBLAS/cuBLASLt's `nvjet_*`, `sm90_xmma_*`, `ampere_sgemm_*`, `gemv2T_kernel` ..., cuDNN's,
// PyTorch's attention kernels, and TorchInductor's generated `triton_poi_fused_*` kernels. A
// candidate's own CUDA and Triton kernels (CUB and CUTLASS templates included: they are
// compiled into its module) are not library kernels.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace referee::cupti {

// "ATen", "cuBLAS", "cuDNN", "PyTorch attention", "TorchInductor", or "" (not a library's).
std::string_view LibraryOf(std::string_view kernel_name);

}  // namespace referee::cupti
