// Runs workers under referee::sandbox (issue #5). sandbox::Run() blocks until the command
// ends, so it runs on its own thread while the harness talks to the worker over the
// inherited channel; the worker's host pid comes from the kernel-checked credentials on its
// first record (Worker), and is what Kill() signals.
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>

#include "referee/base/strings.h"
#include "referee/harness/worker.h"

#ifdef REFEREE_HARNESS_HAVE_SANDBOX
#include "referee/sandbox/sandbox.h"
#include "sandbox_launch_plan.h"
#endif

namespace referee::harness {

#ifdef REFEREE_HARNESS_HAVE_SANDBOX
namespace {

namespace sb = referee::sandbox;

// Host pids whose fd `fd` is the socket with inode `ino` (the worker's end of the channel).
std::vector<pid_t> FindSocketHolders(ino_t ino) {
  std::vector<pid_t> out;
  DIR* d = opendir("/proc");
  if (!d) return out;
  std::string want = StrFormat("socket:[%lu]", static_cast<unsigned long>(ino));
  while (dirent* e = readdir(d)) {
    char* end = nullptr;
    long pid = std::strtol(e->d_name, &end, 10);
    if (*end != '\0' || pid <= 1 || pid == getpid()) continue;
    std::string fddir = StrFormat("/proc/%ld/fd", pid);
    DIR* f = opendir(fddir.c_str());
    if (!f) continue;
    while (dirent* fe = readdir(f)) {
      char link[64] = {0};
      std::string p = fddir + "/" + fe->d_name;
      if (readlink(p.c_str(), link, sizeof(link) - 1) > 0 && want == link) {
        out.push_back(static_cast<pid_t>(pid));
        break;
      }
    }
    closedir(f);
  }
  closedir(d);
  return out;
}

class SandboxProcess final : public Process {
 public:
  SandboxProcess(sb::Policy policy, std::vector<std::string> argv, ino_t chan_ino,
                 std::vector<UniqueFd> fds)
      : chan_ino_(chan_ino), fds_(std::move(fds)) {
    thread_ = std::thread([this, policy = std::move(policy), argv = std::move(argv)] {
      Expected<sb::RunResult> r = sb::Run(policy, argv);
      if (r) {
        result_ = *r;
      } else {
        result_.status = sb::RunStatus::kSetupError;
        result_.reason = r.error().message();
      }
      done_ = true;
    });
  }
  ~SandboxProcess() override {
    if (thread_.joinable()) {
      Kill();
      thread_.join();
    }
  }
  bool Exited() override { return done_; }
  // The worker holds its own copies now; ours would hide its death from the channel.
  void OnLoaded() override { fds_.clear(); }
  void Kill() override { Signal(SIGKILL); }
  void Signal(int sig) override {
    for (pid_t p : FindSocketHolders(chan_ino_)) kill(p, sig);
  }
  ExitInfo Wait() override {
    for (int i = 0; !done_ && i < 200; ++i) {
      if (i % 10 == 0) Kill();
      usleep(10000);
    }
    if (thread_.joinable()) thread_.join();
    ExitInfo e;
    e.exited = result_.exit_code >= 0 && result_.signal == 0;
    e.exit_code = result_.exit_code;
    e.signal = result_.signal;
    std::string out = result_.stdout_data + result_.stderr_data;
    e.output_tail = out.size() > 2048 ? out.substr(out.size() - 2048) : out;
    e.output_flooded = result_.stdout_truncated || result_.stderr_truncated;
    e.oom = result_.status == sb::RunStatus::kOom;
    if (result_.status == sb::RunStatus::kViolation || result_.status == sb::RunStatus::kSetupError ||
        result_.status == sb::RunStatus::kOom) {
      e.how = "sandbox: " + result_.reason;
    }
    return e;
  }

