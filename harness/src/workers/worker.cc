#include "referee/harness/worker.h"
#include "workers/reply_record.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "referee/base/clock.h"
#include "referee/base/file.h"
#include "referee/base/log.h"
#include "referee/base/strings.h"

namespace referee::harness {
namespace {

bool HasExited(pid_t pid) {
  siginfo_t info{};
  return waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
         info.si_pid == pid;
}


class PlainProcess final : public Process {
 public:
  PlainProcess(pid_t pid, int output_fd) : pid_(pid), output_fd_(output_fd) {}
  bool Exited() override { return HasExited(pid_); }
  void Kill() override {
    kill(-pid_, SIGKILL);
    kill(pid_, SIGKILL);
  }
  void Signal(int sig) override { kill(pid_, sig); }
  ExitInfo Wait() override {
    int status = 0;
    waitpid(pid_, &status, 0);
    ExitInfo e;
    e.exited = WIFEXITED(status);
    e.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    e.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    struct stat st {};
    if (fstat(output_fd_, &st) == 0) {
      e.output_flooded = static_cast<size_t>(st.st_size) >= kMaxOutputBytes;
      off_t from = st.st_size > 2048 ? st.st_size - 2048 : 0;
      std::string tail(static_cast<size_t>(st.st_size - from), '\0');
      ssize_t n = pread(output_fd_, tail.data(), tail.size(), from);
      e.output_tail = n > 0 ? tail.substr(0, static_cast<size_t>(n)) : "";
    }
    return e;
  }

 private:
  pid_t pid_;
  int output_fd_;  // owned by the Worker, which outlives this
};

class PlainLauncher final : public Launcher {
 public:
  std::string name() const override { return "plain"; }
  Expected<std::unique_ptr<Process>> Launch(const WorkerSpec& spec,
                                            const std::map<int, int>& fds) override {
    // Everything the child needs is prepared before fork: no allocation afterwards.
    std::vector<std::string> env_strings;
    for (const auto& [k, v] : spec.env) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp, argv;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = spec.argv;
    for (auto& s : args) argv.push_back(s.data());
    argv.push_back(nullptr);
    std::vector<std::pair<int, int>> moves(fds.begin(), fds.end());
    std::vector<char> keep(1024, 0);
    for (const auto& [target, source] : fds) {
      if (target >= 0 && target < 1024) keep[static_cast<size_t>(target)] = 1;
    }
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) return ErrnoError("fork", errno);
    if (pid == 0) {
      setpgid(0, 0);
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(127);
      // Move sources out of the way of targets first, then place them.
      std::vector<int> high(moves.size());
      for (size_t i = 0; i < moves.size(); ++i) high[i] = fcntl(moves[i].second, F_DUPFD, 100);
      for (size_t i = 0; i < moves.size(); ++i) dup2(high[i], moves[i].first);
      for (int fd = 5; fd < 1024; ++fd) {
        if (!keep[static_cast<size_t>(fd)]) close(fd);
      }
      rlimit fsize{kMaxOutputBytes, kMaxOutputBytes};
      setrlimit(RLIMIT_FSIZE, &fsize);
      rlimit core{0, 0};
      setrlimit(RLIMIT_CORE, &core);
      execve(argv[0], argv.data(), envp.data());
      LogRaw(2, "referee worker: execve failed\n");
      _exit(127);
    }
    return std::unique_ptr<Process>(new PlainProcess(pid, fds.at(1)));
  }
};

}  // namespace

std::unique_ptr<Launcher> MakePlainLauncher() { return std::make_unique<PlainLauncher>(); }

std::string ExitInfo::LastOutputLine() const {
  std::string_view tail = StripWhitespace(output_tail);
  if (tail.empty() || output_flooded) return "";
  size_t nl = tail.rfind('\n');
  return std::string(tail.substr(nl == std::string_view::npos ? 0 : nl + 1)).substr(0, 200);
}

std::string ExitInfo::Describe() const {
  std::string s;
  if (signal != 0) {
    s = StrFormat("killed by signal %d (%s)", signal, strsignal(signal));
  } else {
    s = StrFormat("exited with code %d", exit_code);
  }
  if (!how.empty()) s += " (" + how + ")";
  if (output_flooded) s += "; output flood: more than 1 MiB written to stdout/stderr";
  return s;
}

namespace {

constexpr int kHangDumpSignal = SIGUSR1;

// Where a worker that printed a Python stack dump (faulthandler, registered for
// REFEREE_HANG_SIGNAL) was stuck: the innermost frame of its main thread, the one whose stack
// runs through the worker's main(); else the last line it printed.
std::string HangLocation(const ExitInfo& info) {
  std::string_view tail = info.output_tail;
  constexpr std::string_view kHeader = "(most recent call first):\n";
  for (size_t at = tail.find(kHeader); at != std::string_view::npos;
       at = tail.find(kHeader, at + 1)) {
    size_t begin = at + kHeader.size();
    size_t end = tail.find("\n\n", begin);
    std::string_view block = tail.substr(begin, end == std::string_view::npos ? end : end - begin);
    if (block.find(" in main") == std::string_view::npos &&
        block.find(" in <module>") == std::string_view::npos) {
      continue;
    }
    std::string_view first = StripWhitespace(block.substr(0, block.find('\n')));
    if (!first.empty()) return std::string(first.substr(0, 200));
  }
  return info.LastOutputLine();
}

}  // namespace

