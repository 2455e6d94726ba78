#include "supervisor.h"

#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <map>

#include "contain.h"
#include "fd_passing.h"
#include "referee/base/fd.h"
#include "referee/base/strings.h"
#include "seccomp_filter.h"
#include "userns.h"

namespace referee::sandbox::internal {
namespace {

using Clock = std::chrono::steady_clock;

struct Pipe {
  UniqueFd read;
  UniqueFd write;
};

// Moves fd above 2, so that the children's dup2 onto 0-2 cannot clobber it (a caller may run
// with stdio closed).
int AboveStdio(int fd) {
  if (fd > 2) return fd;
  int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  close(fd);
  return moved;
}

Expected<Pipe> MakePipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return ErrnoError("pipe2", errno);
  return Pipe{UniqueFd(AboveStdio(fds[0])), UniqueFd(AboveStdio(fds[1]))};
}

// Captures one stream up to `cap` bytes and drains (discards) the rest so the writer never
// blocks on a full pipe.
struct Capture {
  UniqueFd fd;
  std::string* data = nullptr;
  bool* truncated = nullptr;
  uint64_t cap = 0;
  bool eof = false;

  void Read() {
    char buf[65536];
    ssize_t n = read(fd.get(), buf, sizeof(buf));
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
    if (n <= 0) {
      eof = true;
      return;
    }
    size_t room = cap > data->size() ? cap - data->size() : 0;
    size_t take = std::min(room, static_cast<size_t>(n));
    data->append(buf, take);
    if (take < static_cast<size_t>(n)) *truncated = true;
  }
};

class ViolationLog final {
 public:
  void Record(uint32_t arch, int nr, const uint64_t* args) {
    std::string name = seccomp::SyscallName(arch, nr);
    auto it = index_.find(name);
    if (it == index_.end()) {
      index_[name] = violations_.size();
      violations_.push_back({name, std::vector<uint64_t>(args, args + 6), 1});
    } else {
      ++violations_[it->second].count;
    }
  }
  void RecordArch() { violations_.push_back({"(non-native architecture)", {}, 1}); }
  std::vector<Violation> Take() { return std::move(violations_); }

 private:
  std::vector<Violation> violations_;
  std::map<std::string, size_t> index_;
};

// One pending notification: record it and answer EPERM. Never CONTINUE (sandbox.md §5.7).
void HandleNotification(int listener, ViolationLog& log) {
  struct seccomp_notif req;
  memset(&req, 0, sizeof(req));
  if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0) return;
  uint64_t args[6];
  for (int i = 0; i < 6; ++i) args[i] = req.data.args[i];
  log.Record(req.data.arch, req.data.nr, args);
  struct seccomp_notif_resp resp;
  memset(&resp, 0, sizeof(resp));
  resp.id = req.id;
  resp.error = -EPERM;
  ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);  // ENOENT: the caller died meanwhile
}

struct Watch {
  Capture out, err;
  UniqueFd report, notify_sock, listener, pidfd;
  bool report_eof = false;
  bool init_done = false;
  std::vector<ReportRecord> records;
};

void ReadReports(Watch& w) {
  ReportRecord rec;
  ssize_t n = read(w.report.get(), &rec, sizeof(rec));
  if (n < 0 && errno == EINTR) return;
  if (n == static_cast<ssize_t>(sizeof(rec))) {
    w.records.push_back(rec);
  } else {
    w.report_eof = true;
  }
}

// The clock's events: the soft deadline (SIGTERM), the hard one (SIGKILL), the caller's ticks.
struct Deadlines {
  Clock::time_point start, term, kill;  // term == start: none
  const RunHooks* hooks = nullptr;
  Clock::time_point next_tick;
};

struct LoopOutcome {
  bool timed_out = false;
  bool terminated = false;
  std::string stop_reason;  // non-empty: a hook stopped the run
};

void KillNamespace(pid_t init, const cgroup::Cgroup* cg) {
  kill(init, SIGKILL);  // pid 1 of the namespace: the kernel kills every process in it
  if (cg != nullptr) cg->KillAll();
}

// SIGTERM at the soft deadline, the caller's tick (which may stop the run); returns when the
// loop should next wake for them.
Clock::time_point ClockEvents(Watch& w, pid_t init, Deadlines& d, const cgroup::Cgroup* cg,
                              LoopOutcome& out, Clock::time_point now) {
  Clock::time_point wake = d.kill;
  if (d.term != d.start && !out.terminated && !w.init_done) {
    if (now >= d.term) {
      out.terminated = true;
      kill(init, SIGTERM);  // init forwards it to every process (contain.cc)
    } else {
      wake = std::min(wake, d.term);
    }
  }
  if (d.hooks != nullptr && d.hooks->on_tick && out.stop_reason.empty() && !w.init_done) {
    if (now >= d.next_tick) {
      std::string stop = d.hooks->on_tick(std::chrono::duration<double>(now - d.start).count());
      d.next_tick = now + std::chrono::microseconds(
                              static_cast<long long>(d.hooks->tick_interval_s * 1e6));
      if (!stop.empty()) {
        out.stop_reason = stop;
        KillNamespace(init, cg);
      }
    }
    wake = std::min(wake, d.next_tick);
  }
  return wake;
}

