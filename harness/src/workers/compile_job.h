// One compiler (or build-script) run for a candidate, into its scratch dir: under the
// sandbox's build profile per --sandbox (sources and include directories read-only, output in
// the scratch dir, no GPU, no network), or as a plain child where the host cannot sandbox and
// --sandbox auto allows it. Shared by the .cu, LibTorch and torch-extension builds.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "referee/base/status.h"
#include "referee/harness/candidate.h"

namespace referee::harness {

struct CompileJob {
  std::string tool;  // the program's path
  std::string name;  // "nvcc", "g++", "torch extension build", for messages
  // The command for (source, output); output is "/scratch/candidate.so" under the sandbox.
  std::function<std::vector<std::string>(const std::string&, const std::string&)> command;
  bool torch = false;  // one-line `file:line:col: error` diagnostics (CompileFailure)
  std::vector<std::string> binds;          // directories it reads, bound read-only
  std::map<std::string, std::string> env;  // set for the run (sandboxed or plain)
  std::string env_var = "REFEREE_NVCC";    // what to set when `tool` is missing
  // How a failed run's output reads as one line; unset: the compiler's first diagnostic.
  std::function<Status(std::string_view output)> failure;
};

// Runs `job` for `c` into its scratch dir (made here when it has none); c.path becomes the
// built library.
Status CompileInScratch(const CompileJob& job, Candidate& c, SandboxMode sandbox);

// The first line of a program's output, for a one-line error.
std::string FirstLine(std::string_view text);

}  // namespace referee::harness
