#include "referee/search/external_proposer.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "referee/base/fd.h"
#include "referee/base/file.h"
#include "referee/base/log.h"
#include "referee/base/strings.h"

#ifdef REFEREE_SEARCH_HAVE_SANDBOX
#include "referee/sandbox/sandbox.h"
#endif

namespace referee::search {
namespace {

double MonoS() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::string LastLine(const std::string& text) {
  std::string t(StripWhitespace(text));
  size_t nl = t.rfind('\n');
  std::string line = nl == std::string::npos ? t : t.substr(nl + 1);
  return line.size() > 200 ? line.substr(0, 200) + "..." : line;
}

struct RawRun {
  bool timed_out = false;
  int exit_code = -1;
  int signal = 0;
  std::string out, err;
  bool truncated = false;
  std::string failure;  // the sandbox's own reason (violation, oom, setup)
};

// Plain child: /bin/sh -c "exec CMD" in `cwd`, stdin from `request`, the given environment,
// killed with its process group at the timeout.
Expected<RawRun> RunPlain(const std::string& command, const std::string& cwd,
                          const std::string& request, const std::map<std::string, std::string>& env,
                          double timeout_s, size_t cap) {
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    return ErrnoError("pipe", errno);
  }
  UniqueFd out_r(out_pipe[0]), out_w(out_pipe[1]), err_r(err_pipe[0]), err_w(err_pipe[1]);
  UniqueFd in(open(request.c_str(), O_RDONLY | O_CLOEXEC));
  if (!in.valid()) return ErrnoError(request, errno);
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string shell_cmd = "exec " + command;
  const char* argv[] = {"/bin/sh", "-c", shell_cmd.c_str(), nullptr};
  pid_t pid = fork();
  if (pid < 0) return ErrnoError("fork", errno);
  if (pid == 0) {
    setpgid(0, 0);
    dup2(in.get(), 0);
    dup2(out_w.get(), 1);
    dup2(err_w.get(), 2);
    if (chdir(cwd.c_str()) != 0) _exit(126);
    execve("/bin/sh", const_cast<char**>(argv), envp.data());
    _exit(127);
  }
  setpgid(pid, pid);
  out_w.Reset();
  err_w.Reset();
  RawRun r;
  double deadline = MonoS() + timeout_s;
  pollfd fds[2] = {{out_r.get(), POLLIN, 0}, {err_r.get(), POLLIN, 0}};
  int open_fds = 2;
  while (open_fds > 0) {
    int wait_ms = static_cast<int>(std::max(0.0, deadline - MonoS()) * 1000);
    if (wait_ms == 0) {
      r.timed_out = true;
      break;
    }
    if (poll(fds, 2, std::min(wait_ms, 100)) < 0 && errno != EINTR) break;
    for (int k = 0; k < 2; ++k) {
      if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[65536];
      ssize_t n = read(fds[k].fd, buf, sizeof buf);
      if (n <= 0) {
        fds[k].fd = -1;
        --open_fds;
        continue;
      }
      std::string& dst = k == 0 ? r.out : r.err;
      if (dst.size() < cap)
        dst.append(buf, static_cast<size_t>(std::min<size_t>(n, cap - dst.size())));
      if (dst.size() >= cap) r.truncated = true;
    }
  }
  kill(-pid, SIGKILL);  // the whole group: nothing the proposer started outlives it
  int status = 0;
  waitpid(pid, &status, 0);
  if (!r.timed_out) {
    if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  }
  return r;
}

#ifdef REFEREE_SEARCH_HAVE_SANDBOX
namespace sb = referee::sandbox;

Expected<RawRun> RunSandboxed(const std::string& command, const std::string& proposal_dir,
                              const std::string& task_dir, const std::vector<std::string>& binds,
                              const ExternalProposerOptions& o) {
  sb::PolicyBuilder b(sb::Profile::kPython);
  b.AddBind({proposal_dir, "/proposal"});
  b.AddBind({std::filesystem::absolute(task_dir).string(), "/task"});
  for (const std::string& d : binds) b.AddBind({d, d});
  for (const auto& [k, v] : o.env) {
    if (k != "PATH" && k != "HOME") b.SetEnv(k, v);
  }
  b.SetWallTime(o.timeout_s);
  b.SetOutputCap(o.max_answer_bytes);
  b.SetMemory(static_cast<uint64_t>(o.memory_gib * (1ull << 30)));
  if (getuid() == 0) b.SetSandboxIds(61000 + getpid() % 4000, 61000 + getpid() % 4000);
  REFEREE_ASSIGN_OR_RETURN(sb::Policy policy, b.Build());
  REFEREE_ASSIGN_OR_RETURN(
      sb::RunResult res,
      sb::Run(policy, {"/bin/sh", "-c", "exec " + command + " < /proposal/request.json"}));
  RawRun r;
  r.out = res.stdout_data;
  r.err = res.stderr_data;
  r.truncated = res.stdout_truncated;
  r.timed_out = res.status == sb::RunStatus::kTimeout;
  r.exit_code = res.exit_code;
  r.signal = res.signal;
  if (res.status == sb::RunStatus::kViolation || res.status == sb::RunStatus::kOom ||
      res.status == sb::RunStatus::kSetupError) {
    r.failure = "sandbox: " + res.reason;
  }
  return r;
}

bool HostCanSandbox(std::string* why) {
  for (const sb::LayerSupport& l : sb::HostSupport().layers) {
    if (!l.available) {
      *why = "sandbox layer " + std::string(sb::LayerName(l.layer)) + " unavailable: " + l.detail;
      return false;
    }
  }
  return true;
}
#else
bool HostCanSandbox(std::string* why) {
  *why = "built without the sandbox";
  return false;
}
#endif

// One line saying why a run produced no usable answer, or "" when it exited 0.
std::string RunFailure(const RawRun& r, double timeout_s, size_t cap) {
  if (!r.failure.empty()) return r.failure;
  if (r.timed_out) return StrFormat("no answer within %.0f s (hang)", timeout_s);
  if (r.signal) {
    return StrFormat("crashed (signal %d)%s%s", r.signal, r.err.empty() ? "" : ": ",
                     LastLine(r.err).c_str());
  }
  if (r.exit_code != 0) {
    return StrFormat("exited with status %d%s%s", r.exit_code, r.err.empty() ? "" : ": ",
                     LastLine(r.err).c_str());
  }
  if (r.truncated) return StrFormat("answer longer than %zu bytes", cap);
  return "";
}

class ExternalProposer final : public Proposer {
 public:
  ExternalProposer(ExternalProposerOptions o, bool sandboxed)
      : o_(std::move(o)), sandboxed_(sandboxed) {
    command_ = ResolveCommandPaths(o_.command, &binds_);
  }
  std::string name() const override { return o_.name.empty() ? "external" : o_.name; }

