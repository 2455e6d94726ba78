#include "child_pool.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <set>
#include <thread>

#include "large_stack.h"
#include "referee/base/fd.h"
#include "referee/base/strings.h"

namespace referee::analyzers {
namespace {

using Clock = std::chrono::steady_clock;

// A reply larger than this is corruption, not an outcome.
constexpr uint32_t kMaxReplyBytes = 1u << 30;
// Child stderr kept per child until a line ends; longer lines are cut.
constexpr size_t kMaxStderrLine = 4096;
// How often resident memory is sampled while a task runs.
constexpr int kMemoryPollMs = 50;

// ---- The child side: tasks in, replies out, until the socket closes. ----

bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n, size -= size_t(n);
  }
  return true;
}

bool ReadAll(int fd, char* data, size_t size) {
  while (size > 0) {
    ssize_t n = read(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n, size -= size_t(n);
  }
  return true;
}

// One thread of the child runs every task it gets, so that per-thread caches (the tree-sitter
// parser, parent links) live as long as the child, as they do on the threads of an in-process run.
void ChildLoop(int sock, const std::function<std::string(int)>& task) {
  while (true) {
    uint32_t index = 0;
    if (!ReadAll(sock, reinterpret_cast<char*>(&index), sizeof index)) return;
    std::string reply = task(int(index));
    auto size = static_cast<uint32_t>(std::min<size_t>(reply.size(), kMaxReplyBytes));
    if (!WriteAll(sock, reinterpret_cast<const char*>(&size), sizeof size) ||
        !WriteAll(sock, reply.data(), size)) {
      return;
    }
  }
}

[[noreturn]] void ChildMain(int sock, const std::function<std::string(int)>& task) {
  RunOnLargeStack([&] { ChildLoop(sock, task); });
  _exit(0);
}

// ---- The parent side. ----

struct Child {
  pid_t pid = -1;
  UniqueFd sock;  // requests out, replies in
  UniqueFd err;   // the child's stderr
  int task = -1;  // running, or -1 when idle
  Clock::time_point started;
  std::string reply;       // bytes of the reply so far
  std::string err_line;    // stderr since the last newline
};

std::string SignalName(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? StrFormat("signal %d, SIG%s", sig, abbrev) : StrFormat("signal %d", sig);
}

std::string ExitReason(int status) {
  if (WIFSIGNALED(status)) return "the analysis crashed (" + SignalName(WTERMSIG(status)) + ")";
  if (WIFEXITED(status)) {
    return StrFormat("the analysis process exited with status %d", WEXITSTATUS(status));
  }
  return "the analysis process ended";
}

uint64_t ResidentBytes(pid_t pid) {
  char path[64];
  std::snprintf(path, sizeof path, "/proc/%d/statm", int(pid));
  FILE* f = std::fopen(path, "r");
  if (f == nullptr) return 0;
  unsigned long long size = 0, resident = 0;
  int fields = std::fscanf(f, "%llu %llu", &size, &resident);
  std::fclose(f);
  return fields == 2 ? resident * uint64_t(sysconf(_SC_PAGESIZE)) : 0;
}

class Pool {
 public:
  Pool(int count, int jobs, const ChildLimits& limits,
       const std::function<std::string(int)>& task, const std::function<void(int)>& done)
      : limits_(limits), task_(task), done_(done), results_(count), children_(jobs) {}

  std::vector<TaskResult> Run();

 private:
  bool Spawn(Child* c);
  void Dispatch();
  void PollOnce();
  void ReadReply(Child* c);
  void ReadStderr(Child* c, bool flush);
  void PrintOnce(std::string* line);
  void CheckLimits();
  void Finish(Child* c, TaskResult result);
  void Reap(Child* c, const std::string& failure);
  int PollTimeoutMs() const;
  int RunInline(int index);

  const ChildLimits& limits_;
  const std::function<std::string(int)>& task_;
  const std::function<void(int)>& done_;
  std::vector<TaskResult> results_;
  std::vector<Child> children_;
  int next_ = 0;
  int finished_ = 0;
  std::set<std::string> printed_;
};

bool Pool::Spawn(Child* c) {
  int sv[2], err[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return false;
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(sv[0]), close(sv[1]);
    return false;
  }
  std::fflush(nullptr);  // nothing buffered may be written twice
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    close(sv[0]), close(sv[1]), close(err[0]), close(err[1]);
    return false;
  }
  if (pid == 0) {
    for (Child& other : children_) other.sock.Reset(), other.err.Reset();
    close(sv[0]), close(err[0]);
    dup2(err[1], STDERR_FILENO);
    close(err[1]);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(0);
    ChildMain(sv[1], task_);
  }
  close(sv[1]), close(err[1]);
  c->pid = pid;
  c->sock = UniqueFd(sv[0]);
  c->err = UniqueFd(err[0]);
  fcntl(c->sock.get(), F_SETFL, O_NONBLOCK);
  fcntl(c->err.get(), F_SETFL, O_NONBLOCK);
  c->task = -1;
  return true;
}

int Pool::RunInline(int index) {
  std::string reply;
  RunOnLargeStack([&] { reply = task_(index); });
  results_[index] = {true, std::move(reply), ""};
  ++finished_;
  done_(index);
  return index;
}

void Pool::Dispatch() {
  bool any_alive = false;
  for (Child& c : children_) {
    if (next_ >= int(results_.size())) break;
    if (c.pid < 0 && !Spawn(&c)) continue;
    any_alive = true;
    if (c.task >= 0) continue;
    auto index = static_cast<uint32_t>(next_);
    if (!WriteAll(c.sock.get(), reinterpret_cast<const char*>(&index), sizeof index)) {
      Reap(&c, "");  // died while idle: replaced on the next round
      continue;
    }
    c.task = next_++;
    c.started = Clock::now();
    c.reply.clear();
  }
  for (const Child& c : children_) any_alive = any_alive || c.pid >= 0;
  // No child could be started at all (fork failing): analyse in this process rather than not.
  if (!any_alive && next_ < int(results_.size())) RunInline(next_++);
}

