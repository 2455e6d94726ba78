// `referee sandbox run|check` (issue #5). The sandbox itself lives in sandbox/.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "commands.h"
#include "referee/base/json.h"
#include "referee/base/log.h"
#include "referee/base/strings.h"
#include "referee/sandbox/sandbox.h"

namespace referee::cli {
namespace {

using sandbox::Layer;
using sandbox::PolicyBuilder;
using sandbox::RunResult;
using sandbox::RunStatus;

constexpr const char kUsage[] =
    "usage: referee sandbox run --profile kernel|python|build|training [options] -- CMD ARGS...\n"
    "       referee sandbox check\n"
    "\n"
    "run options:\n"
    "  --bind SRC:DST[:ro|:rw]  bind a host path (read-only unless :rw, which weakens isolation)\n"
    "  --scratch DIR           host dir bound read-write at /scratch (default: a fresh tmpfs)\n"
    "  --data DIR              training profile: host dir bound read-only at /data\n"
    "  --gpu N                 expose GPU N's device nodes (default: no GPU)\n"
    "  --time S                wall-clock limit in seconds (default 60)\n"
    "  --memory M              memory limit, e.g. 8G, 512M (default 8G)\n"
    "  --pids N                process limit (default 512)\n"
    "  --cpus C                CPU quota in cores (default: none)\n"
    "  --env NAME=VALUE        set an environment variable inside\n"
    "  --allow-degraded LAYER  run even if LAYER is unavailable on this host\n"
    "  --json                  print the result as JSON on stdout\n"
    "exit status: the command's (128+N when killed by signal N); 1 on a violation, timeout or\n"
    "OOM; 2 usage or policy error; 3 the sandbox could not be set up\n";

Expected<uint64_t> ParseSize(const std::string& text) {
  char* end = nullptr;
  double v = strtod(text.c_str(), &end);
  if (end == text.c_str() || v < 0) return InvalidArgumentError("bad size '" + text + "'");
  std::string unit = end;
  double mult = 1;
  if (unit == "K" || unit == "k") mult = 1024.0;
  else if (unit == "M" || unit == "m") mult = 1024.0 * 1024;
  else if (unit == "G" || unit == "g") mult = 1024.0 * 1024 * 1024;
  else if (!unit.empty()) return InvalidArgumentError("bad size unit in '" + text + "'");
  return static_cast<uint64_t>(v * mult);
}

Expected<double> ParseNumber(const std::string& text) {
  char* end = nullptr;
  double v = strtod(text.c_str(), &end);
  if (end == text.c_str() || *end != '\0') return InvalidArgumentError("bad number '" + text + "'");
  return v;
}

struct RunArgs {
  std::string profile;
  std::vector<std::string> command;
  bool json = false;
};

// Applies one option with a value to the builder; returns false for an unknown option.
Status ApplyOption(PolicyBuilder& b, const std::string& opt, const std::string& val) {
  if (opt == "--bind") {
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
  } else if (opt == "--scratch") {
    b.SetScratchDir(val);
  } else if (opt == "--data") {
    b.SetDataDir(val);
  } else if (opt == "--gpu") {
    REFEREE_ASSIGN_OR_RETURN(double g, ParseNumber(val));
    b.SetGpu(static_cast<int>(g));
  } else if (opt == "--time") {
    REFEREE_ASSIGN_OR_RETURN(double t, ParseNumber(val));
    b.SetWallTime(t);
  } else if (opt == "--memory") {
    REFEREE_ASSIGN_OR_RETURN(uint64_t m, ParseSize(val));
    b.SetMemory(m);
  } else if (opt == "--pids") {
    REFEREE_ASSIGN_OR_RETURN(double p, ParseNumber(val));
    b.SetPids(static_cast<uint64_t>(p));
  } else if (opt == "--cpus") {
    REFEREE_ASSIGN_OR_RETURN(double c, ParseNumber(val));
    b.SetCpus(c);
  } else if (opt == "--env") {
    size_t eq = val.find('=');
    if (eq == std::string::npos) return InvalidArgumentError("--env wants NAME=VALUE");
    b.SetEnv(val.substr(0, eq), val.substr(eq + 1));
  } else if (opt == "--allow-degraded") {
    REFEREE_ASSIGN_OR_RETURN(Layer layer, sandbox::ParseLayer(val));
    b.AllowDegraded(layer, sandbox::WeakensIsolation::Because("--allow-degraded"));
  } else {
    return InvalidArgumentError("unknown option '" + opt + "'");
  }
  return OkStatus();
}

Expected<sandbox::Policy> ParseRun(int argc, char** argv, RunArgs& args) {
  std::vector<std::pair<std::string, std::string>> options;
  int i = 1;
  for (; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a == "--json") {
      args.json = true;
      continue;
    }
    if (i + 1 >= argc) return InvalidArgumentError("option '" + a + "' needs a value");
    if (a == "--profile") {
      args.profile = argv[++i];
    } else {
      options.push_back({a, argv[++i]});
    }
  }
  for (; i < argc; ++i) args.command.push_back(argv[i]);
  if (args.profile.empty()) return InvalidArgumentError("--profile is required");
  if (args.command.empty()) return InvalidArgumentError("no command given after --");
  REFEREE_ASSIGN_OR_RETURN(sandbox::Profile profile, sandbox::ParseProfile(args.profile));
  PolicyBuilder b(profile);
  for (const auto& [opt, val] : options) REFEREE_RETURN_IF_ERROR(ApplyOption(b, opt, val));
  return b.Build();
}

int ExitCodeFor(const RunResult& r) {
  switch (r.status) {
    case RunStatus::kOk: return 0;
    case RunStatus::kExitNonZero: return r.exit_code;
    case RunStatus::kSignaled: return 128 + r.signal;
    case RunStatus::kSetupError: return 3;
    default: return 1;
  }
}

int Run(int argc, char** argv) {
  RunArgs args;
  Expected<sandbox::Policy> policy = ParseRun(argc, argv, args);
  if (!policy) {
    Logf(LogLevel::kError, "%s", policy.error().message().c_str());
    std::fputs(kUsage, stderr);
    return 2;
  }
  Expected<RunResult> result = sandbox::Run(*policy, args.command);
  if (!result) {
    Logf(LogLevel::kError, "%s", result.error().message().c_str());
    return result.error().code() == StatusCode::kFailedPrecondition ||
                   result.error().code() == StatusCode::kInvalidArgument ||
                   result.error().code() == StatusCode::kNotFound
               ? 2
               : 3;
  }
  if (args.json) {
    std::printf("%s\n", DumpJson(sandbox::RunResultToJson(*result)).c_str());
  } else {
    std::fwrite(result->stdout_data.data(), 1, result->stdout_data.size(), stdout);
    std::fwrite(result->stderr_data.data(), 1, result->stderr_data.size(), stderr);
    if (result->status != RunStatus::kOk && result->status != RunStatus::kExitNonZero) {
      Logf(LogLevel::kWarning, "sandbox: %s", result->reason.c_str());
    }
    for (const sandbox::Violation& v : result->violations) {
      Logf(LogLevel::kWarning, "sandbox: violation: %s (x%d)", v.syscall.c_str(), v.count);
    }
  }
  return ExitCodeFor(*result);
}

// Layers, then a self-test: `true` must succeed and a socket(AF_INET) must be reported.
int Check() {
  const sandbox::HostReport& host = sandbox::HostSupport();
  int missing = 0;
  for (const sandbox::LayerSupport& s : host.layers) {
    std::printf("%-18s %-4s %s\n", std::string(sandbox::LayerName(s.layer)).c_str(),
                s.available ? "yes" : "NO", s.detail.c_str());
    if (!s.available) ++missing;
  }
  if (missing > 0) {
    std::printf("verdict: %d layer(s) missing; runs are refused unless degraded\n", missing);
    return 1;
  }
  Expected<sandbox::Policy> policy = PolicyBuilder(sandbox::Profile::kPython).SetWallTime(20).Build();
  Expected<RunResult> ok = sandbox::Run(*policy, {"/bin/true"});
  Expected<RunResult> net = sandbox::Run(
      *policy, {"/usr/bin/python3", "-c", "import socket; socket.socket()"});
  bool pass = ok && ok->status == RunStatus::kOk && net && net->status == RunStatus::kViolation &&
              !net->violations.empty() && net->violations[0].syscall == "socket";
  std::printf("self-test: /bin/true -> %s; AF_INET socket -> %s\n",
              ok ? std::string(sandbox::RunStatusName(ok->status)).c_str()
                 : ok.error().ToString().c_str(),
              net ? net->reason.c_str() : net.error().ToString().c_str());
  std::printf("verdict: %s\n", pass ? "all layers available; self-test passed"
                                    : "self-test FAILED");
  return pass ? 0 : 1;
}

}  // namespace

int RunSandboxCommand(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0) {
    std::fputs(kUsage, argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  std::string sub = argv[1];
  if (sub == "run") return Run(argc - 1, argv + 1);
  if (sub == "check") return Check();
  Logf(LogLevel::kError, "unknown sandbox command '%s' (run, check)", sub.c_str());
  return 2;
}

}  // namespace referee::cli
