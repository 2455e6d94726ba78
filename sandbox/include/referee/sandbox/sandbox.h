// The sandbox's public API: a policy (profile, binds, limits, environment) -> run a command ->
// a result. Every isolation layer is on by default and verified when the sandbox starts; a
// missing layer refuses to run unless the caller explicitly degrades it (a security decision
// that must be visible in code review, hence the token type).
//
//   referee::sandbox::PolicyBuilder b(referee::sandbox::Profile::kPython);
//   b.AddBind({"/work/cand", "/cand", /*read_only=*/true}).SetTimeLimit(30.0);
//   Expected<Policy> policy = b.Build();
//   Expected<RunResult> r = referee::sandbox::Run(*policy, {"/usr/bin/python3", "/cand/x.py"});
//
// The interface is owned by sandbox/ (issue #5); the harness (issue #6) consumes it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "referee/base/expected.h"

namespace referee::sandbox {

enum class Profile {
  kKernel,    // a prebuilt runner; no new programs may be executed
  kPython,    // PyTorch/Triton; the compiler toolchain may run (Triton, inductor)
  kBuild,     // nvcc/clang compiling candidate sources; sources read-only
  kTraining,  // as kPython, plus a read-only data dir
};

enum class Layer {
  kUserNamespace, kMountNamespace, kPidNamespace, kNetNamespace, kIpcNamespace,
  kUtsNamespace, kCgroupNamespace, kFilesystem, kCgroupLimits, kRlimits,
  kCapabilities, kNoNewPrivs, kLandlock, kSeccomp,
};

struct Bind {
  std::string source;  // host path
  std::string target;  // path inside the sandbox
  bool read_only = true;
};

struct Limits {
  double wall_time_s = 60.0;
  uint64_t memory_bytes = 8ull << 30;  // cgroup memory limit (no RLIMIT_AS: it breaks CUDA)
  uint64_t pids = 512;
  double cpus = 0;                     // 0: no CPU quota
  uint64_t output_bytes = 1 << 20;     // stdout/stderr capture cap, each
};

struct Policy {
  Profile profile = Profile::kKernel;
  std::vector<Bind> binds;
  std::string scratch_dir;                  // writable; HOME, TMPDIR, caches live here
  std::map<std::string, std::string> env;   // the whole environment the command sees
  std::optional<int> gpu;                   // assigned GPU index; nullopt: no GPU nodes
  Limits limits;
  std::vector<Layer> degraded;              // layers the caller accepted missing
  std::vector<int> inherited_fds;           // fds passed through (e.g. a result channel)
  std::string working_dir = "/";
};

struct Violation {
  std::string syscall;           // e.g. "socket"
  std::vector<uint64_t> args;    // raw arguments
  int count = 0;
};

enum class RunStatus { kOk, kSetupError, kViolation, kSignaled, kTimeout, kOom, kExitNonZero };

struct RunResult {
  RunStatus status = RunStatus::kOk;  // first cause wins
  std::string reason;                 // one line
  int exit_code = -1;                 // valid when exited
  int signal = 0;                     // valid when signaled
  double wall_time_s = 0;
  double cpu_time_s = 0;
  uint64_t peak_memory_bytes = 0;
  bool timed_out = false;
  bool oom = false;
  std::vector<Violation> violations;
  std::string stdout_data;  // capped at limits.output_bytes
  std::string stderr_data;
  bool stdout_truncated = false;
  bool stderr_truncated = false;
};

}  // namespace referee::sandbox