Expected<std::unique_ptr<Worker>> Worker::Start(const WorkerSpec& given, Launcher& launcher,
                                                 WorkerFailure* failure) {
  WorkerSpec spec = given;
  // The worker dumps its stacks to stderr on this signal (faulthandler.register: a signal
  // handler, no watchdog thread that the thread-growth checks would count).
  spec.env["REFEREE_HANG_SIGNAL"] = std::to_string(kHangDumpSignal);
  std::unique_ptr<Worker> w(new Worker());
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
    return ErrnoError("socketpair", errno);
  }
  w->chan_.Reset(sv[0]);
  UniqueFd child_end(sv[1]);
  w->arena_fd_.Reset(memfd_create("referee-arena", MFD_CLOEXEC));
  w->output_fd_.Reset(memfd_create("referee-output", MFD_CLOEXEC));
  if (!w->arena_fd_.valid() || !w->output_fd_.valid()) return ErrnoError("memfd_create", errno);
  w->arena_bytes_ = spec.arena_bytes;
  if (ftruncate(w->arena_fd_.get(), static_cast<off_t>(spec.arena_bytes)) != 0) {
    return ErrnoError("ftruncate arena", errno);
  }
  void* p = mmap(nullptr, spec.arena_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
                 w->arena_fd_.get(), 0);
  if (p == MAP_FAILED) return ErrnoError("mmap arena", errno);
  w->arena_ = static_cast<char*>(p);
  int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  std::map<int, int> fds = {{0, devnull}, {1, w->output_fd_.get()}, {2, w->output_fd_.get()},
                            {3, child_end.get()}, {4, w->arena_fd_.get()}};
  for (const auto& [target, source] : spec.extra_fds) {
    if (target < 5) return InvalidArgumentError("extra worker fds start at 5");
    fds[target] = source;
  }
  int one = 1;
  setsockopt(w->chan_.get(), SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
  Expected<std::unique_ptr<Process>> process = launcher.Launch(spec, fds);
  close(devnull);
  if (!process) return process.error();
  w->process_ = std::move(*process);
  child_end.Reset();
  Expected<Json> hello = w->ReadRecord(spec.start_timeout_s);
  if (!hello) {
    if (failure && w->failed_) *failure = w->failure_;
    return hello.error();
  }
  w->hello_ = *hello;
  w->process_->OnLoaded();
  return w;
}

Worker::~Worker() {
  Stop();
  if (arena_) munmap(arena_, arena_bytes_);
}

int Worker::ThreadCount() const {
  DIR* d = opendir(StrFormat("/proc/%d/task", pid_).c_str());
  if (!d) return -1;
  int n = 0;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] != '.') ++n;
  }
  closedir(d);
  return n;
}

int Worker::ChildCount() const {
  DIR* d = opendir(StrFormat("/proc/%d/task", pid_).c_str());
  if (!d) return -1;
  int n = 0;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    std::string path = StrFormat("/proc/%d/task/%s/children", pid_, e->d_name);
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    char buf[4096];
    ssize_t len = read(fd, buf, sizeof(buf));
    close(fd);
    for (ssize_t i = 0; i < len; ++i) n += buf[i] == ' ';
  }
  closedir(d);
  return n;
}

