// The two sandboxed processes. Both only read the ChildPlan and make system calls: nothing
// here allocates (STYLE.md: no allocation between clone and exec).
//
//   parent --clone(NEWUSER|NEWNS|NEWPID|NEWNET|NEWIPC|NEWUTS)--> init (pid 1)
//   init   --clone--> payload --execve--> the command
//
// init sets up the namespaces' contents, starts the payload and reaps until the payload exits;
// then it kills whatever is left in the pid namespace and reports. It never runs untrusted
// code, and the payload cannot signal it (pid-namespace init semantics, Landlock signal scope).
#pragma once

#include "child_plan.h"

namespace referee::sandbox::internal {

[[noreturn]] void RunInit(const ChildPlan& plan);

}  // namespace referee::sandbox::internal
