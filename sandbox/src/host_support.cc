// HostSupport(): probes each layer once (a forked child tries the namespaces), so that Run()
// can refuse up front instead of failing half-way, and `referee sandbox check` can print it.
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <mutex>

#include "cgroup.h"
#include "landlock.h"
#include "referee/base/strings.h"
#include "referee/sandbox/sandbox.h"
#include "seccomp_filter.h"

namespace referee::sandbox {
namespace {

// Bit i set in the result: namespace kFlags[i] could be created (after a user namespace when
// that worked, which is what Run() does).
constexpr int kNsFlags[] = {CLONE_NEWUSER, CLONE_NEWNS,  CLONE_NEWPID,   CLONE_NEWNET,
                            CLONE_NEWIPC,  CLONE_NEWUTS, CLONE_NEWCGROUP};

int ProbeNamespaces() {
  pid_t pid = fork();
  if (pid < 0) return 0;
  if (pid == 0) {
    int bits = 0;
    if (unshare(CLONE_NEWUSER) == 0) bits |= 1;
    for (int i = 1; i < 7; ++i) {
      if (unshare(kNsFlags[i]) == 0) bits |= 1 << i;
    }
    _exit(bits);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return 0;
  return WEXITSTATUS(status);
}

HostReport Probe() {
  HostReport r;
  r.running_as_root = getuid() == 0;
  int ns = ProbeNamespaces();
  const Layer ns_layers[] = {Layer::kUserNamespace, Layer::kMountNamespace,
                             Layer::kPidNamespace,  Layer::kNetNamespace,
                             Layer::kIpcNamespace,  Layer::kUtsNamespace,
                             Layer::kCgroupNamespace};
  for (int i = 0; i < 7; ++i) {
    bool ok = (ns & (1 << i)) != 0;
    r.layers.push_back({ns_layers[i], ok, ok ? "available" : "unshare refused"});
  }
  bool mnt = (ns & 2) != 0;
  r.layers.push_back({Layer::kFilesystem, mnt,
                      mnt ? "tmpfs root, pivot_root" : "needs a mount namespace"});
  Expected<std::string> cg = internal::cgroup::Detect();
  r.layers.push_back({Layer::kCgroupLimits, cg.has_value(),
                      cg.has_value() ? *cg : cg.error().message()});
  r.layers.push_back({Layer::kRlimits, true, "setrlimit"});
  r.layers.push_back({Layer::kCapabilities, true, "bounding set, securebits, capset"});
  bool nnp = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) >= 0;
  r.layers.push_back({Layer::kNoNewPrivs, nnp, nnp ? "prctl" : "PR_GET_NO_NEW_PRIVS failed"});
  r.landlock_abi = internal::landlock::Abi();
  r.layers.push_back({Layer::kLandlock, r.landlock_abi > 0,
                      r.landlock_abi > 0 ? StrFormat("ABI %d", r.landlock_abi)
                                         : std::string("not enabled in this kernel")});
  bool notify = internal::seccomp::NotifySupported();
  r.layers.push_back({Layer::kSeccomp, notify,
                      notify ? "filter + user notification"
                             : "seccomp user notification unsupported"});
  return r;
}

}  // namespace

const HostReport& HostSupport() {
  // Keyed by euid: what a process may do changes when it drops privileges (the attack suite
  // runs the same binary as root and as an unprivileged user).
  static std::mutex mu;
  static auto* cache = new std::map<uid_t, HostReport>();
  std::lock_guard<std::mutex> lock(mu);
  auto it = cache->find(geteuid());
  if (it == cache->end()) it = cache->emplace(geteuid(), Probe()).first;
  return it->second;
}

}  // namespace referee::sandbox