// Polls everything until init has exited and the pipes are drained; kills at the deadline.
LoopOutcome Loop(Watch& w, pid_t init, Deadlines d, const cgroup::Cgroup* cg,
                 ViolationLog& log) {
  LoopOutcome out;
  bool& timed_out = out.timed_out;
  Clock::time_point deadline = d.kill;
  Clock::time_point grace{};
  for (;;) {
    bool drained = w.out.eof && w.err.eof && w.report_eof;
    if (w.init_done && drained) break;
    if (w.init_done && grace == Clock::time_point{}) grace = Clock::now() + std::chrono::seconds(2);
    Clock::time_point now = Clock::now();
    if (!timed_out && now >= deadline) {
      timed_out = true;
      KillNamespace(init, cg);
    }
    Clock::time_point event = ClockEvents(w, init, d, cg, out, now);
    if (w.init_done && now >= grace) break;  // a pipe held open past the namespace's end
    struct pollfd fds[6];
    int n = 0;
    auto add = [&](int fd) {
      fds[n] = {fd, POLLIN, 0};
      return n++;
    };
    int i_out = w.out.eof ? -1 : add(w.out.fd.get());
    int i_err = w.err.eof ? -1 : add(w.err.fd.get());
    int i_rep = w.report_eof ? -1 : add(w.report.get());
    int i_sock = w.notify_sock.valid() ? add(w.notify_sock.get()) : -1;
    int i_lis = w.listener.valid() ? add(w.listener.get()) : -1;
    int i_pid = w.init_done ? -1 : add(w.pidfd.get());
    Clock::time_point wake = timed_out ? now + std::chrono::milliseconds(100) : event;
    if (w.init_done) wake = std::min(wake, grace);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(wake - now).count();
    int rc = poll(fds, n, static_cast<int>(std::max<long long>(1, std::min<long long>(ms, 1000))));
    if (rc < 0 && errno != EINTR) break;
    if (rc <= 0) continue;
    auto ready = [&](int i) { return i >= 0 && fds[i].revents != 0; };
    if (ready(i_lis)) {
      if (fds[i_lis].revents & POLLIN) {
        HandleNotification(w.listener.get(), log);
      } else {
        w.listener.Reset();
      }
    }
    if (ready(i_sock)) {
      int fd = ReceiveFd(w.notify_sock.get());
      if (fd >= 0) w.listener.Reset(fd);
      w.notify_sock.Reset();
    }
    if (ready(i_out)) w.out.Read();
    if (ready(i_err)) w.err.Read();
    if (ready(i_rep)) ReadReports(w);
    if (ready(i_pid)) {
      int status;
      if (waitpid(init, &status, __WALL) == init) w.init_done = true;
    }
  }
  if (!w.init_done) {
    kill(init, SIGKILL);
    int status;
    waitpid(init, &status, __WALL);
  }
  return out;
}

void Classify(RunResult& r, const std::vector<ReportRecord>& records, bool oom) {
  for (const ReportRecord& rec : records) {
    if (rec.kind == ReportRecord::kSetupFailed) {
      r.status = RunStatus::kSetupError;
      r.reason = rec.detail[0] != '\0'
                     ? StrFormat("sandbox setup failed: %s %s: %s", rec.step, rec.detail,
                                 strerror(rec.err))
                     : StrFormat("sandbox setup failed: %s: %s", rec.step, strerror(rec.err));
      return;
    }
  }
  if (!r.violations.empty()) {
    r.status = RunStatus::kViolation;
    r.reason = "forbidden system call: " + r.violations.front().syscall;
  } else if (r.stopped) {
    r.status = RunStatus::kStopped;  // the reason is the hook's
  } else if (r.timed_out) {
    r.status = RunStatus::kTimeout;
    r.reason = "wall-clock limit reached; the pid namespace was killed";
  } else if (oom) {
    r.status = RunStatus::kOom;
    r.reason = "killed by the cgroup memory limit";
  } else if (r.signal != 0) {
    r.status = RunStatus::kSignaled;
    r.reason = StrFormat("killed by signal %d (%s)", r.signal, strsignal(r.signal));
  } else if (r.exit_code != 0) {
    r.status = RunStatus::kExitNonZero;
    r.reason = StrFormat("exited with status %d", r.exit_code);
  } else {
    r.status = RunStatus::kOk;
    r.reason = "exited with status 0";
  }
}

}  // namespace

