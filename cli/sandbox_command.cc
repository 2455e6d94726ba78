// `referee sandbox run|check` (the sandbox itself lives in sandbox/).
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "commands.h"
#include "output.h"
#include "referee/base/json.h"
#include "referee/base/log.h"
#include "referee/base/strings.h"
#include "referee/sandbox/sandbox.h"

namespace referee::cli {
namespace {

using sandbox::PolicyBuilder;
using sandbox::RunResult;
using sandbox::RunStatus;

constexpr char kDescription[] =
    "Runs CMD under the sandbox, or checks what this host supports. Exit status: the command's\n"
    "(128+N when killed by signal N); 1 on a violation, timeout or OOM; 2 usage or policy\n"
    "error; 3 the sandbox could not be set up.";

struct RunFlags {
  std::string profile, scratch, data, memory, format = "text";
  std::vector<std::string> binds, env, degraded;
  int gpu = -1, pids = 0;
  double time = 60, cpus = 0;
};

Status AddBind(PolicyBuilder& b, const std::string& val) {
  std::vector<std::string> parts = StrSplit(val, ':');
  if (parts.size() < 2 || parts.size() > 3) {
    return InvalidArgumentError("--bind wants SRC:DST[:ro|:rw], got '" + val + "'");
  }
  if (parts.size() == 3 && parts[2] == "rw") {
    b.AddWritableBind(parts[0], parts[1],
                      sandbox::WeakensIsolation::Because("--bind ...:rw on the command line"));
  } else if (parts.size() == 3 && parts[2] != "ro") {
    return InvalidArgumentError("--bind mode must be ro or rw, got '" + parts[2] + "'");
  } else {
    b.AddBind({parts[0], parts[1], true});
  }
  return OkStatus();
}

Expected<sandbox::Policy> MakePolicy(const RunFlags& f) {
  if (f.profile.empty()) return InvalidArgumentError("--profile is required");
  REFEREE_ASSIGN_OR_RETURN(sandbox::Profile profile, sandbox::ParseProfile(f.profile));
  PolicyBuilder b(profile);
  for (const std::string& bind : f.binds) REFEREE_RETURN_IF_ERROR(AddBind(b, bind));
  if (!f.scratch.empty()) b.SetScratchDir(f.scratch);
  if (!f.data.empty()) b.SetDataDir(f.data);
  if (f.gpu >= 0) b.SetGpu(f.gpu);
  b.SetWallTime(f.time);
  if (!f.memory.empty()) {
    REFEREE_ASSIGN_OR_RETURN(uint64_t m, ParseByteSize(f.memory));
    b.SetMemory(m);
  }
  if (f.pids > 0) b.SetPids(static_cast<uint64_t>(f.pids));
  if (f.cpus > 0) b.SetCpus(f.cpus);
  for (const std::string& e : f.env) {
    size_t eq = e.find('=');
    if (eq == std::string::npos) return InvalidArgumentError("--env wants NAME=VALUE");
    b.SetEnv(e.substr(0, eq), e.substr(eq + 1));
  }
  for (const std::string& d : f.degraded) {
    REFEREE_ASSIGN_OR_RETURN(sandbox::Layer layer, sandbox::ParseLayer(d));
    b.AllowDegraded(layer, sandbox::WeakensIsolation::Because("--allow-degraded"));
  }
  return b.Build();
}

void AddRunFlags(FlagSet& flags, RunFlags* f) {
  flags.String("--profile", &f->profile, "kernel|python|build|training", "the profile")
      .Repeated("--bind", &f->binds, "SRC:DST[:ro|:rw]",
                "bind a host path (read-only unless :rw, which weakens isolation)")
      .String("--scratch", &f->scratch, "DIR", "host dir bound read-write at /scratch")
      .String("--data", &f->data, "DIR", "training profile: host dir bound read-only at /data")
      .Int("--gpu", &f->gpu, 0, 1023, "N", "expose GPU N's device nodes (default: no GPU)")
      .Double("--time", &f->time, 0, "S", "wall-clock limit in seconds (default 60)")
      .String("--memory", &f->memory, "SIZE", "memory limit, e.g. 8G, 512M (default 8G)")
      .Int("--pids", &f->pids, 1, 1 << 20, "N", "process limit (default 512)")
      .Double("--cpus", &f->cpus, 0, "C", "CPU quota in cores (default: none)")
      .Repeated("--env", &f->env, "NAME=VALUE", "set an environment variable inside")
      .Repeated("--allow-degraded", &f->degraded, "LAYER",
                "run even if LAYER is unavailable on this host");
  AddFormatFlag(flags, &f->format, {"text", "json", "sarif"});
}

int ExitCodeFor(const RunResult& r) {
  switch (r.status) {
    case RunStatus::kOk: return kExitClean;
    case RunStatus::kExitNonZero: return r.exit_code;
    case RunStatus::kSignaled: return 128 + r.signal;
    case RunStatus::kSetupError: return kExitInternal;
    default: return kExitRejected;
  }
}

void PrintText(const RunResult& r) {
  std::fwrite(r.stdout_data.data(), 1, r.stdout_data.size(), stdout);
  std::fwrite(r.stderr_data.data(), 1, r.stderr_data.size(), stderr);
  if (r.status != RunStatus::kOk && r.status != RunStatus::kExitNonZero) {
    Logf(LogLevel::kWarning, "sandbox: %s", r.reason.c_str());
  }
  for (const sandbox::Violation& v : r.violations) {
    Logf(LogLevel::kWarning, "sandbox: violation: %s (x%d)", v.syscall.c_str(), v.count);
  }
}

int Run(const RunFlags& f, const std::vector<std::string>& command) {
  if (command.empty()) return UsageError(InvalidArgumentError("no command given after --"), "sandbox");
  Expected<sandbox::Policy> policy = MakePolicy(f);
  if (!policy) return UsageError(policy.error(), "sandbox");
  // A program that is not there exits 127, as a shell's "command not found" does.
  if (Expected<std::string> exe = sandbox::ResolveCommand(*policy, command[0]); !exe) {
    InputError(exe.error());
    return exe.error().code() == StatusCode::kNotFound ? kExitNotFound : kExitInputError;
  }
  Expected<RunResult> result = sandbox::Run(*policy, command);
  if (!result) {
    StatusCode c = result.error().code();
    InputError(result.error());
    bool input = c == StatusCode::kFailedPrecondition || c == StatusCode::kInvalidArgument ||
                 c == StatusCode::kNotFound;
    return input ? kExitInputError : kExitInternal;
  }
  if (f.format == "text") {
    PrintText(*result);
  } else {
    Json j = f.format == "json" ? sandbox::RunReportToJson(*result, *policy, command)
                                : sandbox::RunReportToSarif(*result, command);
    std::printf("%s\n", DumpJson(j).c_str());
  }
  return ExitCodeFor(*result);
}

// Layers, then the self-test.
int Check() {
  int missing = 0;
  for (const sandbox::LayerSupport& s : sandbox::HostSupport().layers) {
    std::printf("%-18s %-4s %s\n", std::string(sandbox::LayerName(s.layer)).c_str(),
                s.available ? "yes" : "NO", s.detail.c_str());
    if (!s.available) ++missing;
  }
  if (missing > 0) {
    std::printf("verdict: %d layer(s) missing; runs are refused unless degraded\n", missing);
    return kExitRejected;
  }
  sandbox::SelfTestResult t = sandbox::RunSelfTest();
  std::printf("self-test: /bin/true -> %s; AF_INET socket -> %s\n", t.true_status.c_str(),
              t.socket_reason.c_str());
  std::printf("verdict: %s\n", t.passed ? "all layers available; self-test passed"
                                        : "self-test FAILED");
  return t.passed ? kExitClean : kExitRejected;
}

}  // namespace

int RunSandboxCommand(int argc, char** argv) {
  RunFlags f;
  std::vector<std::string> sub, command;
  FlagSet flags("referee sandbox run --profile P [options] -- CMD ARGS... | referee sandbox check",
                kDescription);
  AddRunFlags(flags, &f);
  flags.Positionals(&sub, "run|check").AfterDashes(&command);
  if (int rc = ParseOrExit(flags, argc, argv, "sandbox"); rc >= 0) return rc;
  if (sub.size() == 1 && sub[0] == "run") return Run(f, command);
  if (sub.size() == 1 && sub[0] == "check") return Check();
  if (sub.empty()) return UsageError(InvalidArgumentError("sandbox needs run or check"), "sandbox");
  return UsageError(InvalidArgumentError("unknown sandbox command '" + sub[0] + "' (run, check)"),
                    "sandbox");
}

}  // namespace referee::cli
