// rlimits: a backstop behind the cgroup limits (sandbox.md §7 item 3). CORE 0, NOFILE, FSIZE,
// CPU (wall time x CPUs), NPROC (= pids), MSGQUEUE 0, MEMLOCK (= memory limit, for pinned
// memory). Deliberately no RLIMIT_AS or RLIMIT_DATA: CUDA reserves > 12 GiB of address space.
#pragma once

#include <vector>

#include "child_plan.h"
#include "referee/sandbox/sandbox.h"

namespace referee::sandbox::internal::rlimits {

std::vector<RlimitSetting> Plan(const Limits& limits);

// Child side: setrlimit with soft == hard for each.
ChildError Apply(const std::vector<RlimitSetting>& settings);

}  // namespace referee::sandbox::internal::rlimits
