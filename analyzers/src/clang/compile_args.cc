#include "clang/compile_args.h"

#include <filesystem>
#include <string_view>

#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "clang/cuda_stub_text.h"
#include "referee/base/log.h"

namespace referee::analyzers::clang_internal {
namespace {

namespace fs = std::filesystem;

// Virtual directories (they exist only in each pass's in-memory file system).
constexpr const char* kStubDir = "/__referee__/cuda-stub/include";
constexpr const char* kToolkitStubDir = "/__referee__/cuda13/include";
constexpr const char* kLaunchStub = "/__referee__/cuda13/referee_launch_stub.h";
// Searched last in toolkit mode: headers some toolkits do not ship (NVML comes with the driver).
constexpr const char* kFallbackDir = "/__referee__/cuda-fallback/include";

// Headers a no-toolkit pass answers with the stub (C++ files reach the stub through them;
// CUDA passes also force-include it, as clang force-includes its runtime wrapper).
constexpr const char* kStubbedHeaders[] = {
    "cuda_runtime.h", "cuda_runtime_api.h", "cuda.h", "cuda_fp16.h", "cuda_bf16.h",
    "cuda_fp16.hpp", "cuda_bf16.hpp", "driver_types.h", "vector_types.h",
    "device_launch_parameters.h", "cooperative_groups.h", "cuda_profiler_api.h", "cublas_v2.h",
    "cublas.h", "cublas_api.h", "cublasLt.h", "cudnn.h", "nvml.h", "math_constants.h",
    "cusparse.h", "cusolverDn.h", "cusolver_common.h", "mma.h",
};

// CUDA 13 headers with clang 19: the removed texture headers the runtime wrapper still includes,
// and cudaConfigureCall for device passes (static-rules.md §7).
constexpr const char* kLaunchStubText =
    "#ifdef __CUDA_ARCH__\n"
    "extern \"C\" int cudaConfigureCall(dim3, dim3, unsigned long = 0, struct CUstream_st * = 0);\n"
    "#endif\n";

bool IsDir(const std::string& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

std::string FindPythonInclude() {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/include", ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("python3.", 0) == 0 && fs::exists(entry.path() / "Python.h", ec)) {
      return entry.path().string();
    }
  }
  return "";
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Flags that take the next argument as a path or value and matter for parsing.
bool TakesValue(std::string_view flag) {
  return flag == "-I" || flag == "-isystem" || flag == "-D" || flag == "-U" ||
         flag == "-include" || flag == "-iquote" || flag == "-idirafter" || flag == "-isysroot" ||
         flag == "--include-path" || flag == "--system-include" || flag == "--define-macro" ||
         flag == "--pre-include";
}

bool IsPathFlag(std::string_view flag) {
  return flag == "-I" || flag == "-isystem" || flag == "-include" || flag == "-iquote" ||
         flag == "-idirafter" || flag == "-isysroot";
}

std::string CanonicalFlag(std::string_view flag) {
  if (flag == "--include-path") return "-I";
  if (flag == "--system-include") return "-isystem";
  if (flag == "--define-macro") return "-D";
  if (flag == "--pre-include") return "-include";
  return std::string(flag);
}

std::string Absolute(const std::string& path, const std::string& directory) {
  if (path.empty() || path[0] == '/' || directory.empty()) return path;
  return (fs::path(directory) / path).lexically_normal().string();
}

}  // namespace

std::string_view PassName(PassKind kind) {
  switch (kind) {
    case PassKind::kCpp: return "c++";
    case PassKind::kC: return "c";
    case PassKind::kCudaHost: return "host";
    case PassKind::kCudaDevice: return "device";
  }
  return "c++";
}

std::vector<std::string> FilterRecordedFlags(const std::vector<std::string>& command,
                                             const std::string& directory) {
  std::vector<std::string> out;
  for (size_t i = 1; i < command.size(); ++i) {
    std::string_view arg = command[i];
    if (TakesValue(arg) && i + 1 < command.size()) {
      std::string flag = CanonicalFlag(arg);
      std::string value = command[++i];
      out.push_back(flag);
      out.push_back(IsPathFlag(flag) ? Absolute(value, directory) : value);
      continue;
    }
    for (std::string_view prefix : {"-I", "-D", "-U", "-isystem"}) {
      if (arg.size() > prefix.size() && arg.substr(0, prefix.size()) == prefix &&
          !(prefix == "-I" && arg.substr(0, 8) == "-isystem")) {
        std::string value(arg.substr(prefix.size()));
        if (prefix == "-I" || prefix == "-isystem") {
          out.push_back(std::string(prefix));
          out.push_back(Absolute(value, directory));
        } else {
          out.push_back(std::string(arg));
        }
        break;
      }
    }
    if (arg.substr(0, 5) == "-std=" || arg.substr(0, 6) == "--std=") {
      out.push_back("-std=" + std::string(arg.substr(arg.find('=') + 1)));
    }
  }
  return out;
}

CompileSetup::CompileSetup(const AnalyzerOptions& options)
    : cuda_path_(options.cuda_path), extra_args_(options.extra_args) {
  if (IsDir("/usr/include/torch/csrc/api/include")) {
    // The fallback directory answers headers a CPU-only libtorch lacks (below), after the real
    // include paths, so a full install's own headers win.
    torch_args_ = {"-isystem", "/usr/include/torch/csrc/api/include",
                   "-D_GLIBCXX_USE_CXX11_ABI=1", "-idirafter", kFallbackDir};
    std::string python = FindPythonInclude();
    if (!python.empty()) {
      torch_args_.push_back("-isystem");
      torch_args_.push_back(python);
    }
  }
  if (!options.compile_commands_dir.empty()) {
    std::string error;
    database_ = clang::tooling::JSONCompilationDatabase::loadFromDirectory(
        options.compile_commands_dir, error);
    if (!database_) {
      database_error_ = options.compile_commands_dir + ": error: " + error;
      Logf(LogLevel::kWarning, "%s", database_error_.c_str());
    }
  }
  std::string stub_dir = kStubDir;
  virtual_files_.emplace_back(stub_dir + "/referee_cuda_stub.h", CudaStubText());
  virtual_files_.emplace_back(stub_dir + "/crt/sm_70_rt.hpp", "");
  virtual_files_.emplace_back(stub_dir + "/thrust/complex.h", ThrustComplexStubText());
  for (const char* header : kStubbedHeaders) {
    virtual_files_.emplace_back(stub_dir + "/" + header, "#include <referee_cuda_stub.h>\n");
  }
  std::string tk_dir = kToolkitStubDir;
  virtual_files_.emplace_back(tk_dir + "/texture_fetch_functions.h", "");
  virtual_files_.emplace_back(tk_dir + "/texture_indirect_functions.h", "");
  virtual_files_.emplace_back(kLaunchStub, kLaunchStubText);
  // c10/cuda's build-time macros header: generated by a CUDA build of PyTorch, missing from a
  // CPU-only libtorch (Debian's), where every include of <c10/cuda/CUDAStream.h> or
  // <ATen/cuda/CUDAContext.h> (torch extensions' usual headers) stopped the analysis there.
  virtual_files_.emplace_back(std::string(kFallbackDir) + "/c10/cuda/impl/cuda_cmake_macros.h",
                              "#pragma once\n#define C10_CUDA_BUILD_SHARED_LIBS\n");
  // The stub's NVML section alone (it needs nothing else from the stub).
  std::string stub = CudaStubText();
  size_t nvml = stub.find("#ifndef REFEREE_NVML_STUB");
  if (nvml != std::string::npos) {
    virtual_files_.emplace_back(std::string(kFallbackDir) + "/nvml.h",
                                "#pragma once\n" + stub.substr(nvml));
  }
}

CompileSetup::~CompileSetup() = default;

std::vector<PassKind> CompileSetup::PassesFor(rules::Language language,
                                              const std::string& path) const {
  if (language == rules::Language::kCuda) return {PassKind::kCudaHost, PassKind::kCudaDevice};
  if (EndsWith(path, ".c")) return {PassKind::kC};
  return {PassKind::kCpp};
}

std::vector<std::string> CompileSetup::DatabaseArgs(const std::string& abs_path) const {
  if (!database_) return {};
  std::vector<clang::tooling::CompileCommand> commands = database_->getCompileCommands(abs_path);
  if (commands.empty()) return {};
  return FilterRecordedFlags(commands.front().CommandLine, commands.front().Directory);
}

std::vector<std::string> CompileSetup::Args(PassKind kind, const std::string& abs_path) const {
  // No typo correction: it compares an undeclared name with every identifier in scope, and a
  // 100,000-character one took 31 s (issue 20); the audit never needs the suggestion.
  std::vector<std::string> args = {"-resource-dir", REFEREE_CLANG_RESOURCE_DIR, "-w",
                                   "-ferror-limit=20", "-fno-caret-diagnostics",
                                   "-fno-spell-checking"};
  bool cuda = kind == PassKind::kCudaHost || kind == PassKind::kCudaDevice;
  if (kind == PassKind::kC) {
    args.insert(args.end(), {"-x", "c"});
  } else {
    args.insert(args.end(), {"-x", cuda ? "cuda" : "c++", "-std=gnu++17"});
  }
  if (cuda) {
    if (kind == PassKind::kCudaHost) {
      args.push_back("--cuda-host-only");
    } else {
      args.push_back("--cuda-device-only");
      args.push_back(std::string("--cuda-gpu-arch=") + kDeviceArch);
    }
    args.push_back("-nocudalib");
    if (toolkit_mode()) {
      args.insert(args.end(), {"--cuda-path=" + cuda_path_, "-Wno-unknown-cuda-version",
                               "-isystem", kToolkitStubDir});
      if (IsDir(cuda_path_ + "/include/cccl")) {
        args.insert(args.end(), {"-isystem", cuda_path_ + "/include/cccl"});
      }
      args.insert(args.end(), {"-include", kLaunchStub, "-idirafter", kFallbackDir});
    } else {
      args.insert(args.end(), {"-nocudainc", "--cuda-path=/nonexistent", "-isystem", kStubDir,
                               "-include", std::string(kStubDir) + "/referee_cuda_stub.h"});
    }
  } else if (kind == PassKind::kCpp) {
    if (toolkit_mode()) {
      args.insert(args.end(), {"-isystem", cuda_path_ + "/include"});
      if (IsDir(cuda_path_ + "/include/cccl")) {
        args.insert(args.end(), {"-isystem", cuda_path_ + "/include/cccl"});
      }
      args.insert(args.end(), {"-idirafter", kFallbackDir});
    } else {
      args.insert(args.end(), {"-isystem", kStubDir});
    }
  }
  if (kind != PassKind::kC) args.insert(args.end(), torch_args_.begin(), torch_args_.end());
  std::vector<std::string> recorded = DatabaseArgs(abs_path);
  args.insert(args.end(), recorded.begin(), recorded.end());
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  return args;
}

}  // namespace referee::analyzers::clang_internal
