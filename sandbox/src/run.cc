// Run(): check the host against the policy (refuse a missing layer unless degraded), compute
// the ChildPlan, create the cgroup, and hand over to the supervisor.
#include <elf.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>

#include "cgroup.h"
#include "gpu_devices.h"
#include "host_check.h"
#include "landlock.h"
#include "mountns.h"
#include "referee/base/log.h"
#include "referee/base/strings.h"
#include "referee/sandbox/sandbox.h"
#include "rlimits.h"
#include "seccomp_filter.h"
#include "supervisor.h"

namespace referee::sandbox {
namespace {

using internal::ChildPlan;

constexpr const char kDefaultPath[] = "/usr/local/cuda/bin:/usr/local/bin:/usr/bin:/bin";

bool Degraded(const Policy& p, Layer layer) {
  return std::find(p.degraded.begin(), p.degraded.end(), layer) != p.degraded.end();
}

bool IsFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

// The host path behind a sandbox path (binds and /scratch differ; the rest is the same).
std::string HostPath(const Policy& p, const std::string& path) {
  for (const Bind& b : p.binds) {
    if (path == b.target) return b.source;
    if (StartsWith(path, b.target + "/")) return b.source + path.substr(b.target.size());
  }
  if (!p.scratch_dir.empty() && StartsWith(path, "/scratch/")) {
    return p.scratch_dir + path.substr(8);
  }
  return path;
}

Expected<std::string> ResolveExecutable(const Policy& p, const std::string& name) {
  if (name.empty()) return InvalidArgumentError("empty command");
  if (name.find('/') != std::string::npos) {
    if (name[0] != '/') return InvalidArgumentError("command path must be absolute: " + name);
    if (!IsFile(HostPath(p, name))) {
      return NotFoundError("no such program in the sandbox's view: " + name);
    }
    return name;
  }
  // The sandbox's PATH (the policy's, or the default), looked up through the binds.
  auto path = p.env.find("PATH");
  std::string search = path != p.env.end() ? path->second : kDefaultPath;
  for (const std::string& dir : StrSplit(search, ':')) {
    if (dir.empty() || dir[0] != '/') continue;
    std::string candidate = dir + "/" + name;
    if (IsFile(HostPath(p, candidate))) return candidate;
  }
  return NotFoundError("command not found in the sandbox's PATH: " + name);
}

// PT_INTERP of an ELF executable ("" if none or unreadable).
std::string Interpreter(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return "";
  Elf64_Ehdr eh;
  std::string result;
  if (pread(fd, &eh, sizeof(eh), 0) == sizeof(eh) && memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0 &&
      eh.e_ident[EI_CLASS] == ELFCLASS64) {
    for (int i = 0; i < eh.e_phnum; ++i) {
      Elf64_Phdr ph;
      if (pread(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)) != sizeof(ph)) break;
      if (ph.p_type != PT_INTERP || ph.p_filesz == 0 || ph.p_filesz > 4096) continue;
      result.resize(ph.p_filesz);
      if (pread(fd, result.data(), ph.p_filesz, ph.p_offset) != (ssize_t)ph.p_filesz) result.clear();
      result = result.c_str();  // drop the NUL
    }
  }
  close(fd);
  return result;
}

std::vector<std::string> Environment(const Policy& p) {
  std::map<std::string, std::string> env = {
      {"PATH", kDefaultPath},
      {"HOME", "/scratch"},
      {"TMPDIR", "/scratch/tmp"},
      {"XDG_CACHE_HOME", "/scratch/.cache"},
      {"TRITON_CACHE_DIR", "/scratch/.triton"},
      {"TORCHINDUCTOR_CACHE_DIR", "/scratch/.inductor"},
      {"CUDA_CACHE_PATH", "/scratch/.nv/ComputeCache"},
      {"LANG", "C.UTF-8"},
      {"PYTHONDONTWRITEBYTECODE", "1"},
  };
  if (p.gpu.has_value()) {
    env["CUDA_DEVICE_ORDER"] = "PCI_BUS_ID";
    env["CUDA_VISIBLE_DEVICES"] = std::to_string(*p.gpu);
  }
  for (const auto& [k, v] : p.env) env[k] = v;
  std::vector<std::string> out;
  for (const auto& [k, v] : env) out.push_back(k + "=" + v);
  return out;
}

Expected<ChildPlan> MakePlan(const Policy& p, const std::vector<std::string>& argv,
                             const std::vector<Layer>& skipped) {
  auto on = [&](Layer l) { return std::find(skipped.begin(), skipped.end(), l) == skipped.end(); };
  ChildPlan plan;
  plan.user_ns = on(Layer::kUserNamespace);
  plan.cgroup_ns = on(Layer::kCgroupNamespace);
  plan.uts_ns = on(Layer::kUtsNamespace);
  plan.net_ns = on(Layer::kNetNamespace);
  REFEREE_ASSIGN_OR_RETURN(plan.exec_path, ResolveExecutable(p, argv[0]));
  plan.argv_storage = argv;
  plan.env_storage = Environment(p);
  plan.working_dir = p.working_dir;
  plan.inherited_fds = p.inherited_fds;

  internal::gpu_devices::GpuDevicesPolicy gpu{p.gpu};
  std::vector<std::string> nodes = internal::gpu_devices::Nodes(gpu);
  if (p.gpu.has_value() && std::find(nodes.begin(), nodes.end(),
                                     "/dev/nvidia" + std::to_string(*p.gpu)) == nodes.end()) {
    return NotFoundError(StrFormat("GPU %d: /dev/nvidia%d does not exist", *p.gpu, *p.gpu));
  }
  plan.mounts.enabled = on(Layer::kMountNamespace) && on(Layer::kFilesystem);
  if (plan.mounts.enabled) {
    REFEREE_ASSIGN_OR_RETURN(plan.mounts, internal::mountns::Plan(
        {&p, nodes, internal::gpu_devices::SysDirs(gpu)}));
  }
  if (on(Layer::kLandlock)) {
    std::string host_exec = HostPath(p, plan.exec_path);
    std::vector<std::string> exec_dirs = {"/usr", "/opt"};
    for (const Bind& b : p.binds) exec_dirs.push_back(b.target);
    plan.landlock = internal::landlock::Plan(
        {&p, internal::landlock::Abi(), plan.exec_path, Interpreter(host_exec), nodes,
         exec_dirs});
  }
  if (on(Layer::kSeccomp)) {
    REFEREE_ASSIGN_OR_RETURN(plan.seccomp, internal::seccomp::Plan(p.profile));
  }
  if (on(Layer::kRlimits)) plan.rlimits = internal::rlimits::Plan(p.limits);
  plan.drop_caps = on(Layer::kCapabilities);
  plan.no_new_privs = on(Layer::kNoNewPrivs);
  return plan;
}

int CloneFlags(const std::vector<Layer>& skipped) {
  auto on = [&](Layer l) { return std::find(skipped.begin(), skipped.end(), l) == skipped.end(); };
  int flags = 0;
  if (on(Layer::kUserNamespace)) flags |= CLONE_NEWUSER;
  if (on(Layer::kMountNamespace)) flags |= CLONE_NEWNS;
  if (on(Layer::kPidNamespace)) flags |= CLONE_NEWPID;
  if (on(Layer::kNetNamespace)) flags |= CLONE_NEWNET;
  if (on(Layer::kIpcNamespace)) flags |= CLONE_NEWIPC;
  if (on(Layer::kUtsNamespace)) flags |= CLONE_NEWUTS;
  return flags;
}

}  // namespace

