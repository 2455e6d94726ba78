// Capabilities and no_new_privs (sandbox.md §6 steps 14-15): the payload keeps uid 0 inside its
// user namespace but holds no capabilities, cannot regain them through execve (securebits
// NOROOT locked) and cannot gain privileges through setuid files (no_new_privs; the binds are
// nosuid as well).
#pragma once

#include "child_plan.h"

namespace referee::sandbox::internal::caps {

struct CapsPolicy {
  bool drop_caps = true;
  bool no_new_privs = true;
};

ChildError Apply(const CapsPolicy& policy);

}  // namespace referee::sandbox::internal::caps
