// The sandbox's public API: a policy (profile, binds, limits, environment) -> run a command ->
// a result. Every isolation layer is on by default and verified when the sandbox starts; a
// missing layer refuses to run unless the caller explicitly degrades it (a security decision
// that must be visible in code review, hence the WeakensIsolation token type).
//
//   using namespace referee::sandbox;
//   Expected<Policy> policy = PolicyBuilder(Profile::kPython)
//                                 .AddBind({"/work/cand", "/cand"})   // read-only
//                                 .SetScratchDir("/var/tmp/eval-17")  // or a fresh tmpfs
//                                 .SetGpu(0)
//                                 .SetWallTime(30.0)
//                                 .Build();
//   if (!policy) return policy.error();
//   Expected<RunResult> r = Run(*policy, {"/usr/bin/python3", "/cand/x.py"});
//   if (!r) return r.error();            // the host refused (missing layer, bad policy)
//   if (r->status != RunStatus::kOk) ... // the candidate's outcome: data, not an error
//
// What the command sees (docs/sandbox.md has the details and the reasons):
//   - its own user, mount, pid, net (loopback only), ipc, uts and cgroup namespaces; it runs as
//     uid 0 *inside* the user namespace with no capabilities (bounding set empty, securebits
//     locked, no_new_privs), mapped to an unprivileged uid outside;
//   - a fresh tmpfs root holding read-only binds of /usr (and the /bin, /lib... links), a few
//     /etc files, the caller's binds, a fresh /proc, a minimal /dev (null, zero, full, random,
//     urandom and only the assigned GPU's nodes), private /tmp and /dev/shm, and /scratch
//     (HOME, TMPDIR, TRITON_CACHE_DIR, TORCHINDUCTOR_CACHE_DIR, CUDA_CACHE_PATH live there);
//   - Landlock: read everywhere in that view, write only to /scratch, /tmp, /dev/shm, /proc and
//     the device nodes, execute only where the profile allows, device ioctls only on GPU nodes,
//     no TCP, no signals or abstract sockets outside its own domain;
//   - seccomp (installed last): Docker-style allow-list; clone3 and unknown syscalls -> ENOSYS;
//     the deny list (non-AF_UNIX sockets, ptrace, bpf, mount family, namespaces, ...) -> EPERM,
//     each denial reported to the parent as a Violation; other architectures are killed.
//
// The interface is owned by sandbox/ (issue #5); the harness (issue #6) consumes it.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "referee/base/expected.h"
#include "referee/base/json.h"
#include "referee/base/status.h"

namespace referee::sandbox {

enum class Profile {
  kKernel,    // a prebuilt runner: only the command itself (and its ELF interpreter) may be
              // executed; no compilers, no shells
  kPython,    // PyTorch/Triton: everything under the read-only toolchain binds may be executed
              // (Triton and inductor run gcc, ptxas, ldconfig and a second python)
  kBuild,     // nvcc/g++ compiling candidate sources: as kPython; sources are bound read-only
  kTraining,  // as kPython, plus Policy::data_dir bound read-only at /data
};

// The isolation layers, in the order they are applied (kernel order, see src/contain.cc).
enum class Layer {
  kUserNamespace, kMountNamespace, kPidNamespace, kNetNamespace, kIpcNamespace,
  kUtsNamespace, kCgroupNamespace, kFilesystem, kCgroupLimits, kRlimits,
  kCapabilities, kNoNewPrivs, kLandlock, kSeccomp,
};

// "user-namespace", "cgroup-limits", ... (the names the CLI accepts).
std::string_view LayerName(Layer layer);
Expected<Layer> ParseLayer(std::string_view name);
std::string_view ProfileName(Profile profile);
Expected<Profile> ParseProfile(std::string_view name);

// Options that weaken isolation take this token, so that each use is explicit in the caller's
// code and easy to grep for in review (sandbox2's allowlists/ tokens).
class WeakensIsolation final {
 public:
  // `why` is documentation at the call site; it is not stored.
  static WeakensIsolation Because(std::string_view why) { return WeakensIsolation(); }

