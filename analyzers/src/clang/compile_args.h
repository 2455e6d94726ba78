// Compiler arguments for one analysis pass (static-rules.md §7, feasibility.md §3): the C++ pass,
// or the CUDA host / device pass in no-toolkit (stub header) or toolkit (--cuda-path) mode, plus
// LibTorch include paths when installed and flags taken from compile_commands.json.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "referee/analyzers/analyzer.h"

namespace clang::tooling {
class CompilationDatabase;
}

namespace referee::analyzers::clang_internal {

enum class PassKind { kCpp, kC, kCudaHost, kCudaDevice };

std::string_view PassName(PassKind kind);  // "c++", "c", "host", "device"

// The GPU architecture of device passes; the newest clang 19 knows well.
inline constexpr const char* kDeviceArch = "sm_90";

// Files mapped into every pass's virtual file system (absolute path, content).
using VirtualFiles = std::vector<std::pair<std::string, std::string>>;

// Everything about the environment that is fixed for the analyzer's lifetime.
class CompileSetup final {
 public:
  // Probes the toolkit, LibTorch and Python include directories and loads the compilation
  // database (a load failure is kept as `database_error()` and the database is ignored).
  explicit CompileSetup(const AnalyzerOptions& options);
  ~CompileSetup();

  // The passes a file of this language and path needs.
  std::vector<PassKind> PassesFor(rules::Language language, const std::string& path) const;
  // The driver command line (without the tool name and file) for one pass over `abs_path`.
  std::vector<std::string> Args(PassKind kind, const std::string& abs_path) const;
  const VirtualFiles& virtual_files() const { return virtual_files_; }
  bool toolkit_mode() const { return !cuda_path_.empty(); }
  const std::string& database_error() const { return database_error_; }

 private:
  std::vector<std::string> DatabaseArgs(const std::string& abs_path) const;

  std::string cuda_path_;
  std::vector<std::string> torch_args_;
  std::vector<std::string> extra_args_;
  std::unique_ptr<clang::tooling::CompilationDatabase> database_;
  std::string database_error_;
  VirtualFiles virtual_files_;
};

// Keeps the flags of a recorded compile command that matter for parsing (-I, -isystem, -D, -U,
// -include, -std, ...; relative paths made absolute against `directory`). Works for clang, gcc
// and nvcc command lines alike.
std::vector<std::string> FilterRecordedFlags(const std::vector<std::string>& command,
                                             const std::string& directory);

}  // namespace referee::analyzers::clang_internal