  Expected<ProposeResult> Propose(const ProposalContext& ctx) override {
    std::string dir = o_.work_dir + "/" + std::to_string(ctx.seq);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    REFEREE_RETURN_IF_ERROR(WriteView(ctx, dir));
    double t0 = MonoS();
    Expected<RawRun> run = Run(ctx, dir);
    std::filesystem::remove_all(dir, ec);
    ProposeResult result;
    result.wall_s = MonoS() - t0;
    if (!run) return run.error();
    result.response = run->out;
    std::string failure = RunFailure(*run, o_.timeout_s, o_.max_answer_bytes);
    if (!failure.empty()) return UnavailableError(failure);
    REFEREE_ASSIGN_OR_RETURN(result.proposals, ParseProposerAnswer(run->out));
    for (const Proposal& p : result.proposals) {
      for (const auto& [k, v] : p.cost.items()) {
        result.cost[k] = result.cost.value(k, 0.0) + v.get<double>();
      }
    }
    return result;
  }

 private:
  // request.json, parent/, inspirations/<id>/ under `dir`, world-readable (the sandbox user).
  Status WriteView(const ProposalContext& ctx, const std::string& dir) {
    REFEREE_RETURN_IF_ERROR(MaterializeProgram(ctx.parent.program, dir + "/parent"));
    for (const ProgramView& v : ctx.inspirations) {
      REFEREE_RETURN_IF_ERROR(
          MaterializeProgram(v.program, dir + "/inspirations/" + std::to_string(v.id)));
    }
    Json request = ctx.request;
    bool sb = sandboxed_;
    request["view"] = {{"task", sb ? "/task" : std::filesystem::absolute(ctx.task_dir).string()},
                       {"parent", sb ? "/proposal/parent" : dir + "/parent"},
                       {"inspirations", sb ? "/proposal/inspirations" : dir + "/inspirations"}};
    REFEREE_RETURN_IF_ERROR(WriteFile(dir + "/request.json", DumpJson(request) + "\n"));
    chmod((dir + "/request.json").c_str(), 0644);
    chmod(dir.c_str(), 0755);
    if (std::filesystem::exists(dir + "/inspirations")) {
      chmod((dir + "/inspirations").c_str(), 0755);
    }
    return OkStatus();
  }

  Expected<RawRun> Run(const ProposalContext& ctx, const std::string& dir) {
#ifdef REFEREE_SEARCH_HAVE_SANDBOX
    if (sandboxed_) return RunSandboxed(command_, dir, ctx.task_dir, binds_, o_);
#endif
    return RunPlain(command_, dir, dir + "/request.json", o_.env, o_.timeout_s,
                    o_.max_answer_bytes);
  }

  ExternalProposerOptions o_;
  bool sandboxed_;
  std::string command_;
  std::vector<std::string> binds_;
};

}  // namespace

std::string ResolveCommandPaths(const std::string& command, std::vector<std::string>* binds) {
  std::vector<std::string> out;
  for (const std::string& word : StrSplit(command, ' ')) {
    std::error_code ec;
    if (!word.empty() && word.find_first_of("'\"$`;|&<>") == std::string::npos &&
        word.find('/') != std::string::npos && std::filesystem::is_regular_file(word, ec)) {
      std::filesystem::path abs = std::filesystem::absolute(word).lexically_normal();
      std::string parent = abs.parent_path().string();
      if (std::find(binds->begin(), binds->end(), parent) == binds->end()) {
        binds->push_back(parent);
      }
      out.push_back(abs.string());
    } else {
      out.push_back(word);
    }
  }
  return StrJoin(out, " ");
}

Expected<std::unique_ptr<Proposer>> MakeExternalProposer(const ExternalProposerOptions& o) {
  if (o.command.empty()) return InvalidArgumentError("--proposer needs a command");
  if (o.sandbox != "auto" && o.sandbox != "on" && o.sandbox != "off") {
    return InvalidArgumentError("--proposer-sandbox is auto, on or off");
  }
  bool sandboxed = false;
  if (o.sandbox != "off") {
    std::string why;
    sandboxed = HostCanSandbox(&why);
    if (!sandboxed && o.sandbox == "on") {
      return FailedPreconditionError("--proposer-sandbox on: " + why);
    }
    if (!sandboxed) {
      Logf(LogLevel::kWarning, "proposer '%s' runs as a plain child process: %s", o.command.c_str(),
           why.c_str());
    }
  }
  std::error_code ec;
  std::filesystem::create_directories(o.work_dir, ec);
  if (ec) return FailedPreconditionError(o.work_dir + ": cannot create: " + ec.message());
  return std::unique_ptr<Proposer>(new ExternalProposer(o, sandboxed));
}

}  // namespace referee::search
