// SOL-ExecBench solutions beyond plain Python (issue 17 item 3): C++ solutions with binding
// torch (cuda_cpp, cutlass, cudnn, cublas) built into a Python extension module by
// torch.utils.cpp_extension, and Python DSL solutions (cute_dsl, cutile, cudnn_frontend) whose
// package must be importable. What a host lacks (no GPU, no ninja, no nvcc, a CPU-only torch,
// no CUTLASS or cuDNN headers, a missing Python package) is one line naming it, exit 2.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/base/json.h"
#include "referee/harness/candidate.h"
#include "referee/harness/placement.h"
#include "torch_build.h"

namespace referee::harness {

// TORCH_EXTENSION_NAME of every built solution: the worker imports the module by it.
inline constexpr char kTorchExtensionName[] = "referee_solution";

// The Python modules a solution's languages need (cute_dsl: cutlass, cutile: cuda.tile,
// cudnn_frontend: cudnn); an unknown language is an error naming the known ones.
Expected<std::vector<std::string>> PythonModulesFor(const std::vector<std::string>& languages,
                                                    const SourceLoc& loc);
// Whether programs.python imports each of c.python_modules (a trusted child that imports
// nothing of the candidate's); the first missing one is one line.
Status CheckPythonModules(const Candidate& c, const WorkerPrograms& programs);

// A C++ solution's spec into c (kind kTorchExtension): its language, binding (torch only),
// compile_options and the sources at the top level of what was written (`written`: relative
// paths, as SOL-ExecBench's build collects them).
Status ReadTorchExtension(const Json& spec, const std::vector<std::string>& written,
                          const SourceLoc& loc, Candidate& c);

// The include directories (and link flags) the language needs: cutlass its headers under
// programs.cutlass_dir, cudnn cudnn.h and its library (the toolkit's, the system's or the
// nvidia-cudnn wheel's beside torch); an error names what is missing and where it looked.
struct LanguageDeps {
  std::vector<std::string> include_dirs;
  std::vector<std::string> ldflags;
};
Expected<LanguageDeps> FindLanguageDeps(const Candidate& c, const TorchBuild& torch,
                                        const WorkerPrograms& programs);

// The build script's configuration (harness/python/referee_build_ext.py): sources, flags,
// build directory beside `output`, and `output`, the module's path.
Json ExtensionBuildConfig(const Candidate& c, const LanguageDeps& deps, const std::string& output);
// The build's environment: PATH with nvcc's and ninja's directories, CUDA_HOME and
// TORCH_CUDA_ARCH_LIST (the build sandbox has no GPU for torch to ask).
std::map<std::string, std::string> ExtensionBuildEnv(const WorkerPrograms& programs);

// Builds c on a GPU placement into c.scratch_dir (c.path: the module); on the CPU, one line.
Status BuildTorchExtension(Candidate& c, const Placement& placement, SandboxMode sandbox,
                           const WorkerPrograms& programs);

}  // namespace referee::harness