 private:
  ino_t chan_ino_;
  std::vector<UniqueFd> fds_;  // kept open until the sandboxed worker has started
  std::thread thread_;
  std::atomic<bool> done_{false};
  sb::RunResult result_;
};

}  // namespace

Expected<SandboxLaunchPlan> PlanSandboxLaunch(const WorkerSpec& spec,
                                              const std::map<int, int>& fds) {
  if (!fds.count(3) || !fds.count(4)) return InvalidArgumentError("worker fds 3 and 4 missing");
  for (const auto& [target, source] : fds) {
    if (target > 4 && !spec.fd_env.count(target)) {
      return InvalidArgumentError(StrFormat(
          "sandbox: worker fd %d has no WorkerSpec::fd_env entry to say where it went", target));
    }
  }
  if (spec.argv.empty()) return InvalidArgumentError("sandbox: empty worker argv");
  SandboxLaunchPlan plan;
  // Duplicates that stay open until the worker is loaded (Run() forks on its own thread).
  std::map<int, int> moved;  // child fd -> our duplicate's number (what the worker sees)
  for (const auto& [target, source] : fds) {
    if (target < 3) continue;  // stdio: the sandbox captures it
    UniqueFd dup(fcntl(source, F_DUPFD_CLOEXEC, 10));
    if (!dup.valid()) return ErrnoError("dup", errno);
    moved[target] = dup.get();
    plan.fds.push_back(std::move(dup));
  }
  // The worker finds its channel and arena at the parent's fd numbers (kept by the sandbox).
  plan.argv = spec.argv;
  Expected<Json> cfg = ParseJson(plan.argv.back(), "worker config");
  if (!cfg) return cfg.error();
  (*cfg)["chan_fd"] = moved[3];
  (*cfg)["arena_fd"] = moved[4];
  plan.argv.back() = DumpJson(*cfg, -1);
  bool python = plan.argv[0].find("python") != std::string::npos;
  sb::PolicyBuilder b(python ? sb::Profile::kPython : sb::Profile::kKernel);
  std::set<std::string> dirs;
  for (const std::string& a : plan.argv) {
    if (!a.empty() && a[0] == '/' && !StartsWith(a, "/usr/")) {
      dirs.insert(std::filesystem::path(a).parent_path().string());
    }
  }
  for (const char* key : {"module", "library", "kernelbench_file", "cuda_library",
                          "torch_library", "torch_shim"}) {
    if (cfg->contains(key) && (*cfg)[key].is_string()) {
      dirs.insert(std::filesystem::path((*cfg)[key].get<std::string>()).parent_path().string());
    }
  }
  std::map<std::string, std::string> env = spec.env;
  for (const auto& [target, name] : spec.fd_env) {
    if (moved.count(target)) env[name] = std::to_string(moved[target]);
  }
  // Files named by the environment (CUDA_INJECTION64_PATH: the CUPTI tracer) are bound too.
  for (const auto& [k, v] : env) {
    std::error_code ec;
    if (!v.empty() && v[0] == '/' && !StartsWith(v, "/usr/") &&
        std::filesystem::is_regular_file(v, ec)) {
      dirs.insert(std::filesystem::path(v).parent_path().string());
    }
  }
  for (const std::string& d : dirs) b.AddBind({d, d, true});
  for (const auto& [k, v] : env) b.SetEnv(k, v);
  if (getuid() == 0) {
    // Concurrent runs need distinct sandbox ids (sandbox.h); compare runs two at once.
    static std::atomic<uint32_t> next{0};
    uint32_t id = 61000 + (static_cast<uint32_t>(getpid()) * 8 + next++) % 4000;
    b.SetSandboxIds(id, id);
  }
  b.SetWallTime(3600).SetOutputCap(kMaxOutputBytes).SetFileSize(kMaxOutputBytes);
  if (spec.gpu) {
    // Only the assigned GPU's device nodes; CUDA context + PyTorch/Triton need far more host
    // memory than the 8 GiB default (tests/gpu/sandbox_gpu.sh ran them with 64 GiB).
    b.SetGpu(*spec.gpu).SetMemory(64ull << 30);
  }
  if (spec.memory_limit_bytes > 0) b.SetMemory(spec.memory_limit_bytes);
  b.InheritFd(moved[3], sb::WeakensIsolation::Because("the worker's request/reply channel"));
  b.InheritFd(moved[4], sb::WeakensIsolation::Because("shared-memory tensors"));
  for (const auto& [target, name] : spec.fd_env) {
    if (!moved.count(target)) continue;
    // Extra fds are the harness's own pipes, made for this worker alone (e.g. the CUPTI
    // trace pipe's write end): the worker can only write records that the parent validates
    // as untrusted input, never reach anything else through them.
    b.InheritFd(moved[target], sb::WeakensIsolation::Because("the parent's own trace pipe"));
  }
  REFEREE_ASSIGN_OR_RETURN(plan.policy, b.Build());
  return plan;
}

namespace {

class SandboxLauncher final : public Launcher {
 public:
  std::string name() const override { return "sandbox"; }
  Expected<std::unique_ptr<Process>> Launch(const WorkerSpec& spec,
                                            const std::map<int, int>& fds) override {
    REFEREE_ASSIGN_OR_RETURN(SandboxLaunchPlan plan, PlanSandboxLaunch(spec, fds));
    struct stat st {};
    fstat(plan.fds[0].get(), &st);
    return std::unique_ptr<Process>(new SandboxProcess(std::move(plan.policy),
                                                       std::move(plan.argv), st.st_ino,
                                                       std::move(plan.fds)));
  }
};

}  // namespace

std::unique_ptr<Launcher> MakeSandboxLauncher(std::string* why) {
  const sb::HostReport& host = sb::HostSupport();
  for (const sb::LayerSupport& l : host.layers) {
    if (!l.available) {
      *why = "sandbox layer " + std::string(sb::LayerName(l.layer)) + " unavailable: " + l.detail;
      return nullptr;
    }
  }
  return std::make_unique<SandboxLauncher>();
}
#else
std::unique_ptr<Launcher> MakeSandboxLauncher(std::string* why) {
  *why = "built without the sandbox (REFEREE_WITH_SANDBOX=OFF)";
  return nullptr;
}
#endif

}  // namespace referee::harness
