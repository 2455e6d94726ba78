// Landlock (sandbox.md §1.9, §7 item 5): adapts to the kernel's ABI, handles every right the
// ABI knows, and grants: read everywhere in the (already minimal) view; write to /scratch,
// /tmp, /dev/shm and writable binds; read/write/TRUNCATE on the sandbox's own /proc (CUDA
// writes /proc/self/task/<tid>/comm with O_TRUNC); device ioctls only on GPU nodes; execute
// only where the profile allows. TCP bind/connect are handled and never granted; signals and
// abstract UNIX sockets are scoped to the domain (so the payload cannot signal its init).
#pragma once

#include <string>
#include <vector>

#include "child_plan.h"
#include "referee/sandbox/sandbox.h"

namespace referee::sandbox::internal::landlock {

// 0 when Landlock is unavailable.
int Abi();

struct LandlockPolicy {
  const Policy* policy = nullptr;
  int abi = 0;
  std::string exec_path;                // the command (kKernel may execute only it)
  std::string interpreter;              // its ELF interpreter, if any
  std::vector<std::string> gpu_nodes;   // get IOCTL_DEV
  std::vector<std::string> exec_dirs;   // toolchain trees (non-kernel profiles)
};

LandlockPlan Plan(const LandlockPolicy& policy);

// Child side; needs no_new_privs. Every rule's return value is checked.
ChildError Apply(const LandlockPlan& plan);

}  // namespace referee::sandbox::internal::landlock
