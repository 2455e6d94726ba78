#include "seccomp_filter.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "referee/base/strings.h"

namespace referee::sandbox::internal::seccomp {
namespace {

// Docker's default allow-list (moby/profiles seccomp/default_linux.go), minus the calls we deny
// below, plus the CAP_SYS_NICE-gated NUMA calls that CUDA tolerates either way. Names unknown
// to this libseccomp are skipped.
constexpr const char* kAllowed[] = {
    "accept", "accept4", "access", "alarm", "arch_prctl", "bind", "brk", "cachestat",
    "capget", "capset", "chdir", "chmod", "chown", "clock_getres", "clock_gettime",
    "clock_nanosleep", "close", "close_range", "connect", "copy_file_range", "creat", "dup",
    "dup2", "dup3", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_pwait",
    "epoll_pwait2", "epoll_wait", "eventfd", "eventfd2", "execve", "exit", "exit_group",
    "faccessat", "faccessat2", "fadvise64", "fallocate", "fanotify_mark", "fchdir", "fchmod",
    "fchmodat", "fchmodat2", "fchown", "fchownat", "fcntl", "fdatasync", "fgetxattr",
    "flistxattr", "flock", "fork", "fremovexattr", "fsetxattr", "fstat", "fstatfs", "fsync",
    "ftruncate", "futex", "futex_requeue", "futex_wait", "futex_waitv", "futex_wake",
    "futimesat", "get_mempolicy", "get_robust_list", "get_thread_area", "getcpu", "getcwd",
    "getdents", "getdents64", "getegid", "geteuid", "getgid", "getgroups", "getitimer",
    "getpeername", "getpgid", "getpgrp", "getpid", "getppid", "getpriority", "getrandom",
    "getresgid", "getresuid", "getrlimit", "getrusage", "getsid", "getsockname",
    "getsockopt", "gettid", "gettimeofday", "getuid", "getxattr", "inotify_add_watch",
    "inotify_init", "inotify_init1", "inotify_rm_watch", "io_cancel", "io_destroy",
    "io_getevents", "io_pgetevents", "io_setup", "io_submit", "ioprio_get", "ioprio_set",
    "kill", "landlock_add_rule", "landlock_create_ruleset", "landlock_restrict_self",
    "lchown", "lgetxattr", "link", "linkat", "listen", "listxattr", "llistxattr",
    "lremovexattr", "lseek", "lsetxattr", "lstat", "madvise", "map_shadow_stack", "mbind",
    "membarrier", "memfd_create", "memfd_secret", "mincore", "mkdir", "mkdirat", "mlock",
    "mlock2", "mlockall", "mmap", "mprotect", "mq_getsetattr", "mq_notify", "mq_open",
    "mq_timedreceive", "mq_timedsend", "mq_unlink", "mremap", "msgctl", "msgget", "msgrcv",
    "msgsnd", "msync", "munlock", "munlockall", "munmap", "nanosleep", "newfstatat", "open",
    "openat", "openat2", "pause", "pipe", "pipe2", "pkey_alloc", "pkey_free", "pkey_mprotect",
    "poll", "ppoll", "pread64", "preadv", "preadv2", "prlimit64", "process_mrelease",
    "pselect6", "pwrite64", "pwritev", "pwritev2", "read", "readahead", "readlink",
    "readlinkat", "readv", "recvfrom", "recvmmsg", "recvmsg", "remap_file_pages",
    "removexattr", "rename", "renameat", "renameat2", "restart_syscall", "rmdir", "rseq",
    "rt_sigaction", "rt_sigpending", "rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn",
    "rt_sigsuspend", "rt_sigtimedwait", "rt_tgsigqueueinfo", "sched_get_priority_max",
    "sched_get_priority_min", "sched_getaffinity", "sched_getattr", "sched_getparam",
    "sched_getscheduler", "sched_rr_get_interval", "sched_setaffinity", "sched_setattr",
    "sched_setparam", "sched_setscheduler", "sched_yield", "select", "semctl", "semget",
    "semop", "semtimedop", "sendfile", "sendmmsg", "sendmsg", "sendto", "set_mempolicy",
    "set_robust_list", "set_thread_area", "set_tid_address", "setfsgid", "setfsuid",
    "setgid", "setgroups", "setitimer", "setpgid", "setpriority", "setregid", "setresgid",
    "setresuid", "setreuid", "setrlimit", "setsid", "setsockopt", "setuid", "setxattr",
    "shmat", "shmctl", "shmdt", "shmget", "shutdown", "sigaltstack", "signalfd", "signalfd4",
    "splice", "stat", "statfs", "statx", "symlink", "symlinkat", "sync", "sync_file_range",
    "syncfs", "sysinfo", "tee", "tgkill", "time", "timer_create", "timer_delete",
    "timer_getoverrun", "timer_gettime", "timer_settime", "timerfd_create", "timerfd_gettime",
    "timerfd_settime", "times", "tkill", "truncate", "umask", "uname", "unlink", "unlinkat",
    "utime", "utimensat", "utimes", "vfork", "vmsplice", "wait4", "waitid", "write", "writev",
};

// Denied with EPERM and reported (sandbox.md §7 "deny outright").
constexpr const char* kDenied[] = {
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_open", "pidfd_getfd",
    "pidfd_send_signal", "bpf", "perf_event_open", "userfaultfd", "io_uring_setup",
    "io_uring_enter", "io_uring_register", "keyctl", "add_key", "request_key", "mount",
    "umount2", "pivot_root", "chroot", "fsopen", "fsconfig", "fsmount", "fspick",
    "move_mount", "open_tree", "mount_setattr", "unshare", "setns", "seccomp",
    "name_to_handle_at", "open_by_handle_at", "kexec_load", "kexec_file_load", "init_module",
    "finit_module", "delete_module", "iopl", "ioperm", "modify_ldt", "swapon", "swapoff",
    "reboot", "syslog", "acct", "quotactl", "quotactl_fd", "settimeofday", "clock_settime",
    "clock_adjtime", "adjtimex", "mknod", "mknodat", "lookup_dcookie", "fanotify_init",
    "vhangup", "uselib", "sethostname", "setdomainname", "nfsservctl", "move_pages",
    "migrate_pages", "process_madvise",
};

constexpr uint64_t kCloneNsFlags = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS |
                                   CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;
// personality flags that weaken ASLR or W^X. The 0x80000000 bit in the mask keeps the query
// value 0xffffffff from matching (sandbox.md §5.4).
constexpr uint64_t kBadPersonality[] = {READ_IMPLIES_EXEC, ADDR_NO_RANDOMIZE, MMAP_PAGE_ZERO,
                                        ADDR_COMPAT_LAYOUT, ADDR_LIMIT_32BIT, ADDR_LIMIT_3GB,
                                        SHORT_INODE, WHOLE_SECONDS, STICKY_TIMEOUTS};

struct CtxDeleter {
  void operator()(void* ctx) const { seccomp_release(ctx); }
};

Status Check(int rc, const char* what) {
  if (rc == 0) return OkStatus();
  return InternalError(StrFormat("seccomp: %s: %s", what, strerror(-rc)));
}

int Nr(const char* name) { return seccomp_syscall_resolve_name(name); }

Status AllowName(scmp_filter_ctx ctx, const char* name) {
  int nr = Nr(name);
  if (nr == __NR_SCMP_ERROR || nr < 0) return OkStatus();  // unknown to this libseccomp
  int rc = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
  if (rc == -EEXIST) return OkStatus();
  return Check(rc, name);
}

// The deny filter (default ALLOW, carries the listener): every denied call, and the
// argument-dependent denials, return USER_NOTIF. libseccomp drops argument rules when the same
// syscall also has an unconditional rule, so these live in their own filter; the kernel runs
// both and the most restrictive answer wins (ERRNO > USER_NOTIF > ALLOW).
// What the profiles do not share (docs/sandbox.md "One filter per profile"):
//   kKernel: a prebuilt runner needs neither a second process nor a new socket (its channel is
//     inherited), so fork, vfork, clone without CLONE_THREAD and every socket() are reported;
//     a helper process that outlives a call cannot even start;
//   kBuild: compilers fork and exec but never need a socket, so every socket() is reported;
//   kPython, kTraining: AF_UNIX sockets (CUDA, PyTorch) and processes (Triton and inductor run
//     gcc and ptxas; training scripts run data loaders).
Status AddProfileDenials(scmp_filter_ctx ctx, Profile profile) {
  const uint32_t notify = SCMP_ACT_NOTIFY;
  bool any_socket = profile == Profile::kKernel || profile == Profile::kBuild;
  for (const char* name : {"socket", "socketpair"}) {
    int rc = any_socket ? seccomp_rule_add(ctx, notify, Nr(name), 0)
                        : seccomp_rule_add(ctx, notify, Nr(name), 1,
                                           SCMP_A0_64(SCMP_CMP_NE, AF_UNIX));
    REFEREE_RETURN_IF_ERROR(Check(rc, name));
  }
  if (profile != Profile::kKernel) return OkStatus();
  for (const char* name : {"fork", "vfork"}) {
    REFEREE_RETURN_IF_ERROR(Check(seccomp_rule_add(ctx, notify, Nr(name), 0), name));
  }
  return Check(seccomp_rule_add(ctx, notify, SCMP_SYS(clone), 1,
                                SCMP_A0_64(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0)),
               "clone without CLONE_THREAD");
}

Status AddDenials(scmp_filter_ctx ctx, Profile profile) {
  const uint32_t notify = SCMP_ACT_NOTIFY;
  for (const char* name : kDenied) {
    int nr = Nr(name);
    if (nr == __NR_SCMP_ERROR || nr < 0) continue;
    REFEREE_RETURN_IF_ERROR(Check(seccomp_rule_add(ctx, notify, nr, 0), name));
  }
  REFEREE_RETURN_IF_ERROR(AddProfileDenials(ctx, profile));
  // clone with any namespace flag (clone3 never gets here: ENOSYS in the allow filter).
  for (uint64_t bit = 1; bit != 0; bit <<= 1) {
    if ((kCloneNsFlags & bit) == 0) continue;
    REFEREE_RETURN_IF_ERROR(Check(seccomp_rule_add(ctx, notify, SCMP_SYS(clone), 1,
                                                   SCMP_A0_64(SCMP_CMP_MASKED_EQ, bit, bit)),
                                  "clone ns flag"));
  }
  // execveat with AT_EMPTY_PATH executes an fd (a memfd: fileless exec past Landlock).
  REFEREE_RETURN_IF_ERROR(Check(
      seccomp_rule_add(ctx, notify, SCMP_SYS(execveat), 1,
                       SCMP_A4_64(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH)),
      "execveat"));
  for (uint64_t flag : kBadPersonality) {
    REFEREE_RETURN_IF_ERROR(Check(
        seccomp_rule_add(ctx, notify, SCMP_SYS(personality), 1,
                         SCMP_A0_64(SCMP_CMP_MASKED_EQ, flag | 0x80000000ull, flag)),
        "personality flag"));
  }
  // Terminal injection. The request is an unsigned int in the kernel: compare only the low
  // 32 bits (CVE-2019-10063).
  for (uint64_t request : {uint64_t{TIOCSTI}, uint64_t{TIOCLINUX}}) {
    REFEREE_RETURN_IF_ERROR(Check(
        seccomp_rule_add(ctx, notify, SCMP_SYS(ioctl), 1,
                         SCMP_A1_64(SCMP_CMP_MASKED_EQ, 0xffffffffull, request)),
        "ioctl TIOCSTI"));
  }
  // prctl: installing filters, PR_SET_MM, choosing a ptracer (Yama's PR_SET_PTRACER).
  for (uint64_t option : {uint64_t{PR_SET_SECCOMP}, uint64_t{PR_SET_MM}, uint64_t{0x59616d61}}) {
    REFEREE_RETURN_IF_ERROR(Check(
        seccomp_rule_add(ctx, notify, SCMP_SYS(prctl), 1,
                         SCMP_A0_64(SCMP_CMP_MASKED_EQ, 0xffffffffull, option)),
        "prctl option"));
  }
  return OkStatus();
}

Expected<std::vector<sock_filter>> Export(scmp_filter_ctx ctx) {
  int fd = memfd_create("referee-seccomp", MFD_CLOEXEC);
  if (fd < 0) return ErrnoError("memfd_create", errno);
  int rc = seccomp_export_bpf(ctx, fd);
  if (rc != 0) {
    close(fd);
    return InternalError(StrFormat("seccomp_export_bpf: %s", strerror(-rc)));
  }
  struct stat st;
  fstat(fd, &st);
  std::vector<sock_filter> program(static_cast<size_t>(st.st_size) / sizeof(sock_filter));
  ssize_t n = pread(fd, program.data(), program.size() * sizeof(sock_filter), 0);
  close(fd);
  if (n != static_cast<ssize_t>(program.size() * sizeof(sock_filter))) {
    return InternalError("seccomp: short read of the exported filter");
  }
  return program;
}

Expected<std::vector<sock_filter>> Compile(uint32_t default_action, bool allow_filter,
                                           Profile profile) {
  std::unique_ptr<void, CtxDeleter> ctx(seccomp_init(default_action));
  if (!ctx) return InternalError("seccomp_init failed");
  REFEREE_RETURN_IF_ERROR(Check(
      seccomp_attr_set(ctx.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS), "badarch"));
  if (allow_filter) {
    // Everything the deny filter may refuse must be allowed here, or ERRNO(ENOSYS) would win
    // over its USER_NOTIF and the attempt would go unreported.
    for (const char* name : kAllowed) REFEREE_RETURN_IF_ERROR(AllowName(ctx.get(), name));
    for (const char* name : kDenied) REFEREE_RETURN_IF_ERROR(AllowName(ctx.get(), name));
    for (const char* name : {"socket", "socketpair", "clone", "fork", "vfork", "execveat",
                             "personality", "ioctl", "prctl"}) {
      REFEREE_RETURN_IF_ERROR(AllowName(ctx.get(), name));
    }
  } else {
    REFEREE_RETURN_IF_ERROR(AddDenials(ctx.get(), profile));
  }
  if (getenv("REFEREE_SECCOMP_PFC") != nullptr) seccomp_export_pfc(ctx.get(), 2);
  return Export(ctx.get());
}

}  // namespace

const std::vector<std::string>& DeniedSyscalls() {
  static const std::vector<std::string> names(std::begin(kDenied), std::end(kDenied));
  return names;
}

namespace {

Expected<SeccompPlan> CompilePlan(Profile profile) {
  SeccompPlan plan;
  plan.enabled = true;
  REFEREE_ASSIGN_OR_RETURN(plan.allow_program, Compile(SCMP_ACT_ERRNO(ENOSYS), true, profile));
  REFEREE_ASSIGN_OR_RETURN(plan.deny_program, Compile(SCMP_ACT_ALLOW, false, profile));
  return plan;
}

}  // namespace

Expected<SeccompPlan> Plan(Profile profile) {
  // The filter depends on the profile alone: compile each once (libseccomp's first use also
  // initialises global state, which concurrent Run() calls must not race on).
  static std::mutex mu;
  static std::map<Profile, Expected<SeccompPlan>> cached;
  std::lock_guard<std::mutex> lock(mu);
  auto it = cached.find(profile);
  if (it == cached.end()) it = cached.emplace(profile, CompilePlan(profile)).first;
  return it->second;
}

namespace {

long LoadFilter(const std::vector<sock_filter>& program, unsigned flags) {
  struct sock_fprog prog;
  prog.len = static_cast<unsigned short>(program.size());
  prog.filter = const_cast<sock_filter*>(program.data());
  return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &prog);
}

}  // namespace

ChildError Apply(const SeccompPlan& plan, int* listener) {
  // The allow filter first: once the deny filter is in, seccomp() itself is reported.
  if (LoadFilter(plan.allow_program, 0) != 0) return ChildFail("seccomp: load allow filter");
  long fd = LoadFilter(plan.deny_program, SECCOMP_FILTER_FLAG_NEW_LISTENER);
  if (fd < 0) return ChildFail("seccomp: load deny filter with listener");
  *listener = static_cast<int>(fd);
  return ChildOk();
}

std::string SyscallName(uint32_t arch, int nr) {
  char* name = seccomp_syscall_resolve_num_arch(arch, nr);
  if (name == nullptr) return StrFormat("syscall-%d", nr);
  std::string result = name;
  free(name);
  return result;
}

bool NotifySupported() {
  uint32_t action = SECCOMP_RET_USER_NOTIF;
  return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

}  // namespace referee::sandbox::internal::seccomp
