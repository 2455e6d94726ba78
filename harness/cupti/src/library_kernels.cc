#include "referee/cupti/library_kernels.h"

#include <array>

namespace referee::cupti {
namespace {

struct Family {
  std::string_view library;
  std::array<std::string_view, 12> marks;  // substrings of the (possibly mangled) name
};

bool StartsWith(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// Prefixes: names the libraries start their kernels with (cuBLAS's SASS kernels carry the
// architecture first). Substrings: namespaces, mangled (`_ZN2at6native`) or demangled.
constexpr std::array<std::string_view, 14> kCublasPrefixes = {
    "nvjet_",  "sm50_xmma", "sm70_xmma", "sm75_xmma", "sm80_xmma", "sm86_xmma", "sm89_xmma",
    "sm90_xmma", "sm100_xmma", "ampere_", "volta_", "turing_", "cutlass_80_", "gemmk1_kernel"};

constexpr std::array<Family, 4> kFamilies = {{
    {"ATen", {"at::native::", "_ZN2at6native", "at::cuda::", "_ZN2at4cuda", "at_cuda_detail",
              "_ZN14at_cuda_detail", "c10::cuda::", "", "", "", "", ""}},
    {"cuBLAS", {"cublas", "gemv2T_kernel", "gemv2N_kernel", "gemvNSP_kernel", "gemmSN_TN_kernel",
                "gemmSN_NN_kernel", "splitKreduce_kernel", "_ZN8internal5gemvx", "xmma_gemm", "",
                "", ""}},
    {"cuDNN", {"cudnn", "_ZN5cudnn", "implicit_convolve_sgemm", "fft2d_r2c", "fft2d_c2r",
               "", "", "", "", "", "", ""}},
    {"PyTorch attention", {"pytorch_flash", "_ZN14pytorch_flash", "fmha_cutlass", "PyTorchMemEff",
                           "", "", "", "", "", "", "", ""}},
}};

constexpr std::array<std::string_view, 5> kInductorPrefixes = {
    "triton_poi_fused", "triton_red_fused", "triton_per_fused", "triton_tem_fused",
    "triton_for_fused"};

}  // namespace

std::string_view LibraryOf(std::string_view name) {
  for (std::string_view p : kCublasPrefixes) {
    if (StartsWith(name, p)) return "cuBLAS";
  }
  for (std::string_view p : kInductorPrefixes) {
    if (StartsWith(name, p)) return "TorchInductor";
  }
  for (const Family& f : kFamilies) {
    for (std::string_view mark : f.marks) {
      if (!mark.empty() && name.find(mark) != std::string_view::npos) return f.library;
    }
  }
  return {};
}

}  // namespace referee::cupti
