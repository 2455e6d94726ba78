#include "cgroup.h"

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <sstream>

#include "referee/base/file.h"
#include "referee/base/strings.h"

namespace referee::sandbox::internal::cgroup {
namespace {

constexpr const char kRoot[] = "/sys/fs/cgroup";

// The caller's own cgroup path for a v1 controller ("memory") or v2 (""), from
// /proc/self/cgroup.
std::string OwnPath(const std::string& controller) {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> parts = StrSplit(line, ':');
    if (parts.size() < 3) continue;
    std::vector<std::string> names = StrSplit(parts[1], ',');
    bool match = controller.empty() ? parts[0] == "0" && parts[1].empty() : false;
    for (const std::string& n : names) match = match || n == controller;
    if (match) {
      std::string path = parts[2];
      for (size_t i = 3; i < parts.size(); ++i) path += ":" + parts[i];
      return path == "/" ? "" : path;
    }
  }
  return "";
}

std::string ReadTrimmed(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return std::string(StripWhitespace(ss.str()));
}

Status WriteValue(const std::string& path, const std::string& value) {
  FILE* f = fopen(path.c_str(), "we");
  if (f == nullptr) return ErrnoError("open " + path, errno);
  bool ok = fputs(value.c_str(), f) >= 0;
  ok = (fclose(f) == 0) && ok;
  if (!ok) return ErrnoError("write " + path, errno);
  return OkStatus();
}

bool Writable(const std::string& dir) { return access(dir.c_str(), W_OK) == 0; }

}  // namespace

std::string V2BaseFor(const std::string& own_path) {
  const std::string leaf = std::string("/") + kHostLeaf;
  if (own_path.size() >= leaf.size() &&
      own_path.compare(own_path.size() - leaf.size(), leaf.size(), leaf) == 0) {
    return own_path.substr(0, own_path.size() - leaf.size());
  }
  return own_path;
}

namespace {

// The v2 directory where our cgroups go, when memory and pids are delegated there.
std::string V2Base() {
  std::string mount = kRoot;
  if (access((mount + "/cgroup.controllers").c_str(), R_OK) != 0) mount += "/unified";
  std::string base = mount + V2BaseFor(OwnPath(""));
  std::string controllers = ReadTrimmed(base + "/cgroup.controllers");
  // memory is required; pids and cpu are used when delegated (RLIMIT_NPROC is the pids
  // backstop otherwise; the GPU machine delegates only memory).
  if (controllers.find("memory") == std::string::npos || !Writable(base)) {
    return "";
  }
  return base;
}

std::string V1Dir(const std::string& controller) {
  std::string dir = std::string(kRoot) + "/" + controller + OwnPath(controller);
  return Writable(dir) ? dir : "";
}

uint64_t ReadKeyed(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  std::string k;
  uint64_t v;
  while (in >> k >> v) {
    if (k == key) return v;
  }
  return 0;
}

// cgroup v2's "no internal processes" rule: controllers can be enabled for children only when
// the cgroup itself holds no process. When it does (the usual case for a service's own
// cgroup), its processes move into a leaf "referee-host" beside the sandboxes' cgroups, as
// container runtimes do; their limits are unchanged (the leaf is inside the same cgroup).
Status Evacuate(const std::string& base) {
  std::string leaf = base + "/" + kHostLeaf;
  if (mkdir(leaf.c_str(), 0755) != 0 && errno != EEXIST) return ErrnoError("mkdir " + leaf, errno);
  std::ifstream in(base + "/cgroup.procs");
  pid_t pid;
  while (in >> pid) {
    Status s = WriteValue(leaf + "/cgroup.procs", std::to_string(pid));
    if (!s.ok() && s.message().find("No such process") == std::string::npos) return s;
  }
  return OkStatus();
}

Status EnableControllers(const std::string& base) {
  std::string enabled = ReadTrimmed(base + "/cgroup.subtree_control");
  if (enabled.find("memory") == std::string::npos) {
    Status s = WriteValue(base + "/cgroup.subtree_control", "+memory");
    if (!s.ok()) {
      REFEREE_RETURN_IF_ERROR(Evacuate(base));
      s = WriteValue(base + "/cgroup.subtree_control", "+memory");
      if (!s.ok()) return s.Annotate("cgroup v2: enable memory for children");
    }
  }
  std::string available = ReadTrimmed(base + "/cgroup.controllers");
  for (const char* c : {"pids", "cpu"}) {
    if (available.find(c) != std::string::npos && enabled.find(c) == std::string::npos) {
      WriteValue(base + "/cgroup.subtree_control", std::string("+") + c).IgnoreError();
    }
  }
  return OkStatus();
}

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

}  // namespace

Expected<std::string> Detect() {
  std::string v2 = V2Base();
  if (!v2.empty()) {
    std::string c = ReadTrimmed(v2 + "/cgroup.controllers");
    return "v2 at " + v2 + " (memory" +
           (c.find("pids") != std::string::npos ? ", pids" : "; pids via RLIMIT_NPROC") +
           (c.find("cpu") != std::string::npos ? ", cpu)" : ")");
  }
  if (!V1Dir("memory").empty() && !V1Dir("pids").empty()) {
    return std::string("v1 (memory, pids") + (V1Dir("cpu").empty() ? ")" : ", cpu)");
  }
  // Say what was found, so that the host can be fixed (delegation, controllers).
  std::string mount = std::string(kRoot);
  if (access((mount + "/cgroup.controllers").c_str(), R_OK) != 0) mount += "/unified";
  std::string base = mount + V2BaseFor(OwnPath(""));
  return UnavailableError(StrFormat(
      "no writable cgroup with memory and pids controllers: v2 %s has controllers '%s'%s; v1 "
      "memory/pids %s",
      base.c_str(), ReadTrimmed(base + "/cgroup.controllers").c_str(),
      Writable(base) ? "" : " and is not writable",
      V1Dir("memory").empty() || V1Dir("pids").empty() ? "not mounted or not writable" : "ok"));
}

