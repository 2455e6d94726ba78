// The parent's side of a worker process: a shared-memory arena (memfd) mapped by both, a
// SOCK_SEQPACKET channel for sequence-numbered JSON records, and the process itself, started
// by a Launcher (a plain child now; the sandbox when the host supports it).
//
//   Expected<std::unique_ptr<Worker>> w = Worker::Start(spec, launcher);
//   Expected<Reply> r = (*w)->Request({{"op", "call"}, ...}, /*timeout_s=*/10);
//
// Everything a worker sends is untrusted: records are capped at kMaxRecordBytes, must parse
// as a JSON object with the expected `seq` and a boolean `ok`, and any violation ends the
// worker with a protocol error.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/base/fd.h"
#include "referee/base/json.h"

namespace referee::harness {

inline constexpr size_t kMaxRecordBytes = 64 * 1024;
inline constexpr size_t kMaxOutputBytes = 1 << 20;  // worker stdout+stderr cap

// The programs that run workers and build candidates. The harness library reads no
// environment: BuiltIn() holds the paths this build was configured with, FromEnvironment()
// applies the REFEREE_* overrides once, in the caller (the CLI), so that two judges in one
// process can run different programs.
struct WorkerPrograms {
  std::string python;          // interpreter of Python workers ($REFEREE_PYTHON, absolute)
  std::string python_worker;   // harness/python/referee_worker.py ($REFEREE_WORKER_DIR/...)
  std::string kernel_runner;   // referee_kernel_runner ($REFEREE_WORKER_DIR/...)
  std::string nvcc;            // CUDA candidates ($REFEREE_NVCC)
  std::string cxx;             // LibTorch C++ candidates; empty: the torch record's ($REFEREE_CXX)
  std::string torch_build;     // the torch record LibTorch candidates build against
                               // ($REFEREE_TORCH_BUILD; empty: the build-time record)
  std::string worker_profile;  // diagnostic: workers write pstats with this prefix
                               // ($REFEREE_WORKER_PROFILE; plain workers only)
  // SOL-ExecBench C++ solutions (torch extensions): ninja for torch.utils.cpp_extension
  // ($REFEREE_NINJA, else found on $PATH), the CUDA architectures to build for
  // ($TORCH_CUDA_ARCH_LIST; the build sandbox has no GPU to ask), CUTLASS ($CUTLASS_DIR).
  std::string ninja;
  std::string cuda_arch_list = "9.0";
  std::string cutlass_dir = "/usr/local/cutlass";