namespace {

// The space-separated pids in /proc/<pid>/task/<pid>/children.
std::vector<pid_t> ChildrenOf(pid_t pid) {
  std::vector<pid_t> out;
  int fd = open(StrFormat("/proc/%d/task/%d/children", pid, pid).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return out;
  char buf[4096];
  ssize_t len = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  if (len <= 0) return out;
  buf[len] = '\0';
  for (char* p = buf; *p != '\0';) {
    char* end = nullptr;
    long v = std::strtol(p, &end, 10);
    if (end == p) break;
    out.push_back(static_cast<pid_t>(v));
    p = end;
  }
  return out;
}

// The worker's parent when it is another pid namespace's init (the sandbox's), else -1.
pid_t SandboxInitOf(pid_t worker) {
  Expected<std::string> status = ReadFile(StrFormat("/proc/%d/status", worker));
  if (!status) return -1;
  size_t at = status->find("\nPPid:");
  if (at == std::string::npos) return -1;
  pid_t ppid = static_cast<pid_t>(std::strtol(status->c_str() + at + 6, nullptr, 10));
  if (ppid <= 1 || ppid == getpid()) return -1;
  char mine[64] = {0}, theirs[64] = {0};
  if (readlink("/proc/self/ns/pid", mine, sizeof(mine) - 1) <= 0 ||
      readlink(StrFormat("/proc/%d/ns/pid", worker).c_str(), theirs, sizeof(theirs) - 1) <= 0 ||
      std::string_view(mine) == theirs) {
    return -1;
  }
  return ppid;
}

}  // namespace

int Worker::EscapedProcessCount() {
  if (sandbox_init_ == 0) sandbox_init_ = SandboxInitOf(pid_);  // looked up once
  if (sandbox_init_ < 0) return -1;
  int n = 0;
  for (pid_t p : ChildrenOf(sandbox_init_)) n += p != pid_;
  return n;
}

ExitInfo Worker::Stop() {
  if (reaped_ || !process_) return exit_;
  if (!process_->Exited()) {
    process_->Kill();
    if (pid_ > 0) kill(pid_, SIGKILL);  // the kernel-vouched worker pid (sandboxed workers)
  }
  exit_ = process_->Wait();
  reaped_ = true;
  return exit_;
}

Status Worker::Fail(std::string check, std::string reason, std::string evidence) {
  if (!failed_) {
    failed_ = true;
    failure_ = {std::move(check), std::move(reason), std::move(evidence)};
  }
  return AbortedError(failure_.evidence.empty() ? failure_.reason
                                                : failure_.reason + ": " + failure_.evidence);
}

namespace {

// The check for a worker that ended: the memory limit, a signal, or an exit.
std::string EndCheck(const ExitInfo& info) {
  if (info.oom) return "oom";
  return info.signal != 0 ? "crash" : "early-exit";
}

}  // namespace

Expected<Json> Worker::ReadRecord(double timeout_s, const std::function<void()>& after_receive) {
  double deadline = MonotonicSeconds() + timeout_s;
  std::string buf(kMaxRecordBytes + 1, '\0');
  while (true) {
    double left = deadline - MonotonicSeconds();
    if (left <= 0) {
      // Where it hung (an import, CUDA init, a lock, the candidate): its stack dump, asked
      // for now, or its last output line.
      process_->Signal(kHangDumpSignal);
      usleep(300000);
      std::string where = HangLocation(Stop());
      return Fail("timeout", StrFormat("no reply within %.1f s (hang)", timeout_s),
                  where.empty() ? "" : "at " + where);
    }
    pollfd pfd{chan_.get(), POLLIN, 0};
    int r = poll(&pfd, 1, std::min(50, static_cast<int>(left * 1000) + 1));
    if (r < 0 && errno == EINTR) continue;
    if (r == 0 && !process_->Exited()) continue;
    iovec iov{buf.data(), buf.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(ucred))];
    msghdr msg{};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    ssize_t n = recvmsg(chan_.get(), &msg, MSG_TRUNC | MSG_DONTWAIT);
    if (n > 0 && after_receive) after_receive();
    if (n > 0 && seq_ == 0) {
      // The kernel vouches for the sender's pid (translated into our pid namespace).
      for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS) {
          ucred cred;
          std::memcpy(&cred, CMSG_DATA(c), sizeof(cred));
          pid_ = cred.pid;
        }
      }
    }
    // Nothing to read: wait on, unless the worker is gone (a sandbox that failed to set up
    // never closes our copy of the channel, so no end-of-file comes).
    if (n < 0 && (errno == EINTR || (errno == EAGAIN && !process_->Exited()))) continue;
    if (n <= 0) {
      // A short grace period lets a dying worker be reaped with its real status.
      for (int i = 0; i < 50 && !process_->Exited(); ++i) usleep(2000);
      ExitInfo info = Stop();
      return Fail(EndCheck(info), "worker ended before replying: " + info.Describe(),
                  info.LastOutputLine());
    }
    if (static_cast<size_t>(n) > kMaxRecordBytes) {
      Stop();
      return Fail("protocol", StrFormat("reply of %zd bytes exceeds the %zu-byte cap", n,
                                        kMaxRecordBytes));
    }
    Expected<Json> j =
        ParseReplyRecord(std::string_view(buf.data(), static_cast<size_t>(n)), seq_);
    if (!j) {
      Stop();
      return Fail("protocol", j.error().message());
    }
    if (seq_ == 0 && !(*j)["ok"].get<bool>()) {
      std::string err = JsonString(*j, "error", "load failed");
      Stop();
      return Fail("load", "the program failed to load", err.substr(0, 500));
    }
    return j;
  }
}

Expected<Reply> Worker::Request(Json request, double timeout_s, const RequestHooks& hooks) {
  if (failed_) return AbortedError(failure_.reason);
  request["seq"] = ++seq_;
  std::string s = DumpJson(request, -1);
  if (hooks.before_send) hooks.before_send();
  if (send(chan_.get(), s.data(), s.size(), MSG_NOSIGNAL) < 0) {
    for (int i = 0; i < 50 && !process_->Exited(); ++i) usleep(2000);
    ExitInfo info = Stop();
    return Fail(EndCheck(info), "worker is gone: " + info.Describe(), info.LastOutputLine());
  }
  REFEREE_ASSIGN_OR_RETURN(Json body, ReadRecord(timeout_s, hooks.after_receive));
  return Reply{std::move(body)};
}

}  // namespace referee::harness
