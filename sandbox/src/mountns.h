// Mount namespace and file-system view (sandbox.md §6 steps 7-11, §7 item 2): a fresh tmpfs
// root reached by pivot_root, read-only binds of the toolchain, a few generated /etc files, a
// fresh /proc, a minimal /dev, private /tmp and /dev/shm, and /scratch.
#pragma once

#include <string>
#include <vector>

#include "child_plan.h"
#include "referee/base/expected.h"
#include "referee/sandbox/sandbox.h"

namespace referee::sandbox::internal::mountns {

struct MountnsPolicy {
  const Policy* policy = nullptr;
  std::vector<std::string> gpu_nodes;  // host device paths to bind (gpu_devices::Find)
  std::vector<std::string> sys_dirs;   // host /sys subtrees to bind read-only
};

// Parent side: the ordered list of mount operations.
Expected<MountPlan> Plan(const MountnsPolicy& policy);

// Child side (in the new mount namespace, as root of the user namespace).
ChildError Apply(const MountPlan& plan);

}  // namespace referee::sandbox::internal::mountns
