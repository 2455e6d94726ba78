// seccomp (sandbox.md §5, §7 item 6), installed last, just before execve.
//   - default: ENOSYS (unknown and new syscalls, clone3: glibc then falls back to clone,
//     whose flags are a register and can be checked);
//   - a broad allow-list modelled on Docker's default profile (what CUDA, PyTorch, Triton,
//     gcc and nvcc need; AF_UNIX sockets, eventfd2, ioctl, mmap/mprotect with PROT_EXEC);
//   - the deny list answers EPERM through SECCOMP_RET_USER_NOTIF: the parent receives each
//     attempt (syscall, arguments), records it as a Violation and answers -EPERM;
//   - other architectures (int 0x80, x32 numbers) kill the process.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "child_plan.h"
#include "referee/base/expected.h"
#include "referee/sandbox/sandbox.h"

namespace referee::sandbox::internal::seccomp {

// Compiles the filter for `profile` (parent side, libseccomp; cached per profile).
Expected<SeccompPlan> Plan(Profile profile);

// The syscall names of the deny list (each answered EPERM and reported), for docs and tests.
const std::vector<std::string>& DeniedSyscalls();

// Child side: loads the program with SECCOMP_FILTER_FLAG_NEW_LISTENER and returns the
// listener fd in *listener. Needs no_new_privs.
ChildError Apply(const SeccompPlan& plan, int* listener);

// Parent side: "socket" for a native syscall number, or "syscall-<nr>".
std::string SyscallName(uint32_t arch, int nr);

// Whether the kernel supports user notification (for HostSupport).
bool NotifySupported();

}  // namespace referee::sandbox::internal::seccomp