 private:
  WeakensIsolation() = default;
};

struct Bind {
  std::string source;     // host path (must exist)
  std::string target;     // absolute path inside the sandbox
  bool read_only = true;  // false needs PolicyBuilder::AddWritableBind (a token)
};

struct Limits {
  // Wall clock; at the limit the whole pid namespace is killed (status kTimeout).
  double wall_time_s = 60.0;
  // Soft deadline (0: none; else below wall_time_s): at this many seconds every process still
  // running gets SIGTERM (init forwards it to the whole namespace) and RunResult::terminated
  // is set; wall_time_s stays the hard kill. A training budget: SIGTERM at the budget, SIGKILL
  // after a grace (issue 13).
  double term_time_s = 0;
  // cgroup memory limit (memory.max / memory.limit_in_bytes, swap off). There is deliberately
  // no RLIMIT_AS: CUDA reserves more than 12 GiB of address space.
  uint64_t memory_bytes = 8ull << 30;
  // cgroup pids limit; RLIMIT_NPROC is set to the same value as a backstop.
  uint64_t pids = 512;
  // CPU quota in cores (cpu.max / cfs_quota); 0: no quota. RLIMIT_CPU is always set to
  // wall_time_s * online CPUs + 1 s as a backstop.
  double cpus = 0;
  // Size of each private tmpfs (/tmp, /dev/shm, and /scratch when no scratch dir is given).
  uint64_t tmpfs_bytes = 1ull << 30;
  uint64_t file_size_bytes = 4ull << 30;  // RLIMIT_FSIZE (writes past it fail with EFBIG)
  uint64_t open_files = 4096;             // RLIMIT_NOFILE
  uint64_t output_bytes = 1 << 20;        // stdout/stderr capture cap, each
};

struct Policy {
  Profile profile = Profile::kKernel;
  std::vector<Bind> binds;
  // Host directory bound read-write at /scratch (nosuid, nodev, exec allowed for mmap but
  // Landlock denies execve there). Empty: a fresh tmpfs of limits.tmpfs_bytes, gone after the
  // run. When running as root the directory is chowned to sandbox_uid.
  std::string scratch_dir;
  std::string data_dir;                     // kTraining only: bound read-only at /data
  // Added to (and overriding) the default environment (PATH, HOME=/scratch, TMPDIR, caches).
  // Nothing of the caller's environment is passed on.
  std::map<std::string, std::string> env;
  std::optional<int> gpu;                   // assigned GPU index; nullopt: no GPU nodes at all
  Limits limits;
  std::vector<Layer> degraded;              // layers the caller accepted missing (token-gated)
  // fds passed through unchanged (e.g. a result channel). Everything else above 2 is closed.
  // Security: the command can read/write whatever these refer to.
  std::vector<int> inherited_fds;
  std::string working_dir = "/scratch";
  // Outside uid/gid the sandbox's root is mapped to when the caller is root (an unprivileged
  // caller can only map its own ids). Use distinct ids for concurrent sandboxes.
  uint32_t sandbox_uid = 65534;
  uint32_t sandbox_gid = 65534;
};

// Chained setters keep the first error; Build() returns it (STYLE.md builders).
class PolicyBuilder final {
 public:
  explicit PolicyBuilder(Profile profile);

  PolicyBuilder& AddBind(Bind bind);  // must be read-only
  // A writable bind: the command can modify host files under `source`.
  PolicyBuilder& AddWritableBind(std::string source, std::string target, WeakensIsolation);
  PolicyBuilder& SetScratchDir(std::string dir);
  PolicyBuilder& SetDataDir(std::string dir);
  PolicyBuilder& SetEnv(std::string name, std::string value);
  PolicyBuilder& SetGpu(int index);
  PolicyBuilder& SetWallTime(double seconds);
  // SIGTERM to every process at `seconds` (Limits::term_time_s); must be below the wall time.
  PolicyBuilder& SetTermTime(double seconds);
  PolicyBuilder& SetMemory(uint64_t bytes);
  PolicyBuilder& SetPids(uint64_t pids);
  PolicyBuilder& SetCpus(double cpus);
  PolicyBuilder& SetTmpfsSize(uint64_t bytes);
  PolicyBuilder& SetFileSize(uint64_t bytes);
  PolicyBuilder& SetOutputCap(uint64_t bytes);
  PolicyBuilder& SetWorkingDir(std::string dir);
  PolicyBuilder& SetSandboxIds(uint32_t uid, uint32_t gid);
  // Passes an open fd through to the command (see Policy::inherited_fds).
  PolicyBuilder& InheritFd(int fd, WeakensIsolation);
  // Runs even when `layer` is unavailable on this host (it is then skipped, not faked).
  PolicyBuilder& AllowDegraded(Layer layer, WeakensIsolation);