Expected<Cgroup> Cgroup::Create(const CgroupPolicy& policy) {
  const Limits& l = *policy.limits;
  Cgroup cg;
  std::string v2 = V2Base();
  if (!v2.empty()) {
    cg.v2_ = true;
    std::string dir = v2 + "/" + policy.name;
    REFEREE_RETURN_IF_ERROR(EnableControllers(v2));
    if (mkdir(dir.c_str(), 0755) != 0) return ErrnoError("mkdir " + dir, errno);
    cg.dirs_.push_back(dir);
    REFEREE_RETURN_IF_ERROR(WriteValue(dir + "/memory.max", std::to_string(l.memory_bytes)));
    WriteValue(dir + "/memory.swap.max", "0").IgnoreError();  // absent without swap accounting
    WriteValue(dir + "/memory.oom.group", "1").IgnoreError();
    if (Exists(dir + "/pids.max")) {
      REFEREE_RETURN_IF_ERROR(WriteValue(dir + "/pids.max", std::to_string(l.pids)));
    }
    if (l.cpus > 0) {
      REFEREE_RETURN_IF_ERROR(WriteValue(
          dir + "/cpu.max", StrFormat("%llu 100000", (unsigned long long)(l.cpus * 100000))));
    }
    return cg;
  }
  std::vector<std::string> controllers = {"memory", "pids"};
  if (l.cpus > 0) controllers.push_back("cpu");
  for (const std::string& c : controllers) {
    std::string base = V1Dir(c);
    if (base.empty()) return UnavailableError("cgroup v1 controller not writable: " + c);
    std::string dir = base + "/" + policy.name;
    if (mkdir(dir.c_str(), 0755) != 0) return ErrnoError("mkdir " + dir, errno);
    cg.dirs_.push_back(dir);
  }
  const std::string& mem = cg.dirs_[0];
  REFEREE_RETURN_IF_ERROR(WriteValue(mem + "/memory.limit_in_bytes", std::to_string(l.memory_bytes)));
  if (access((mem + "/memory.memsw.limit_in_bytes").c_str(), W_OK) == 0) {
    WriteValue(mem + "/memory.memsw.limit_in_bytes", std::to_string(l.memory_bytes))
        .IgnoreError();
  }
  WriteValue(mem + "/memory.swappiness", "0").IgnoreError();
  REFEREE_RETURN_IF_ERROR(WriteValue(cg.dirs_[1] + "/pids.max", std::to_string(l.pids)));
  if (l.cpus > 0) {
    REFEREE_RETURN_IF_ERROR(WriteValue(cg.dirs_[2] + "/cpu.cfs_period_us", "100000"));
    REFEREE_RETURN_IF_ERROR(WriteValue(
        cg.dirs_[2] + "/cpu.cfs_quota_us", std::to_string((long long)(l.cpus * 100000))));
  }
  return cg;
}

Status Cgroup::AddProcess(pid_t pid) const {
  for (const std::string& dir : dirs_) {
    REFEREE_RETURN_IF_ERROR(WriteValue(dir + "/cgroup.procs", std::to_string(pid)));
  }
  return OkStatus();
}

CgroupStats Cgroup::Stats() const {
  CgroupStats s;
  if (dirs_.empty()) return s;
  const std::string& dir = dirs_[0];
  if (v2_) {
    s.peak_memory_bytes = strtoull(ReadTrimmed(dir + "/memory.peak").c_str(), nullptr, 10);
    s.oom_killed = ReadKeyed(dir + "/memory.events", "oom_kill") > 0;
  } else {
    s.peak_memory_bytes =
        strtoull(ReadTrimmed(dir + "/memory.max_usage_in_bytes").c_str(), nullptr, 10);
    s.oom_killed = ReadKeyed(dir + "/memory.oom_control", "oom_kill") > 0;
  }
  return s;
}

void Cgroup::KillAll() const {
  if (dirs_.empty()) return;
  if (v2_ && WriteValue(dirs_[0] + "/cgroup.kill", "1").ok()) return;
  for (int round = 0; round < 100; ++round) {
    std::ifstream in(dirs_[0] + "/cgroup.procs");
    pid_t pid;
    bool any = false;
    while (in >> pid) {
      kill(pid, SIGKILL);
      any = true;
    }
    if (!any) return;
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, nullptr);
  }
}

Cgroup::~Cgroup() {
  if (dirs_.empty()) return;
  KillAll();
  for (const std::string& dir : dirs_) {
    for (int attempt = 0; attempt < 200 && rmdir(dir.c_str()) != 0 && errno == EBUSY;
         ++attempt) {
      struct timespec ts = {0, 1000000};
      nanosleep(&ts, nullptr);
    }
  }
}

}  // namespace referee::sandbox::internal::cgroup
