// Names, the PolicyBuilder, and the result's JSON form.
#include <unistd.h>

#include "referee/base/strings.h"
#include "referee/sandbox/sandbox.h"

namespace referee::sandbox {
namespace {

struct LayerEntry {
  Layer layer;
  const char* name;
};
constexpr LayerEntry kLayers[] = {
    {Layer::kUserNamespace, "user-namespace"},   {Layer::kMountNamespace, "mount-namespace"},
    {Layer::kPidNamespace, "pid-namespace"},     {Layer::kNetNamespace, "net-namespace"},
    {Layer::kIpcNamespace, "ipc-namespace"},     {Layer::kUtsNamespace, "uts-namespace"},
    {Layer::kCgroupNamespace, "cgroup-namespace"}, {Layer::kFilesystem, "filesystem"},
    {Layer::kCgroupLimits, "cgroup-limits"},     {Layer::kRlimits, "rlimits"},
    {Layer::kCapabilities, "capabilities"},      {Layer::kNoNewPrivs, "no-new-privs"},
    {Layer::kLandlock, "landlock"},              {Layer::kSeccomp, "seccomp"},
};

struct ProfileEntry {
  Profile profile;
  const char* name;
};
constexpr ProfileEntry kProfiles[] = {{Profile::kKernel, "kernel"},
                                      {Profile::kPython, "python"},
                                      {Profile::kBuild, "build"},
                                      {Profile::kTraining, "training"}};

}  // namespace

std::string_view LayerName(Layer layer) {
  for (const LayerEntry& e : kLayers) {
    if (e.layer == layer) return e.name;
  }
  return "?";
}

Expected<Layer> ParseLayer(std::string_view name) {
  std::vector<std::string> names;
  for (const LayerEntry& e : kLayers) {
    if (name == e.name) return e.layer;
    names.push_back(e.name);
  }
  return InvalidArgumentError(StrFormat("unknown layer '%.*s' (one of: %s)",
                                        static_cast<int>(name.size()), name.data(),
                                        StrJoin(names, ", ").c_str()));
}

std::string_view ProfileName(Profile profile) {
  for (const ProfileEntry& e : kProfiles) {
    if (e.profile == profile) return e.name;
  }
  return "?";
}

Expected<Profile> ParseProfile(std::string_view name) {
  for (const ProfileEntry& e : kProfiles) {
    if (name == e.name) return e.profile;
  }
  return InvalidArgumentError(StrFormat("unknown profile '%.*s' (kernel, python, build, training)",
                                        static_cast<int>(name.size()), name.data()));
}

std::string_view RunStatusName(RunStatus status) {
  switch (status) {
    case RunStatus::kOk: return "ok";
    case RunStatus::kSetupError: return "setup_error";
    case RunStatus::kViolation: return "violation";
    case RunStatus::kSignaled: return "signaled";
    case RunStatus::kTimeout: return "timeout";
    case RunStatus::kOom: return "oom";
    case RunStatus::kExitNonZero: return "exit_nonzero";
    case RunStatus::kStopped: return "stopped";
  }
  return "?";
}

PolicyBuilder::PolicyBuilder(Profile profile) {
  policy_.profile = profile;
  if (getuid() != 0) {  // an unprivileged caller can only map its own ids
    policy_.sandbox_uid = getuid();
    policy_.sandbox_gid = getgid();
  }
}

PolicyBuilder& PolicyBuilder::Fail(Status status) {
  if (first_error_.ok()) first_error_ = std::move(status);
  return *this;
}

namespace {

bool Absolute(const std::string& path) { return !path.empty() && path[0] == '/'; }

// Targets that would shadow the sandbox's own structure.
bool ReservedTarget(const std::string& t) {
  for (const char* r : {"/", "/proc", "/dev", "/tmp", "/scratch", "/usr", "/etc", "/sys"}) {
    if (t == r) return true;
  }
  return StartsWith(t, "/proc/") || StartsWith(t, "/dev/");
}

}  // namespace

namespace {

Status CheckBind(const Bind& bind) {
  if (!Absolute(bind.source) || !Absolute(bind.target)) {
    return InvalidArgumentError("bind paths must be absolute: " + bind.source + ":" +
                                bind.target);
  }
  if (ReservedTarget(bind.target) || bind.target.find("..") != std::string::npos) {
    return InvalidArgumentError("bind target not allowed: " + bind.target);
  }
  return OkStatus();
}

}  // namespace

PolicyBuilder& PolicyBuilder::AddBind(Bind bind) {
  if (!bind.read_only) {
    return Fail(InvalidArgumentError("writable bind " + bind.target +
                                     " needs AddWritableBind (it weakens isolation)"));
  }
  Status s = CheckBind(bind);
  if (!s.ok()) return Fail(s);
  policy_.binds.push_back(std::move(bind));
  return *this;
}

PolicyBuilder& PolicyBuilder::AddWritableBind(std::string source, std::string target,
                                              WeakensIsolation) {
  Bind bind{std::move(source), std::move(target), false};
  Status s = CheckBind(bind);
  if (!s.ok()) return Fail(s);
  policy_.binds.push_back(std::move(bind));
  return *this;
}

PolicyBuilder& PolicyBuilder::SetScratchDir(std::string dir) {
  if (!dir.empty() && !Absolute(dir)) return Fail(InvalidArgumentError("scratch dir must be absolute: " + dir));
  policy_.scratch_dir = std::move(dir);
  return *this;
}
PolicyBuilder& PolicyBuilder::SetDataDir(std::string dir) {
  if (policy_.profile != Profile::kTraining) {
    return Fail(InvalidArgumentError("a data dir needs the training profile"));
  }
  if (!Absolute(dir)) return Fail(InvalidArgumentError("data dir must be absolute: " + dir));
  policy_.data_dir = std::move(dir);
  return *this;
}
PolicyBuilder& PolicyBuilder::SetEnv(std::string name, std::string value) {
  if (name.empty() || name.find('=') != std::string::npos) {
    return Fail(InvalidArgumentError("bad environment variable name: " + name));
  }
  policy_.env[std::move(name)] = std::move(value);
  return *this;
}
PolicyBuilder& PolicyBuilder::SetGpu(int index) {
  if (index < 0) return Fail(InvalidArgumentError("GPU index must be >= 0"));
  policy_.gpu = index;
  return *this;
}
PolicyBuilder& PolicyBuilder::SetWallTime(double seconds) {
  if (!(seconds > 0)) return Fail(InvalidArgumentError("wall time must be > 0"));
  policy_.limits.wall_time_s = seconds;
  return *this;
}
PolicyBuilder& PolicyBuilder::SetTermTime(double seconds) {
  if (!(seconds >= 0)) return Fail(InvalidArgumentError("term time must be >= 0"));
  policy_.limits.term_time_s = seconds;
  return *this;
}
PolicyBuilder& PolicyBuilder::SetMemory(uint64_t bytes) {
  if (bytes < (16ull << 20)) return Fail(InvalidArgumentError("memory limit below 16 MiB"));
  policy_.limits.memory_bytes = bytes;
  return *this;
}
PolicyBuilder& PolicyBuilder::SetPids(uint64_t pids) {
  if (pids < 2) return Fail(InvalidArgumentError("pids limit must be >= 2"));
  policy_.limits.pids = pids;
  return *this;
}
PolicyBuilder& PolicyBuilder::SetCpus(double cpus) {
  if (cpus < 0) return Fail(InvalidArgumentError("cpus must be >= 0"));
  policy_.limits.cpus = cpus;
  return *this;
}
PolicyBuilder& PolicyBuilder::SetTmpfsSize(uint64_t bytes) {
  policy_.limits.tmpfs_bytes = bytes;
  return *this;
}
PolicyBuilder& PolicyBuilder::SetFileSize(uint64_t bytes) {
  policy_.limits.file_size_bytes = bytes;
  return *this;
}
PolicyBuilder& PolicyBuilder::SetOutputCap(uint64_t bytes) {
  policy_.limits.output_bytes = bytes;
  return *this;
}
PolicyBuilder& PolicyBuilder::SetWorkingDir(std::string dir) {
  if (!Absolute(dir)) return Fail(InvalidArgumentError("working dir must be absolute: " + dir));
  policy_.working_dir = std::move(dir);
  return *this;
}
PolicyBuilder& PolicyBuilder::SetSandboxIds(uint32_t uid, uint32_t gid) {
  policy_.sandbox_uid = uid;
  policy_.sandbox_gid = gid;
  return *this;
}
PolicyBuilder& PolicyBuilder::InheritFd(int fd, WeakensIsolation) {
  if (fd < 3) return Fail(InvalidArgumentError("inherited fds must be >= 3"));
  policy_.inherited_fds.push_back(fd);
  return *this;
}
PolicyBuilder& PolicyBuilder::AllowDegraded(Layer layer, WeakensIsolation) {
  policy_.degraded.push_back(layer);
  return *this;
}

Expected<Policy> PolicyBuilder::Build() const {
  if (!first_error_.ok()) return first_error_;
  if (policy_.limits.term_time_s > 0 &&
      policy_.limits.term_time_s >= policy_.limits.wall_time_s) {
    return InvalidArgumentError("term time must be below the wall time");
  }
  return policy_;
}

Json RunResultToJson(const RunResult& r) {
  Json j = Json::object();
  j["status"] = std::string(RunStatusName(r.status));
  j["reason"] = r.reason;
  j["exit_code"] = r.exit_code;
  j["signal"] = r.signal;
  j["wall_time_s"] = r.wall_time_s;
  j["cpu_time_s"] = r.cpu_time_s;
  j["peak_memory_bytes"] = r.peak_memory_bytes;
  j["timed_out"] = r.timed_out;
  j["oom"] = r.oom;
  j["terminated"] = r.terminated;
  j["leftover_processes"] = r.leftover_processes;
  j["stopped"] = r.stopped;
  Json v = Json::array();
  for (const Violation& x : r.violations) {
    v.push_back({{"syscall", x.syscall}, {"args", x.args}, {"count", x.count}});
  }
  j["violations"] = v;
  Json d = Json::array();
  for (Layer l : r.degraded) d.push_back(std::string(LayerName(l)));
  j["degraded"] = d;
  j["stdout"] = r.stdout_data;
  j["stdout_truncated"] = r.stdout_truncated;
  j["stderr"] = r.stderr_data;
  j["stderr_truncated"] = r.stderr_truncated;
  return j;
}

}  // namespace referee::sandbox
