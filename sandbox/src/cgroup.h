// cgroup limits (sandbox.md §6 step 4, §7 item 3): one fresh cgroup per run under the
// caller's own cgroup, with memory (swap off), pids and optionally CPU limits. cgroup v2 when
// the unified hierarchy has the controllers; otherwise the v1 controllers (this machine kind
// mounts v1 memory/pids/cpu beside an empty v2 hierarchy). The child joins before it runs any
// user code; at the end every remaining task is killed and the cgroup removed.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/sandbox/sandbox.h"

namespace referee::sandbox::internal::cgroup {

struct CgroupPolicy {
  const Limits* limits = nullptr;
  std::string name;  // unique per run, e.g. "referee-<pid>-<n>"
};

struct CgroupStats {
  uint64_t peak_memory_bytes = 0;
  bool oom_killed = false;
};

// "v2 (memory, pids, cpu)", "v1 (memory, pids, cpu)", or an error saying why not.
Expected<std::string> Detect();

// cgroup v2 allows controllers for children only in a cgroup holding no process, so the
// caller's processes are moved once into a leaf of this name beside the sandboxes' cgroups.
inline constexpr char kHostLeaf[] = "referee-host";
// Where the sandboxes' v2 cgroups go for a caller whose own cgroup is `own_path`: beside it,
// when it is that leaf (moved there by an earlier run: this process, or its parent's), else
// under it. Without this, each run nested one leaf deeper until the controllers ran out.
std::string V2BaseFor(const std::string& own_path);

class Cgroup final {
 public:
  static Expected<Cgroup> Create(const CgroupPolicy& policy);
  Cgroup(Cgroup&& other) noexcept : dirs_(std::move(other.dirs_)), v2_(other.v2_) {
    other.dirs_.clear();
  }
  Cgroup& operator=(Cgroup&&) = delete;
  ~Cgroup();

  Status AddProcess(pid_t pid) const;
  CgroupStats Stats() const;
  void KillAll() const;

 private:
  Cgroup() = default;
  std::vector<std::string> dirs_;  // one per v1 controller, or the single v2 directory
  bool v2_ = false;
};

}  // namespace referee::sandbox::internal::cgroup
