// What is being evaluated, resolved from a path:
//   *.py                a Python module: run(*inputs) -> outputs (or ModelNew for KernelBench)
//   *.so                a shared library with the C entry point of referee_kernel.h
//   *.cu                CUDA C++ with referee_run_gpu (harness/include/referee/abi/referee_gpu_kernel.h),
//                       compiled by nvcc into a .so the Python worker calls with device
//                       pointers (--device cuda only); a .cu source naming referee_run_torch
//                       uses the LibTorch entry point instead (below)
//   *.cc, *.cpp, *.cxx  C++ with the LibTorch entry point referee_run_torch
//                       (referee/abi/referee_torch_kernel.h), compiled by g++ against the
//                       worker's torch and called by the Python worker through the torch shim
//                       (harness/torch), on the CPU or with CUDA tensors
//   solution.json (or a directory holding one)   an SOL-ExecBench solution: its sources are
//                       written to a scratch directory and its `file.py::fn` entry is used;
//                       a C++ solution (cuda_cpp, cutlass, cudnn, cublas; binding torch) is
//                       built into a torch extension module (kTorchExtension, GPU only)
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "referee/base/expected.h"
#include "referee/harness/placement.h"
#include "referee/harness/task.h"
#include "referee/harness/worker.h"

namespace referee::harness {

enum class CandidateKind { kPython, kSharedLibrary, kCudaLibrary, kTorchLibrary, kTorchExtension };

// An SOL-ExecBench C++ solution with binding torch (spec.languages cuda_cpp, cutlass, cudnn,
// cublas): its sources are built into a Python extension module by torch.utils.cpp_extension
// (harness/python/referee_build_ext.py, under the sandbox's build profile) and the worker calls
// the module's entry point like a Python function. GPU only.
struct TorchExtensionSpec {
  std::string language;              // cuda_cpp, cutlass, cudnn or cublas
  std::vector<std::string> sources;  // the .cu/.cpp/.cc/.cxx/.c files at the sources' top level
  std::vector<std::string> cflags, cuda_cflags, ldflags;  // spec.compile_options
};

struct Candidate {
  CandidateKind kind = CandidateKind::kPython;
  std::string path;          // module or library
  std::string entry = "run";
  bool dps = false;          // destination-passing style (always for shared libraries)
  std::string display_name;
  std::string scratch_dir;   // holds unpacked solution sources; removed by the evaluator
  bool reference_role = false;  // KernelBench: instantiate Model, not ModelNew (timing only)
  std::string source;        // .cu/.cc candidates: the source (path is the built .so)
  std::string torch_shim;    // kTorchLibrary: the shim the worker calls it through
  // Destination-passing style decided by the entry point's signature, as SOL-ExecBench's
  // scripts/run_dataset.py does for a bare solution.py or the reference run as a solution: DPS
  // when the last positional parameter is named like the task's last output.
  bool dps_from_signature = false;
  // A solution's spec.languages, and what its language needs of the worker's Python (e.g.
  // cute_dsl: the module `cutlass`), checked before it runs: a missing one is one line.
  std::string solution_path;  // the solution.json it came from (where its errors point)
  std::vector<std::string> languages;
  std::vector<std::string> python_modules;
  TorchExtensionSpec extension;  // kTorchExtension
};

Expected<Candidate> ResolveCandidate(const std::string& path);
// The task's reference as a candidate (the identity solution run_dataset.py evaluates when a
// problem has no solution of its own): its file, or its inline source written to a scratch dir.
Expected<Candidate> ReferenceAsCandidate(const Task& task);

// The nvcc command line for a .cu candidate: -I for harness/include, the source's directory
// and any `common` directory up to three levels above it (kernels/gpu/common).
std::vector<std::string> NvccCommand(const std::string& nvcc, const std::string& source,
                                     const std::string& output);
// Compiles a .cu candidate into `scratch_dir` with programs.nvcc. SandboxMode kAuto/kOn: nvcc
// runs under the sandbox's build profile (sources read-only, output in scratch); kAuto falls
// back to a plain child process with a warning where the host cannot sandbox, kOn fails.
Status CompileCudaCandidate(Candidate& c, SandboxMode sandbox, const WorkerPrograms& programs);
// Compiles a kTorchLibrary candidate the same way (nvcc for .cu, g++ otherwise) against the
// torch record (programs.torch_build or this build's); a failure is one `file:line:col: error`.
Status CompileTorchCandidate(Candidate& c, SandboxMode sandbox, const WorkerPrograms& programs);
// What a judge does before evaluating: builds .cu and LibTorch candidates (a .cu one needs a
// GPU placement); nothing for the others.
Status BuildCandidate(Candidate& c, const Placement& placement, SandboxMode sandbox,
                      const WorkerPrograms& programs);

// Worker process specs. `arena_bytes` sizes the shared memory. On a GPU placement the Python
// worker copies inputs to GPU tensors and outputs back, and the spec names the GPU.
WorkerSpec CandidateWorkerSpec(const Candidate& c, const Task& task, size_t arena_bytes,
                               const Placement& placement, bool cold,
                               const WorkerPrograms& programs);
WorkerSpec ReferenceWorkerSpec(const Task& task, size_t arena_bytes, const Placement& placement,
                               const WorkerPrograms& programs);

}  // namespace referee::harness
