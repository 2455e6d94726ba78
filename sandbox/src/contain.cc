#include "contain.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "caps.h"
#include "fd_passing.h"
#include "landlock.h"
#include "mountns.h"
#include "netns.h"
#include "rlimits.h"
#include "seccomp_filter.h"
#include "userns.h"

namespace referee::sandbox::internal {
namespace {

[[noreturn]] void Fail(const ChildPlan& plan, const ChildError& e) {
  WriteSetupFailure(plan.report_write_fd, e);
  _exit(126);
}

void Check(const ChildPlan& plan, const ChildError& e) {
  if (!e.ok()) Fail(plan, e);
}

// Closes every fd not in the plan's keep list (the parent may hold anything: references,
// expected outputs).
void CloseOthers(const ChildPlan& plan) {
  unsigned next = 0;
  for (unsigned fd : plan.keep_fds_sorted) {
    if (fd > next) syscall(SYS_close_range, next, fd - 1, 0);
    next = fd + 1;
  }
  syscall(SYS_close_range, next, ~0U, 0);
}

ChildError SendListener(int sock, int fd) {
  if (!SendFd(sock, fd)) return ChildFail("send seccomp listener");
  return ChildOk();
}

ChildError SetupStdio(const ChildPlan& plan) {
  int null_fd = open("/dev/null", O_RDONLY);  // not CLOEXEC: it may already be fd 0
  if (null_fd < 0) return ChildFail("open /dev/null");
  if (dup2(null_fd, 0) < 0 || dup2(plan.stdout_write_fd, 1) < 0 ||
      dup2(plan.stderr_write_fd, 2) < 0) {
    return ChildFail("dup2 stdio");
  }
  if (null_fd > 2) close(null_fd);  // init closed 0-2, so /dev/null may already be fd 0
  return ChildOk();
}

// Layers of the payload, in kernel order: each later step relies on the earlier ones (Landlock
// needs no_new_privs; seccomp comes last so that the setup's own calls are not filtered).
[[noreturn]] void RunPayload(const ChildPlan& plan) {
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  if (setsid() < 0) Fail(plan, ChildFail("setsid"));  // no controlling tty (TIOCSTI)
  Check(plan, SetupStdio(plan));
  if (chdir(plan.working_dir.c_str()) != 0) Fail(plan, ChildFail("chdir working dir"));
  Check(plan, rlimits::Apply(plan.rlimits));
  Check(plan, caps::Apply({plan.drop_caps, plan.no_new_privs}));
  if (plan.landlock.enabled) Check(plan, landlock::Apply(plan.landlock));
  if (plan.seccomp.enabled) {
    int listener = -1;
    Check(plan, seccomp::Apply(plan.seccomp, &listener));
    Check(plan, SendListener(plan.notify_send_fd, listener));
    close(listener);
  }
  if (plan.notify_send_fd >= 0) close(plan.notify_send_fd);
  // Nothing but stdio and the inherited fds crosses execve; the report pipe stays open (and
  // close-on-exec) so that an execve failure can still be reported.
  syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
  for (int fd : plan.inherited_fds) fcntl(fd, F_SETFD, 0);
  execve(plan.exec_path.c_str(), plan.argv.data(), plan.envp.data());
  Fail(plan, ChildFail("execve"));
}

struct Reaped {
  int payload_status = 0;
  bool payload_done = false;
  int leftover = 0;  // alive when the payload exited, killed by us
};

// Reaps until the payload has exited, then kills the rest of the namespace and reaps it too.
// Those that die of that SIGKILL are counted: a background trainer is visible to the parent
// (issue 13), not only stopped.
Reaped ReapAll(pid_t payload) {
  Reaped r;
  for (;;) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, __WALL);
    if (pid < 0) {
      if (errno == EINTR) continue;
      break;  // ECHILD: nobody left
    }
    if (pid == payload) {
      r.payload_status = status;
      r.payload_done = true;
      kill(-1, SIGKILL);  // daemons, stray workers: nothing outlives the payload
    } else if (r.payload_done && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) {
      ++r.leftover;
    }
  }
  return r;
}

// The parent's SIGTERM at Limits::term_time_s: pid 1 of a namespace receives only signals it
// handles, so init handles it by passing it on to every process in the namespace.
void ForwardTerm(int) { kill(-1, SIGTERM); }

void InstallTermForwarding() {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = ForwardTerm;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
}

}  // namespace

void RunInit(const ChildPlan& plan) {
  prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
  CloseOthers(plan);
  char go = 0;
  if (read(plan.sync_read_fd, &go, 1) != 1) _exit(125);  // the parent gave up
  close(plan.sync_read_fd);
  if (plan.user_ns) Check(plan, userns::BecomeRoot());
  if (plan.cgroup_ns && unshare(CLONE_NEWCGROUP) != 0) Fail(plan, ChildFail("unshare cgroup ns"));
  if (plan.uts_ns && sethostname("referee", 7) != 0) Fail(plan, ChildFail("sethostname"));
  if (plan.net_ns) Check(plan, netns::Apply());
  if (plan.mounts.enabled) Check(plan, mountns::Apply(plan.mounts));

  pid_t payload = static_cast<pid_t>(syscall(SYS_clone, SIGCHLD, nullptr, nullptr, nullptr, 0));
  if (payload < 0) Fail(plan, ChildFail("clone payload"));
  if (payload == 0) RunPayload(plan);
  close(plan.stdout_write_fd);
  close(plan.stderr_write_fd);
  if (plan.notify_send_fd >= 0) close(plan.notify_send_fd);
  for (int fd : plan.inherited_fds) close(fd);
  InstallTermForwarding();  // after the clone: the payload keeps the default disposition

  Reaped reaped = ReapAll(payload);
  struct rusage ru;
  memset(&ru, 0, sizeof(ru));
  getrusage(RUSAGE_CHILDREN, &ru);
  ReportRecord record;
  record.kind = ReportRecord::kExited;
  record.wait_status = reaped.payload_status;
  record.payload_pid = payload;
  record.leftover = reaped.leftover;
  record.cpu_us = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL + ru.ru_utime.tv_usec +
                  ru.ru_stime.tv_usec;
  record.maxrss_kb = ru.ru_maxrss;
  WriteReport(plan.report_write_fd, record);
  _exit(0);
}

}  // namespace referee::sandbox::internal