int Pool::PollTimeoutMs() const {
  int timeout = -1;
  for (const Child& c : children_) {
    if (c.task < 0) continue;
    if (limits_.memory_bytes > 0) timeout = kMemoryPollMs;
    if (limits_.seconds > 0) {
      auto left = std::chrono::duration<double>(limits_.seconds) - (Clock::now() - c.started);
      int ms = std::max(0, int(std::chrono::duration<double, std::milli>(left).count()) + 1);
      timeout = timeout < 0 ? ms : std::min(timeout, ms);
    }
  }
  return timeout;
}

void Pool::PollOnce() {
  std::vector<pollfd> fds;
  std::vector<std::pair<Child*, bool>> owners;  // (child, is stderr)
  for (Child& c : children_) {
    if (c.pid < 0) continue;
    fds.push_back({c.sock.get(), POLLIN, 0}), owners.push_back({&c, false});
    if (c.err.valid()) fds.push_back({c.err.get(), POLLIN, 0}), owners.push_back({&c, true});
  }
  if (fds.empty()) return;
  int n = poll(fds.data(), fds.size(), PollTimeoutMs());
  if (n > 0) {
    for (size_t i = 0; i < fds.size(); ++i) {
      if (fds[i].revents == 0 || owners[i].first->pid < 0) continue;
      if (owners[i].second) {
        ReadStderr(owners[i].first, false);
      } else {
        ReadReply(owners[i].first);
      }
    }
  }
  CheckLimits();
}

void Pool::ReadStderr(Child* c, bool flush) {
  char buf[4096];
  while (c->err.valid()) {
    ssize_t n = read(c->err.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) c->err.Reset();  // closed: poll it no more
    if (n <= 0) break;
    for (ssize_t i = 0; i < n; ++i) {
      if (buf[i] != '\n') {
        if (c->err_line.size() < kMaxStderrLine) c->err_line += buf[i];
        continue;
      }
      PrintOnce(&c->err_line);
    }
  }
  if (flush) PrintOnce(&c->err_line);
}

// Children repeat what each of them warns about once (an in-tree referee.yaml): say it once.
void Pool::PrintOnce(std::string* line) {
  if (!line->empty() && printed_.insert(*line).second) std::fprintf(stderr, "%s\n", line->c_str());
  line->clear();
}

void Pool::ReadReply(Child* c) {
  char buf[65536];
  while (true) {
    ssize_t n = read(c->sock.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    if (n <= 0) {  // the child is gone
      Reap(c, "");
      return;
    }
    c->reply.append(buf, size_t(n));
  }
  uint32_t size = 0;
  if (c->reply.size() < sizeof size) return;
  std::memcpy(&size, c->reply.data(), sizeof size);
  if (size > kMaxReplyBytes || c->task < 0) {
    kill(c->pid, SIGKILL);
    Reap(c, "the analysis process sent a malformed reply");
    return;
  }
  if (c->reply.size() < sizeof size + size) return;
  if (c->reply.size() > sizeof size + size) {
    kill(c->pid, SIGKILL);
    Reap(c, "the analysis process sent a malformed reply");
    return;
  }
  Finish(c, {true, c->reply.substr(sizeof size), ""});
}

void Pool::CheckLimits() {
  for (Child& c : children_) {
    if (c.task < 0) continue;
    if (limits_.seconds > 0 &&
        Clock::now() - c.started > std::chrono::duration<double>(limits_.seconds)) {
      kill(c.pid, SIGKILL);
      Reap(&c, StrFormat("the analysis ran past the per-file time budget of %g s",
                         limits_.seconds));
    } else if (limits_.memory_bytes > 0 && ResidentBytes(c.pid) > limits_.memory_bytes) {
      kill(c.pid, SIGKILL);
      Reap(&c, StrFormat("the analysis used more than the per-file memory budget of %llu MiB",
                         static_cast<unsigned long long>(limits_.memory_bytes >> 20)));
    }
  }
}

void Pool::Finish(Child* c, TaskResult result) {
  int task = c->task;
  c->task = -1;
  c->reply.clear();
  results_[task] = std::move(result);
  ++finished_;
  done_(task);
}

// Waits for a child that died or was killed; its running task fails with `failure` (or the way
// the child ended when empty).
void Pool::Reap(Child* c, const std::string& failure) {
  ReadStderr(c, true);
  c->sock.Reset();
  c->err.Reset();
  int status = 0;
  while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR) {
  }
  c->pid = -1;
  if (c->task >= 0) Finish(c, {false, "", failure.empty() ? ExitReason(status) : failure});
}

std::vector<TaskResult> Pool::Run() {
  while (finished_ < int(results_.size())) {
    Dispatch();
    PollOnce();
  }
  for (Child& c : children_) {
    if (c.pid < 0) continue;
    c.sock.Reset();  // the child reads end-of-file and exits
    ReadStderr(&c, true);
    c.err.Reset();
    while (waitpid(c.pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  return std::move(results_);
}

}  // namespace

std::vector<TaskResult> RunInChildren(int count, int jobs, const ChildLimits& limits,
                                      const std::function<std::string(int)>& task,
                                      const std::function<void(int)>& done) {
  if (count <= 0) return {};
  if (jobs <= 0) jobs = int(std::max(1u, std::thread::hardware_concurrency()));
  Pool pool(count, std::min(jobs, count), limits, task, done);
  return pool.Run();
}

}  // namespace referee::analyzers