  static WorkerPrograms BuiltIn();
  static WorkerPrograms FromEnvironment();
  // The directory of the worker scripts (referee_calibrate_gpu.py sits beside the worker).
  std::string python_dir() const;
};

struct WorkerSpec {
  std::vector<std::string> argv;  // argv[0] is an absolute path
  std::map<std::string, std::string> env;
  // The GPU the worker may use (PCI bus order), or none: the sandbox binds only its device
  // nodes (and none without it). The env carries CUDA_VISIBLE_DEVICES for plain launches.
  std::optional<int> gpu;
  size_t arena_bytes = 64 << 20;
  // The sandbox's memory limit for the worker; 0: the launcher's default (8 GiB, 64 GiB with a
  // GPU: a CUDA context with PyTorch and Triton needs far more host memory).
  uint64_t memory_limit_bytes = 0;
  double start_timeout_s = 60;
  bool untrusted = true;  // candidates: run sandboxed where supported
  // More fds for the child: child fd (>= 5) -> parent fd (e.g. a GPU tracer's trace pipe).
  std::map<int, int> extra_fds;
  // Child fd -> the env var that tells the worker its number. Required for each extra fd by
  // launchers that cannot place fds at fixed numbers (the sandbox keeps the parent's numbers
  // and rewrites this variable).
  std::map<int, std::string> fd_env;
};

// A worker's fate, once it is gone.
struct ExitInfo {
  bool exited = false;
  int exit_code = 0;
  int signal = 0;
  std::string output_tail;  // last 2 KiB of stdout+stderr
  // The last line of output_tail (at most 200 bytes), empty when none or flooded.
  std::string LastOutputLine() const;
  bool output_flooded = false;
  bool oom = false;         // killed by the memory limit (the sandbox's cgroup)
  std::string how;          // set by launchers that know more (e.g. "sandbox: violation ...")
  // How it ended, in the referee's words only (never the worker's output: that is evidence).
  std::string Describe() const;
};

// A started worker process, as its launcher sees it.
class Process {
 public:
  virtual ~Process() = default;
  virtual bool Exited() = 0;      // without blocking
  virtual void Kill() = 0;
  virtual void Signal(int sig) = 0;  // the worker process itself (a stack-dump request)
  virtual ExitInfo Wait() = 0;    // blocks until gone (call after Kill or Exited)
  virtual void OnLoaded() {}      // the worker sent its first record
};

// How a worker process is started. fds: child fd number -> parent fd to place there. The
// worker's channel and arena arrive at fds 3 and 4; its stdout/stderr go to fd `output_fd`
// (capped) unless the launcher captures them itself.
class Launcher {
 public:
  virtual ~Launcher() = default;
  virtual std::string name() const = 0;
  virtual Expected<std::unique_ptr<Process>> Launch(const WorkerSpec& spec,
                                                    const std::map<int, int>& fds) = 0;
};

// fork/exec with the fds placed, RLIMIT_FSIZE on the output file, own process group, and
// PR_SET_PDEATHSIG so a worker never outlives the harness.
std::unique_ptr<Launcher> MakePlainLauncher();
// The sandbox (issue #5), profile python or kernel by the worker kind; nullptr with `why`
// set when this build or host cannot sandbox.
std::unique_ptr<Launcher> MakeSandboxLauncher(std::string* why);

struct Reply {
  Json body;
};

// Called around the channel's syscalls only (serialization and parsing stay outside), so a
// timer started in before_send and stopped in after_receive sees the call and the transport.
struct RequestHooks {
  std::function<void()> before_send;
  std::function<void()> after_receive;
};

// A failure talking to the worker: the reason and which check it belongs to. `evidence` is what
// the worker itself printed or said (its last output line, the frame it hung in, its load
// error): untrusted text, kept out of `reason` so a candidate cannot write the verdict line.
struct WorkerFailure {
  std::string check;   // "crash", "oom", "timeout", "protocol", "early-exit", "load"
  std::string reason;
  std::string evidence;
};

class Worker final {
 public:
  // On failure the Status says why (reason and evidence together, for trusted workers), and
  // `failure`, when given, receives the two apart.
  static Expected<std::unique_ptr<Worker>> Start(const WorkerSpec& spec, Launcher& launcher,
                                                 WorkerFailure* failure = nullptr);
  ~Worker();

  // Sends `request` (seq added) and waits for the reply. On failure the worker is killed
  // and `failure()` says why; the returned Status carries the same reason.
  Expected<Reply> Request(Json request, double timeout_s, const RequestHooks& hooks = {});
  const WorkerFailure* failure() const { return failed_ ? &failure_ : nullptr; }
  // The first record (seq 0) the worker sent once loaded.
  const Json& hello() const { return hello_; }

  pid_t pid() const { return pid_; }
  char* arena() const { return arena_; }
  size_t arena_bytes() const { return arena_bytes_; }
  // Native threads of the worker, from /proc/<pid>/task; -1 when unreadable.
  int ThreadCount() const;
  // Live child processes of the worker (from /proc/<pid>/task/*/children); -1 if unreadable.
  int ChildCount() const;
  // Sandboxed workers: processes other than the worker that the sandbox's init holds (orphans
  // re-parent there, so a double-forked helper that left the worker's tree still counts);
  // -1 for workers outside a pid namespace of their own.
  int EscapedProcessCount();
  // Kills (if alive) and reaps; idempotent.
  ExitInfo Stop();

 private:
  Worker() = default;
  Status Fail(std::string check, std::string reason, std::string evidence = "");
  Expected<Json> ReadRecord(double timeout_s, const std::function<void()>& after_receive = {});

  std::unique_ptr<Process> process_;
  pid_t pid_ = -1;  // host pid, from the kernel-checked credentials of the first record
  pid_t sandbox_init_ = 0;  // 0: not looked up yet; -1: none
  bool reaped_ = false;
  ExitInfo exit_;
  UniqueFd chan_;
  UniqueFd arena_fd_;
  UniqueFd output_fd_;
  char* arena_ = nullptr;
  size_t arena_bytes_ = 0;
  int64_t seq_ = 0;
  Json hello_;
  bool failed_ = false;
  WorkerFailure failure_;
};

}  // namespace referee::harness
