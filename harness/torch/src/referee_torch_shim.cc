// The trusted shim between the Python worker and a candidate's LibTorch entry point
// (harness/include/referee/abi/referee_torch_kernel.h): a torch custom-op library.
//
//   torch.ops.load_library("libreferee_torch_shim.so")
//   torch.ops.referee.load_library(path)                  # dlopen once, resolve the symbol
//   torch.ops.referee.run_library(path, inputs, outputs)  # call referee_run_torch
//
// It runs inside the (untrusted, sandboxed) worker: it is no defence, only the calling
// convention. The parent checks outputs and inputs itself from shared memory.
#include <dlfcn.h>

#include <ATen/core/Tensor.h>
#include <torch/library.h>

#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "referee/abi/referee_torch_kernel.h"

namespace {

// Libraries are loaded once per path and never unloaded (their kernels may still be queued).
referee_run_torch_fn Resolve(const std::string& path) {
  static std::mutex mu;
  static std::unordered_map<std::string, referee_run_torch_fn> loaded;
  std::lock_guard<std::mutex> lock(mu);
  auto it = loaded.find(path);
  if (it != loaded.end()) return it->second;
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  TORCH_CHECK(handle != nullptr, "cannot load ", path, ": ", dlerror());
  void* sym = dlsym(handle, REFEREE_TORCH_SYMBOL);
  TORCH_CHECK(sym != nullptr, path, " defines no ", REFEREE_TORCH_SYMBOL,
              " (REFEREE_TORCH_ENTRY, referee_torch_kernel.h)");
  auto fn = reinterpret_cast<referee_run_torch_fn>(sym);
  loaded.emplace(path, fn);
  return fn;
}

void LoadLibrary(std::string path) { Resolve(path); }

void RunLibrary(std::string path, at::TensorList inputs, at::TensorList outputs) {
  referee_run_torch_fn fn = Resolve(path);
  std::vector<at::Tensor> in(inputs.begin(), inputs.end());
  std::vector<at::Tensor> out(outputs.begin(), outputs.end());
  fn(in, out);
  // Destination-passing: a replaced handle means the harness's output was never written.
  TORCH_CHECK(out.size() == outputs.size(), REFEREE_TORCH_SYMBOL, " resized its outputs");
  for (size_t i = 0; i < out.size(); ++i) {
    TORCH_CHECK(out[i].is_same(outputs[i]), REFEREE_TORCH_SYMBOL, " replaced output ", i,
                " with another tensor; write into the one given");
  }
}

}  // namespace

TORCH_LIBRARY(referee, m) {
  m.def("load_library(str path) -> ()", &LoadLibrary);
  m.def("run_library(str path, Tensor[] inputs, Tensor(a!)[] outputs) -> ()", &RunLibrary);
}
