// User namespace: the parent writes the id maps; the child becomes root *inside* it (mapped to
// an unprivileged uid outside). sandbox.md §6 steps 3 and 6.
#pragma once

#include <sys/types.h>

#include <cstdint>

#include "child_plan.h"
#include "referee/base/status.h"

namespace referee::sandbox::internal::userns {

struct UsernsPolicy {
  pid_t child = 0;
  uint32_t outside_uid = 0;
  uint32_t outside_gid = 0;
};

// Parent side: setgroups=deny, then "0 <outside> 1" into uid_map and gid_map.
Status Apply(const UsernsPolicy& policy);

// Child side (after the parent's maps are written): setresgid/setresuid(0). Without this the
// process keeps its unmapped outside ids and creating files fails with EOVERFLOW.
ChildError BecomeRoot();

}  // namespace referee::sandbox::internal::userns