  Expected<Policy> Build() const;

 private:
  PolicyBuilder& Fail(Status status);
  Policy policy_;
  Status first_error_;
};

struct Violation {
  std::string syscall;           // e.g. "socket", or "(non-native architecture)"
  std::vector<uint64_t> args;    // raw arguments of the first occurrence
  int count = 0;                 // how often it was attempted
};

enum class RunStatus {
  kOk, kSetupError, kViolation, kSignaled, kTimeout, kOom, kExitNonZero,
  kStopped,  // RunHooks::on_tick asked to stop; everything was killed
};
std::string_view RunStatusName(RunStatus status);

struct RunResult {
  // First cause wins: setup error, violation, stopped, timeout, oom, signal, non-zero exit, ok.
  RunStatus status = RunStatus::kOk;
  std::string reason;                 // one line
  int exit_code = -1;                 // valid when the command exited
  int signal = 0;                     // valid when it was killed by a signal
  double wall_time_s = 0;
  double cpu_time_s = 0;              // user + system of the command and all its descendants
  uint64_t peak_memory_bytes = 0;     // cgroup peak when available, else the largest maxrss
  bool timed_out = false;
  bool oom = false;
  // Limits::term_time_s passed while processes were running: SIGTERM was sent to all of them.
  bool terminated = false;
  // Processes still running when the command itself exited; init killed them (daemons,
  // background workers: nothing outlives the command, and this says whether something tried).
  int leftover_processes = 0;
  bool stopped = false;  // RunHooks::on_tick stopped the run (reason holds its words)
  std::vector<Violation> violations;
  std::string stdout_data;  // capped at limits.output_bytes
  std::string stderr_data;
  bool stdout_truncated = false;
  bool stderr_truncated = false;
  std::vector<Layer> degraded;  // layers that were skipped for this run
};

Json RunResultToJson(const RunResult& result);
// `referee sandbox run`'s report (docs/schema/sandbox-run.schema.json): schema_version, kind,
// tool, the profile and command, and the result's fields.
Json RunReportToJson(const RunResult& result, const Policy& policy,
                     const std::vector<std::string>& command);
// SARIF 2.1.0: one result per violation (rule id "sandbox-<syscall>"), one for a timeout or OOM.
Json RunReportToSarif(const RunResult& result, const std::vector<std::string>& command);

// Callbacks from the supervising thread while the command runs (training: progress, a
// tripwire, the output directory's size cap). They must not block.
struct RunHooks {
  double tick_interval_s = 0.25;
  // Called about every tick_interval_s with the seconds since the start; a non-empty return
  // stops the run at once: every process is killed, status kStopped, reason = the string.
  std::function<std::string(double elapsed_s)> on_tick;
};

// Runs argv[0] (an absolute path, or a name searched in the sandbox's PATH: policy.env's, else
// /usr/local/cuda/bin:/usr/local/bin:/usr/bin:/bin) under
// the policy. Errors are the host's or the policy's (refused: a layer is missing and not
// degraded; a bind source does not exist); what the command does is in the RunResult.
// Thread-compatible: concurrent Run() calls are safe if their sandbox ids differ.
Expected<RunResult> Run(const Policy& policy, const std::vector<std::string>& argv);
Expected<RunResult> Run(const Policy& policy, const std::vector<std::string>& argv,
                        const RunHooks& hooks);

// The program Run would execute for `name` (an absolute path, or a name looked up in the
// sandbox's PATH through the binds); NotFound when the sandbox's view has no such program.
Expected<std::string> ResolveCommand(const Policy& policy, const std::string& name);

struct LayerSupport {
  Layer layer;
  bool available = false;
  std::string detail;  // e.g. "ABI 7", "cgroup v1 (memory, pids, cpu)", or why not
};
struct HostReport {
  std::vector<LayerSupport> layers;
  int landlock_abi = 0;
  bool running_as_root = false;
};

// What this host supports (cached after the first call). `referee sandbox check` prints it.
const HostReport& HostSupport();

// `referee sandbox check`'s self-test under the python profile: /bin/true must succeed and an
// AF_INET socket() must be reported as a violation.
struct SelfTestResult {
  bool passed = false;
  std::string true_status;    // RunStatusName of /bin/true, or the setup error
  std::string socket_reason;  // the socket attempt's reason, or the setup error
};
SelfTestResult RunSelfTest();

}  // namespace referee::sandbox
