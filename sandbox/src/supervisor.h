// The trusted parent's side of a run: start the namespaces, join the cgroup, then watch the
// command (stdout/stderr capture with caps, the seccomp listener, the wall clock) until the
// pid namespace is gone (sandbox.md §6 steps 1-5).
#pragma once

#include <sys/types.h>

#include <string>

#include "child_plan.h"
#include "cgroup.h"
#include "referee/base/expected.h"
#include "referee/sandbox/sandbox.h"

namespace referee::sandbox::internal {

struct SuperviseInput {
  const Policy* policy = nullptr;
  ChildPlan* plan = nullptr;
  const cgroup::Cgroup* cgroup = nullptr;  // null when the layer is degraded
  int clone_flags = 0;
  uint32_t outside_uid = 0;
  uint32_t outside_gid = 0;
  const RunHooks* hooks = nullptr;  // may be null
};

Expected<RunResult> Supervise(const SuperviseInput& input);

}  // namespace referee::sandbox::internal
