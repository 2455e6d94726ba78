#include "userns.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <string>

#include "referee/base/strings.h"

namespace referee::sandbox::internal::userns {
namespace {

Status WriteProcFile(pid_t pid, const char* name, const std::string& text) {
  std::string path = StrFormat("/proc/%d/%s", static_cast<int>(pid), name);
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("open " + path, errno);
  ssize_t n = write(fd, text.data(), text.size());
  int err = errno;
  close(fd);
  if (n != static_cast<ssize_t>(text.size())) return ErrnoError("write " + path, err);
  return OkStatus();
}

}  // namespace

Status Apply(const UsernsPolicy& policy) {
  REFEREE_RETURN_IF_ERROR(WriteProcFile(policy.child, "setgroups", "deny"));
  REFEREE_RETURN_IF_ERROR(
      WriteProcFile(policy.child, "uid_map", StrFormat("0 %u 1\n", policy.outside_uid)));
  return WriteProcFile(policy.child, "gid_map", StrFormat("0 %u 1\n", policy.outside_gid));
}

ChildError BecomeRoot() {
  // Raw system calls: glibc's setresuid() in a process that had threads broadcasts the change
  // to every thread it remembers and waits for them; after a raw clone from a multi-threaded
  // caller those threads do not exist and the child deadlocks on a futex.
  if (syscall(SYS_setresgid, 0, 0, 0) != 0) {
    return ChildFail("setresgid(0) in the user namespace");
  }
  if (syscall(SYS_setresuid, 0, 0, 0) != 0) {
    return ChildFail("setresuid(0) in the user namespace");
  }
  return ChildOk();
}

}  // namespace referee::sandbox::internal::userns
