// sandbox_bench: median start-up overhead of a sandboxed `/bin/true` (all layers, kernel
// profile) against a bare fork/execve and against Debian's bubblewrap with comparable
// namespaces (issue #5 target: at most bwrap's overhead + 5 ms). One run prints one table:
//
//   build/sandbox/sandbox_bench [iterations]
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "referee/sandbox/sandbox.h"

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

// Median milliseconds of `fn` over `n` runs after two warm-ups; false from fn aborts.
bool Measure(const char* name, int n, const std::function<bool()>& fn, double* median) {
  std::vector<double> ms;
  for (int i = 0; i < n + 2; ++i) {
    auto t0 = Clock::now();
    if (!fn()) {
      std::fprintf(stderr, "sandbox_bench: %s failed\n", name);
      return false;
    }
    if (i >= 2) ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  }
  *median = Median(ms);
  return true;
}

bool Spawn(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid;
  if (posix_spawn(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) return false;
  int status;
  return waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

std::vector<std::string> BwrapArgs() {
  return {"/usr/bin/bwrap", "--unshare-all", "--die-with-parent", "--new-session",
          "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib", "--symlink",
          "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev",
          "/dev", "--tmpfs", "/tmp", "--tmpfs", "/scratch", "--", "/bin/true"};
}

}  // namespace

int main(int argc, char** argv) {
  using namespace referee::sandbox;
  int n = argc > 1 ? std::atoi(argv[1]) : 50;
  referee::Expected<Policy> policy = PolicyBuilder(Profile::kKernel).SetWallTime(10).Build();
  if (!policy) return 3;
  double bare = 0, sandboxed = 0, bwrap = -1;
  if (!Measure("bare", n, [] { return Spawn({"/bin/true"}); }, &bare)) return 1;
  if (!Measure("sandbox", n, [&] {
        referee::Expected<RunResult> r = Run(*policy, {"/bin/true"});
        if (!r) std::fprintf(stderr, "%s\n", r.error().ToString().c_str());
        return r && r->status == RunStatus::kOk;
      }, &sandboxed)) {
    return 1;
  }
  bool have_bwrap = access("/usr/bin/bwrap", X_OK) == 0 &&
                    Measure("bwrap", n, [] { return Spawn(BwrapArgs()); }, &bwrap);
  std::printf("sandbox_bench: /bin/true, median of %d runs (ms)\n", n);
  std::printf("  bare fork/exec       %8.2f\n", bare);
  std::printf("  referee sandbox      %8.2f   overhead %+.2f\n", sandboxed, sandboxed - bare);
  if (have_bwrap) {
    std::printf("  bwrap --unshare-all  %8.2f   overhead %+.2f\n", bwrap, bwrap - bare);
    double margin = (sandboxed - bare) - (bwrap - bare);
    std::printf("  referee - bwrap      %+8.2f   target <= +5.00: %s\n", margin,
                margin <= 5.0 ? "met" : "NOT met");
  } else {
    std::printf("  bwrap                not available\n");
  }
  return 0;
}
