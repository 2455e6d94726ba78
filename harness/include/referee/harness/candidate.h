// What is being evaluated, resolved from a path:
//   *.py                a Python module: run(*inputs) -> outputs (or ModelNew for KernelBench)
//   *.so                a shared library with the C entry point of referee_kernel.h
//   solution.json (or a directory holding one)   an SOL-ExecBench solution: its sources are
//                       written to a scratch directory and its `file.py::fn` entry is used
#pragma once

#include <string>

#include "referee/base/expected.h"
#include "referee/harness/task.h"
#include "referee/harness/worker.h"

namespace referee::harness {

enum class CandidateKind { kPython, kSharedLibrary };

struct Candidate {
  CandidateKind kind = CandidateKind::kPython;
  std::string path;          // module or library
  std::string entry = "run";
  bool dps = false;          // destination-passing style (always for shared libraries)
  std::string display_name;
  std::string scratch_dir;   // holds unpacked solution sources; removed by the evaluator
  bool reference_role = false;  // KernelBench: instantiate Model, not ModelNew (timing only)
};

Expected<Candidate> ResolveCandidate(const std::string& path);

// Worker process specs. `arena_bytes` sizes the shared memory.
WorkerSpec CandidateWorkerSpec(const Candidate& c, const Task& task, size_t arena_bytes);
WorkerSpec ReferenceWorkerSpec(const Task& task, size_t arena_bytes);

// Locations of the worker programs: $REFEREE_WORKER_DIR overrides the build-time paths.
std::string PythonWorkerPath();
std::string KernelRunnerPath();

}  // namespace referee::harness
