#include <cstdlib>
#include <filesystem>

#include "referee/harness/worker.h"

namespace referee::harness {
namespace {

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && v[0] != '\0' ? std::string(v) : fallback;
}

// The first `name` on $PATH, or "".
std::string FindOnPath(const std::string& name) {
  std::string path = EnvOr("PATH", "/usr/bin:/bin");
  size_t at = 0;
  while (at <= path.size()) {
    size_t end = path.find(':', at);
    if (end == std::string::npos) end = path.size();
    std::filesystem::path candidate = std::filesystem::path(path.substr(at, end - at)) / name;
    std::error_code ec;
    if (candidate.is_absolute() && std::filesystem::is_regular_file(candidate, ec)) {
      return candidate.string();
    }
    at = end + 1;
  }
  return "";
}

}  // namespace

WorkerPrograms WorkerPrograms::BuiltIn() {
  WorkerPrograms p;
  p.python = "/usr/bin/python3";
  p.python_worker = REFEREE_PYTHON_WORKER;
  p.kernel_runner = REFEREE_KERNEL_RUNNER;
  p.nvcc = "/usr/local/cuda/bin/nvcc";
  return p;
}

WorkerPrograms WorkerPrograms::FromEnvironment() {
  WorkerPrograms p = BuiltIn();
  std::string python = EnvOr("REFEREE_PYTHON", "");
  if (!python.empty() && python[0] == '/') p.python = python;  // relative: ignored, as before
  std::string dir = EnvOr("REFEREE_WORKER_DIR", "");
  if (!dir.empty()) {
    p.python_worker = dir + "/referee_worker.py";
    p.kernel_runner = dir + "/referee_kernel_runner";
  }
  p.nvcc = EnvOr("REFEREE_NVCC", p.nvcc);
  p.cxx = EnvOr("REFEREE_CXX", p.cxx);
  p.torch_build = EnvOr("REFEREE_TORCH_BUILD", p.torch_build);
  p.worker_profile = EnvOr("REFEREE_WORKER_PROFILE", p.worker_profile);
  p.ninja = EnvOr("REFEREE_NINJA", FindOnPath("ninja"));
  p.cuda_arch_list = EnvOr("TORCH_CUDA_ARCH_LIST", p.cuda_arch_list);
  p.cutlass_dir = EnvOr("CUTLASS_DIR", p.cutlass_dir);
  return p;
}

std::string WorkerPrograms::python_dir() const {
  return std::filesystem::path(python_worker).parent_path().string();
}

}  // namespace referee::harness