namespace internal {

// Layers that are missing on this host and not accepted as degraded -> refusal.
Status CheckHost(const Policy& p, const HostReport& host, std::vector<Layer>* skipped) {
  for (const LayerSupport& s : host.layers) {
    if (s.available) continue;
    if (!Degraded(p, s.layer)) {
      return FailedPreconditionError(StrFormat(
          "sandbox layer '%s' is unavailable on this host (%s); refusing to run "
          "(--allow-degraded %s accepts weaker isolation)",
          std::string(LayerName(s.layer)).c_str(), s.detail.c_str(),
          std::string(LayerName(s.layer)).c_str()));
    }
    skipped->push_back(s.layer);
  }
  return OkStatus();
}

}  // namespace internal

Expected<RunResult> Run(const Policy& policy, const std::vector<std::string>& argv) {
  return Run(policy, argv, RunHooks{});
}

Expected<RunResult> Run(const Policy& policy, const std::vector<std::string>& argv,
                        const RunHooks& hooks) {
  if (argv.empty()) return InvalidArgumentError("no command given");
  if (policy.profile == Profile::kTraining && policy.data_dir.empty()) {
    return InvalidArgumentError("the training profile needs a data dir");
  }
  std::vector<Layer> skipped;
  REFEREE_RETURN_IF_ERROR(internal::CheckHost(policy, HostSupport(), &skipped));
  REFEREE_ASSIGN_OR_RETURN(ChildPlan plan, MakePlan(policy, argv, skipped));

  uint32_t uid = policy.sandbox_uid, gid = policy.sandbox_gid;
  if (getuid() != 0) {
    uid = getuid();
    gid = getgid();
  }
  if (getuid() == 0 && !policy.scratch_dir.empty() &&
      chown(policy.scratch_dir.c_str(), uid, gid) != 0) {
    return ErrnoError("chown scratch dir " + policy.scratch_dir, errno);
  }
  std::optional<internal::cgroup::Cgroup> cg;
  if (std::find(skipped.begin(), skipped.end(), Layer::kCgroupLimits) == skipped.end()) {
    static std::atomic<int> counter{0};
    std::string name = StrFormat("referee-%d-%d", static_cast<int>(getpid()), counter++);
    Expected<internal::cgroup::Cgroup> created =
        internal::cgroup::Cgroup::Create({&policy.limits, name});
    if (created) {
      cg.emplace(std::move(*created));
    } else if (Degraded(policy, Layer::kCgroupLimits)) {
      // Detected but unusable (e.g. v2 controllers cannot be enabled): the caller accepted
      // running without cgroup limits; rlimits remain.
      Logf(LogLevel::kWarning, "sandbox: running without cgroup limits: %s",
           created.error().message().c_str());
      skipped.push_back(Layer::kCgroupLimits);
    } else {
      return created.error().Annotate("cgroup-limits (--allow-degraded cgroup-limits skips it)");
    }
  }
  internal::SuperviseInput input{&policy, &plan, cg ? &*cg : nullptr, CloneFlags(skipped), uid,
                                 gid, &hooks};
  REFEREE_ASSIGN_OR_RETURN(RunResult result, internal::Supervise(input));
  result.degraded = skipped;
  return result;
}

Expected<std::string> ResolveCommand(const Policy& policy, const std::string& name) {
  return ResolveExecutable(policy, name);
}

}  // namespace referee::sandbox
