// Building candidates with the LibTorch entry point (referee_torch_kernel.h, issue #7 item 3):
// where the worker's torch is, the nvcc/g++ command lines, and compiler output reduced to one
// `file:line:col: error: ...` line. The parent never links LibTorch: it only runs compilers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "referee/base/expected.h"
#include "referee/base/json.h"
#include "referee/base/status.h"

namespace referee::harness {

// How to build against the candidate worker's torch, recorded at configure time by
// harness/torch/CMakeLists.txt (torch_config.py + the shim's path and the C++ compiler).
struct TorchBuild {
  std::string python;                     // the interpreter whose torch this is
  std::string version;
  std::vector<std::string> include_dirs;  // -isystem
  std::string lib_dir;                    // -L and rpath
  bool cxx11_abi = true;                  // -D_GLIBCXX_USE_CXX11_ABI
  std::string cuda;                       // torch.version.cuda; empty for a CPU torch
  std::string shim;                       // libreferee_torch_shim.so
  std::string cxx;                        // g++ for CPU candidates
  std::string cxx_std = "c++17";          // the standard torch's headers need
};

Expected<TorchBuild> TorchBuildFromJson(const Json& j, const std::string& path);
// `record` (WorkerPrograms::torch_build), else the record of this build; an error names why
// there is none.
Expected<TorchBuild> LoadTorchBuild(const std::string& record);

// Whether a source defines the torch entry point (by name: the link checks it is defined).
bool MentionsTorchEntry(std::string_view source_text);

// -I flags every candidate build gets: harness/include, the source's directory and any
// `common` directory up to three levels above it (kernels/gpu/common).
std::vector<std::string> CandidateIncludeFlags(const std::string& source);

// g++ for a .cc/.cpp candidate (CPU backend) and nvcc for a .cu one; both link the torch
// libraries with an rpath and --require-defined=referee_run_torch.
std::vector<std::string> TorchCxxCommand(const TorchBuild& t, const std::string& cxx,
                                         const std::string& source, const std::string& output);
std::vector<std::string> TorchNvccCommand(const TorchBuild& t, const std::string& nvcc,
                                          const std::string& source,
                                          const std::string& output);

// A failed build as one line: the first compiler diagnostic `file:line:col: error: msg`
// (gcc) or `file(line): error: msg` (nvcc's front end) becomes the location, a missing entry
// symbol (linker) is named as such, else the first line of output. `seen_as` is the path the
// compiler saw for `source` (a copy in the sandbox's /scratch), mapped back to `source`.
Status CompileFailure(std::string_view tool, std::string_view output, const std::string& source,
                      const std::string& seen_as);

}  // namespace referee::harness
