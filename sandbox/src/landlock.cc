#include "landlock.h"

#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

// Bookworm's kernel headers predate ABI 4-6.
#ifndef LANDLOCK_ACCESS_FS_REFER
#define LANDLOCK_ACCESS_FS_REFER (1ULL << 13)
#endif
#ifndef LANDLOCK_ACCESS_FS_TRUNCATE
#define LANDLOCK_ACCESS_FS_TRUNCATE (1ULL << 14)
#endif
#ifndef LANDLOCK_ACCESS_FS_IOCTL_DEV
#define LANDLOCK_ACCESS_FS_IOCTL_DEV (1ULL << 15)
#endif
#ifndef LANDLOCK_ACCESS_NET_BIND_TCP
#define LANDLOCK_ACCESS_NET_BIND_TCP (1ULL << 0)
#define LANDLOCK_ACCESS_NET_CONNECT_TCP (1ULL << 1)
#endif
#ifndef LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET
#define LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define LANDLOCK_SCOPE_SIGNAL (1ULL << 1)
#endif

namespace referee::sandbox::internal::landlock {
namespace {

struct RulesetAttr {  // struct landlock_ruleset_attr of ABI 6
  uint64_t handled_access_fs;
  uint64_t handled_access_net;
  uint64_t scoped;
};

constexpr uint64_t kRead = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
constexpr uint64_t kExec = LANDLOCK_ACCESS_FS_EXECUTE;
constexpr uint64_t kWriteFile = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_TRUNCATE;
constexpr uint64_t kWriteDir =
    kWriteFile | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
    LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG | LANDLOCK_ACCESS_FS_MAKE_SOCK |
    LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_SYM | LANDLOCK_ACCESS_FS_REFER;
// Rights that only make sense on directories (EINVAL on a file).
constexpr uint64_t kDirOnly = LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR |
                              LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR |
                              LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
                              LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |
                              LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM |
                              LANDLOCK_ACCESS_FS_REFER;

uint64_t HandledFs(int abi) {
  uint64_t fs = (LANDLOCK_ACCESS_FS_MAKE_SYM << 1) - 1;  // ABI 1: bits 0..12
  if (abi >= 2) fs |= LANDLOCK_ACCESS_FS_REFER;
  if (abi >= 3) fs |= LANDLOCK_ACCESS_FS_TRUNCATE;
  if (abi >= 5) fs |= LANDLOCK_ACCESS_FS_IOCTL_DEV;
  return fs;
}

bool IsDir(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

int Abi() {
  long abi = syscall(SYS_landlock_create_ruleset, nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  return abi < 0 ? 0 : static_cast<int>(abi);
}

LandlockPlan Plan(const LandlockPolicy& p) {
  LandlockPlan plan;
  plan.enabled = p.abi > 0;
  plan.abi = p.abi;
  plan.handled_fs = HandledFs(p.abi);
  if (p.abi >= 4) plan.handled_net = LANDLOCK_ACCESS_NET_BIND_TCP | LANDLOCK_ACCESS_NET_CONNECT_TCP;
  if (p.abi >= 6) plan.scoped = LANDLOCK_SCOPE_ABSTRACT_UNIX_SOCKET | LANDLOCK_SCOPE_SIGNAL;
  // Paths are inside the sandbox; the mount view already hides everything else, so reading
  // the whole view is granted and Landlock guards writes, exec and device ioctls.
  auto add = [&](std::string path, uint64_t access) {
    plan.rules.push_back({std::move(path), access});
  };
  add("/", kRead);
  add("/proc", kRead | kWriteFile);
  add("/scratch", kRead | kWriteDir);
  add("/tmp", kRead | kWriteDir);
  add("/dev/shm", kRead | kWriteDir);
  for (const char* node : {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"}) {
    add(node, LANDLOCK_ACCESS_FS_READ_FILE | kWriteFile);
  }
  for (const std::string& node : p.gpu_nodes) {
    add(node, kRead | kWriteFile | LANDLOCK_ACCESS_FS_IOCTL_DEV);
  }
  for (const Bind& b : p.policy->binds) {
    if (!b.read_only) add(b.target, kRead | kWriteDir);
  }
  if (p.policy->profile == Profile::kKernel) {
    add(p.exec_path, LANDLOCK_ACCESS_FS_READ_FILE | kExec);
    if (!p.interpreter.empty()) add(p.interpreter, LANDLOCK_ACCESS_FS_READ_FILE | kExec);
  } else {
    for (const std::string& dir : p.exec_dirs) add(dir, kRead | kExec);
  }
  for (LandlockRule& rule : plan.rules) {
    // Host and sandbox paths coincide for everything but /scratch, /tmp, /dev/shm, /proc and
    // binds with a different target; those are directories.
    bool dir = rule.path == "/scratch" || rule.path == "/tmp" || rule.path == "/dev/shm" ||
               rule.path == "/proc" || rule.path == "/" || IsDir(rule.path);
    for (const Bind& b : p.policy->binds) {
      if (b.target == rule.path) dir = IsDir(b.source);
    }
    if (!dir) rule.access &= ~kDirOnly;
    rule.access &= plan.handled_fs;
  }
  return plan;
}

ChildError Apply(const LandlockPlan& plan) {
  RulesetAttr attr{plan.handled_fs, plan.handled_net, plan.scoped};
  size_t size = plan.abi >= 6 ? sizeof(RulesetAttr) : plan.abi >= 4 ? 16 : 8;
  int ruleset = static_cast<int>(syscall(SYS_landlock_create_ruleset, &attr, size, 0));
  if (ruleset < 0) return ChildFail("landlock_create_ruleset");
  for (const LandlockRule& rule : plan.rules) {
    int fd = open(rule.path.c_str(), O_PATH | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) continue;  // e.g. a GPU node the host does not have
      close(ruleset);
      return ChildFail("landlock: open rule path");
    }
    struct landlock_path_beneath_attr beneath;
    beneath.allowed_access = rule.access;
    beneath.parent_fd = fd;
    long rc = syscall(SYS_landlock_add_rule, ruleset, LANDLOCK_RULE_PATH_BENEATH, &beneath, 0);
    int err = errno;
    close(fd);
    if (rc != 0) {
      close(ruleset);
      errno = err;
      return ChildFail("landlock_add_rule");
    }
  }
  long rc = syscall(SYS_landlock_restrict_self, ruleset, 0);
  close(ruleset);
  if (rc != 0) return ChildFail("landlock_restrict_self");
  return ChildOk();
}

}  // namespace referee::sandbox::internal::landlock
