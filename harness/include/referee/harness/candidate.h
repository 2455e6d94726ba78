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
//                       written to a scratch directory and its `file.py::fn` entry is used
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "referee/base/expected.h"
#include "referee/harness/task.h"
#include "referee/harness/worker.h"

namespace referee::harness {

enum class CandidateKind { kPython, kSharedLibrary, kCudaLibrary, kTorchLibrary };

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
};

Expected<Candidate> ResolveCandidate(const std::string& path);

// The nvcc command line for a .cu candidate: -I for harness/include, the source's directory
// and any `common` directory up to three levels above it (kernels/gpu/common).
std::vector<std::string> NvccCommand(const std::string& nvcc, const std::string& source,
                                     const std::string& output);
// Compiles a .cu candidate into `scratch_dir`. sandbox "auto"/"on": nvcc runs under the
// sandbox's build profile (sources read-only, output in scratch); "auto" falls back to a plain
// child process with a warning where the host cannot sandbox, "on" fails; "off": plain.
Status CompileCudaCandidate(Candidate& c, std::string_view sandbox = "off");
// Compiles a kTorchLibrary candidate the same way (nvcc for .cu, g++ otherwise) against the
// torch recorded at build time (src/torch_build.h); a failure is one `file:line:col: error`.
Status CompileTorchCandidate(Candidate& c, std::string_view sandbox = "off");
// What `referee eval` does before evaluating: builds .cu and LibTorch candidates (a .cu one
// needs device "cuda"); nothing for the others.
Status BuildCandidate(Candidate& c, std::string_view device, std::string_view sandbox);

// Worker process specs. `arena_bytes` sizes the shared memory.
// `device` "cuda": the Python worker copies inputs to GPU tensors and outputs back.
WorkerSpec CandidateWorkerSpec(const Candidate& c, const Task& task, size_t arena_bytes,
                               const std::string& device = "cpu", bool cold = true);
WorkerSpec ReferenceWorkerSpec(const Task& task, size_t arena_bytes,
                               const std::string& device = "cpu");

// Locations of the worker programs: $REFEREE_WORKER_DIR overrides the build-time paths.
std::string PythonWorkerPath();
std::string KernelRunnerPath();

}  // namespace referee::harness