namespace {

void KillAndReap(pid_t init) {
  kill(init, SIGKILL);
  int status;
  waitpid(init, &status, __WALL);
}

// The parent's ends of the channels to a started init.
struct Started {
  pid_t init = -1;
  Clock::time_point start;
  UniqueFd out, err, report, notify_sock, pidfd;
};

// Clones init, writes its id maps, puts it in the cgroup and lets it go.
Expected<Started> Start(const SuperviseInput& in) {
  ChildPlan& plan = *in.plan;
  REFEREE_ASSIGN_OR_RETURN(Pipe sync, MakePipe());
  REFEREE_ASSIGN_OR_RETURN(Pipe out, MakePipe());
  REFEREE_ASSIGN_OR_RETURN(Pipe err, MakePipe());
  REFEREE_ASSIGN_OR_RETURN(Pipe report, MakePipe());
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
    return ErrnoError("socketpair", errno);
  }
  UniqueFd notify_parent(AboveStdio(sv[0])), notify_child(AboveStdio(sv[1]));
  plan.sync_read_fd = sync.read.get();
  plan.report_write_fd = report.write.get();
  plan.stdout_write_fd = out.write.get();
  plan.stderr_write_fd = err.write.get();
  plan.notify_send_fd = notify_child.get();
  FinalizePlan(plan);

  Started s;
  s.start = Clock::now();
  s.init = static_cast<pid_t>(
      syscall(SYS_clone, in.clone_flags | SIGCHLD, nullptr, nullptr, nullptr, 0));
  if (s.init < 0) return ErrnoError("clone of the sandbox init", errno);
  if (s.init == 0) RunInit(plan);  // never returns

  Status setup;
  if (plan.user_ns) setup = userns::Apply({s.init, in.outside_uid, in.outside_gid});
  if (setup.ok() && in.cgroup != nullptr) setup = in.cgroup->AddProcess(s.init);
  s.pidfd.Reset(static_cast<int>(syscall(SYS_pidfd_open, s.init, 0)));
  if (setup.ok() && !s.pidfd.valid()) setup = ErrnoError("pidfd_open", errno);
  char go = 'G';
  if (setup.ok() && write(sync.write.get(), &go, 1) != 1) {
    setup = ErrnoError("start the sandbox", errno);
  }
  if (!setup.ok()) {
    KillAndReap(s.init);
    return setup;
  }
  s.out = std::move(out.read);
  s.err = std::move(err.read);
  s.report = std::move(report.read);
  s.notify_sock = std::move(notify_parent);
  return s;  // the children's ends close here
}

// Exit status, CPU time and peak memory from init's final report and the cgroup.
void Collect(const Watch& w, const cgroup::Cgroup* cg, ViolationLog& log, RunResult& result) {
  for (const ReportRecord& rec : w.records) {
    if (rec.kind != ReportRecord::kExited) continue;
    int status = rec.wait_status;
    if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) result.signal = WTERMSIG(status);
    if (result.signal == SIGSYS) log.RecordArch();
    result.leftover_processes = rec.leftover;
    result.cpu_time_s = static_cast<double>(rec.cpu_us) / 1e6;
    result.peak_memory_bytes = static_cast<uint64_t>(rec.maxrss_kb) * 1024;
  }
  if (result.timed_out && result.signal == 0) result.signal = SIGKILL;
  if (cg != nullptr) {
    cgroup::CgroupStats stats = cg->Stats();
    if (stats.peak_memory_bytes > 0) result.peak_memory_bytes = stats.peak_memory_bytes;
    result.oom = stats.oom_killed;
  }
  result.violations = log.Take();
}

}  // namespace

Expected<RunResult> Supervise(const SuperviseInput& in) {
  const Limits& limits = in.policy->limits;
  REFEREE_ASSIGN_OR_RETURN(Started s, Start(in));
  RunResult result;
  Watch w;
  w.out = Capture{std::move(s.out), &result.stdout_data, &result.stdout_truncated,
                  limits.output_bytes};
  w.err = Capture{std::move(s.err), &result.stderr_data, &result.stderr_truncated,
                  limits.output_bytes};
  w.report = std::move(s.report);
  w.notify_sock = std::move(s.notify_sock);
  w.pidfd = std::move(s.pidfd);
  ViolationLog log;
  auto at = [&](double seconds) {
    return s.start + std::chrono::microseconds(static_cast<long long>(seconds * 1e6));
  };
  Deadlines d{s.start, at(limits.term_time_s), at(limits.wall_time_s), in.hooks, s.start};
  LoopOutcome outcome = Loop(w, s.init, d, in.cgroup, log);
  result.timed_out = outcome.timed_out;
  result.terminated = outcome.terminated;
  result.stopped = !outcome.stop_reason.empty();
  if (result.stopped) result.reason = outcome.stop_reason;
  result.wall_time_s = std::chrono::duration<double>(Clock::now() - s.start).count();
  Collect(w, in.cgroup, log, result);
  Classify(result, w.records, result.oom);
  return result;
}

}  // namespace referee::sandbox::internal
