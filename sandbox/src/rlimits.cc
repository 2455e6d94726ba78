#include "rlimits.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cmath>

namespace referee::sandbox::internal::rlimits {

std::vector<RlimitSetting> Plan(const Limits& limits) {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  if (cpus < 1) cpus = 1;
  double cpu_s = std::ceil(limits.wall_time_s * static_cast<double>(cpus)) + 1;
  return {
      {RLIMIT_CORE, 0},
      {RLIMIT_NOFILE, static_cast<rlim_t>(limits.open_files)},
      {RLIMIT_FSIZE, static_cast<rlim_t>(limits.file_size_bytes)},
      {RLIMIT_CPU, static_cast<rlim_t>(cpu_s)},
      {RLIMIT_NPROC, static_cast<rlim_t>(limits.pids)},
      {RLIMIT_MSGQUEUE, 0},
      {RLIMIT_MEMLOCK, static_cast<rlim_t>(limits.memory_bytes)},
  };
}

ChildError Apply(const std::vector<RlimitSetting>& settings) {
  for (const RlimitSetting& s : settings) {
    // Raising a hard limit needs CAP_SYS_RESOURCE in the initial namespace: clamp to it.
    struct rlimit current;
    if (getrlimit(s.resource, &current) != 0) return ChildFail("getrlimit");
    rlim_t value = s.value < current.rlim_max ? s.value : current.rlim_max;
    struct rlimit rl = {value, value};
    if (setrlimit(s.resource, &rl) != 0) return ChildFail("setrlimit");
  }
  return ChildOk();
}

}  // namespace referee::sandbox::internal::rlimits
