// How the sandbox launcher turns a WorkerSpec into a sandbox policy (internal; tested in
// tests/sandbox_launcher_test.cc). The sandbox keeps inherited fds at the parent's numbers,
// so every fd the worker needs is duplicated to a fresh number >= 10 and the worker is told
// where it went: the channel and arena through its JSON config, extra fds (>= 5, e.g. the
// CUPTI trace pipe) through the env var WorkerSpec::fd_env names.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/base/fd.h"
#include "referee/harness/worker.h"
#include "referee/sandbox/sandbox.h"

namespace referee::harness {

struct SandboxLaunchPlan {
  sandbox::Policy policy;
  std::vector<std::string> argv;  // config rewritten with the new fd numbers
  std::vector<UniqueFd> fds;      // our duplicates: channel, arena, then the extra fds
};

// fds: child fd -> parent fd, as Worker::Start passes them (0-2 stdio, 3 channel, 4 arena,
// extra fds >= 5). Extra fds without a WorkerSpec::fd_env entry are refused.
Expected<SandboxLaunchPlan> PlanSandboxLaunch(const WorkerSpec& spec,
                                              const std::map<int, int>& fds);

}  // namespace referee::harness
