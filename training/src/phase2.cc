// Phase 2: two sandboxes joined by one socket. The model server holds the candidate's entry
// point and output and no evaluation data; the trusted evaluator holds the validation data
// and no candidate code (referee_train_eval.py says what it checks). Both start with phase 1
// and wait (seed_run.h).
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "referee/base/strings.h"
#include "referee/sandbox/sandbox.h"
#include "seed_run.h"
#include "traceback.h"

namespace referee::training {
namespace {

namespace sb = referee::sandbox;
constexpr int kServerNice = 0;  // see docs/training.md "Overhead": niceness starved phase 2 under load

// One sandbox of the pair: its policy, command and result, run on its own thread.
struct Side {
  sb::Policy policy;
  std::vector<std::string> argv;
  int fd = -1;        // our copy of this side's channel end, closed once its sandbox has it
  int extra_fd = -1;  // the evaluator's go pipe (read end), likewise
  std::atomic<bool> fd_closed{false};
  std::atomic<bool> done{false};
  std::atomic<bool> stop{false};  // ask the supervisor to kill it (at its next tick)
  Expected<sb::RunResult> result = InternalError("not run");

  void CloseFd() {
    if (fd_closed.exchange(true)) return;
    close(fd);
    if (extra_fd >= 0) close(extra_fd);
  }
};

Json ServerConfig(const SeedContext& ctx) {
  const TrainingTask& t = *ctx.task;
  return Json{{"module", t.entry_module},  {"function", t.entry_function},
              {"output_dir", "/output"},   {"work_dir", "/work"},
              {"device", ctx.device},       {"nice", kServerNice},
              {"max_request_tokens", static_cast<int64_t>(t.metric.batch) * t.metric.seq_len}};
}

Json EvaluatorConfig(const SeedContext& ctx) {
  const TrainingTask& t = *ctx.task;
  return Json{{"vocab_size", t.metric.vocab_size},
              {"seq_len", t.metric.seq_len},
              {"batch", t.metric.batch},
              {"tokens", t.metric.tokens},
              {"output", t.metric.output == ModelOutput::kLogits ? "logits" : "log_probs"},
              {"metric", MetricName(t.metric.kind)},
              {"val_path", "/data/val.bin"},
              {"nonce", ctx.nonce & 0x7fffffffffffULL},
              {"probe_sequences", t.probes.sequences},
              {"tolerance", t.probes.tolerance},
              {"load_timeout_s", t.limits.load_timeout_s},
              {"eval_timeout_s", t.limits.eval_timeout_s}};
}

Expected<sb::Policy> SidePolicy(const SeedContext& ctx, bool server, int fd, int go_fd) {
  const TrainingTask& t = *ctx.task;
  // Both wait through phase 1.
  double wall = ctx.budget_s + t.grace_s + t.limits.load_timeout_s + t.limits.eval_timeout_s + 5;
  sb::PolicyBuilder b(server ? sb::Profile::kPython : sb::Profile::kTraining);
  b.AddBind({ctx.python_dir, "/referee", true})
      .InheritFd(fd, sb::WeakensIsolation::Because("the evaluator <-> model server channel"))
      .SetEnv("REFEREE_CHANNEL_FD", std::to_string(fd))
      .SetEnv("REFEREE_DEVICE", ctx.device)
      .SetWallTime(wall)
      .SetMemory(t.limits.memory_bytes)
      .SetPids(t.limits.pids)
      .SetWorkingDir("/scratch");
  uint32_t id = ctx.sandbox_id + (server ? 2 : 1);  // distinct: they run concurrently
  if (getuid() == 0) b.SetSandboxIds(id, id);
  if (server) {
    b.AddBind({ctx.output_dir, "/output", true}).AddBind({ctx.workspace->dir, "/work", true});
    if (ctx.device == "cuda") b.SetGpu(ctx.gpu);
  } else {
    b.SetDataDir(ctx.data->phase2_dir)
        .InheritFd(go_fd, sb::WeakensIsolation::Because("Referee's go signal (read end)"))
        .SetEnv("REFEREE_GO_FD", std::to_string(go_fd));
  }
  return b.Build();
}

void RunSide(Side& side) {
  sb::RunHooks hooks;
  hooks.tick_interval_s = 0.2;
  hooks.on_tick = [&](double) -> std::string {
    // The first tick comes once the sandbox's init holds its own copy: drop ours, so that
    // either side's exit is an EOF for the other.
    side.CloseFd();
    return side.stop ? "stopped: the evaluation is over" : "";
  };
  side.result = sb::Run(side.policy, side.argv, hooks);
  side.CloseFd();
  side.done = true;
}

// Located at the entry point the script wrote (a traceback may locate it better).
Failure Fail(const SeedContext& ctx, Verdict v, std::string check, std::string message) {
  return Failure{v, std::move(check), std::move(message),
                 SourceLoc{"<output>/" + ctx.task->entry_module + ".py"}};
}

// The evaluator's verdict as checks and a failure.
void Classify(const SeedContext& ctx, const Json& j, const sb::RunResult& server,
              Phase2Result& out) {
  for (const Json& c : j.value("checks", Json::array())) {
    if (c.value("ok", false)) out.checks.push_back({c.value("name", ""), true, c.value("detail", "")});
  }
  if (j.value("ok", false)) {
    out.metric = j["metric"].get<double>();
    out.nll_nats_per_token = j.value("nll_nats_per_token", 0.0);
    out.tokens = j.value("tokens", int64_t{0});
    out.load_s = j.value("load_s", 0.0);
    out.scoring_s = j.value("eval_s", 0.0);
    out.torch_version = j.value("torch", "");
    out.fingerprint = j.value("fingerprint", "");
    for (const Json& v : j.value("sequence_nll", Json::array())) {
      if (v.is_number()) out.sequence_nll.push_back(v.get<double>());
    }
    out.scored_sha256 = j.value("token_sha256", "");
    return;
  }
  std::string check = j.value("check", "model-error");
  bool error = check == "model-load" || check == "model-error" || check == "eval-timeout";
  Failure f = Fail(ctx, error ? Verdict::kError : Verdict::kRejected, check,
                   j.value("message", "the evaluation failed"));
  std::string tb = j.value("traceback", "");
  if (tb.empty()) tb = server.stderr_data;
  if (auto e = ParseTraceback(tb, CandidatePaths(ctx)); e && error) {
    if (!e->loc.empty()) f.loc = e->loc;
    f.message = e->message;
  }
  if (check == "model-error" && f.message.find("stopped answering") != std::string::npos) {
    if (!server.reason.empty()) f.message += "; the model server " + server.reason;
    if (std::string last = LastLine(server.stderr_data); !last.empty()) f.message += ": " + last;
  }
  out.failure = f;
}

}  // namespace

struct Phase2::State {
  Side server, evaluator;
  int go_fd = -1;  // the write end of the evaluator's go pipe
  std::thread server_thread, evaluator_thread;
  std::chrono::steady_clock::time_point go_at;
};

Expected<std::unique_ptr<Phase2>> Phase2::Start(const SeedContext& ctx) {
  int sv[2], go[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    return ErrnoError("socketpair", errno);
  }
  if (pipe2(go, O_CLOEXEC) != 0) {
    close(sv[0]);
    close(sv[1]);
    return ErrnoError("pipe2", errno);
  }
  std::unique_ptr<Phase2> p(new Phase2());
  p->state_ = std::make_unique<State>();
  State& s = *p->state_;
  s.server.fd = sv[0];
  s.evaluator.fd = sv[1];
  s.evaluator.extra_fd = go[0];
  s.go_fd = go[1];
  REFEREE_ASSIGN_OR_RETURN(s.server.policy, SidePolicy(ctx, true, s.server.fd, -1));
  REFEREE_ASSIGN_OR_RETURN(s.evaluator.policy, SidePolicy(ctx, false, s.evaluator.fd, go[0]));
  s.server.argv = {ctx.python, "-I", "/referee/referee_model_server.py",
                   DumpJson(ServerConfig(ctx), -1)};
  s.evaluator.argv = {ctx.python, "-I", "/referee/referee_train_eval.py",
                      DumpJson(EvaluatorConfig(ctx), -1)};
  s.server_thread = std::thread([&s] { RunSide(s.server); });
  s.evaluator_thread = std::thread([&s] { RunSide(s.evaluator); });
  return p;
}

Phase2::~Phase2() {
  if (!state_) return;
  if (state_->go_fd >= 0) close(state_->go_fd);  // EOF: the evaluator exits, then the server
  state_->evaluator.stop = true;  // nothing to evaluate: neither waits for its imports
  state_->server.stop = true;
  if (state_->evaluator_thread.joinable()) state_->evaluator_thread.join();
  if (state_->server_thread.joinable()) state_->server_thread.join();
}

Expected<Phase2Result> RunPhase2(const SeedContext& ctx, Phase2& phase2) {
  Phase2::State& s = *phase2.state_;
  auto t0 = std::chrono::steady_clock::now();
  bool went = write(s.go_fd, "g", 1) == 1;
  close(s.go_fd);
  s.go_fd = -1;
  while (ctx.progress && !s.evaluator.done.load()) {
    ReportProgress(ctx, "evaluate",
                   std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  s.evaluator_thread.join();
  // The evaluator is done: a model server still running (a load_model that never returns, a
  // forward that hangs) is stopped now rather than at its wall clock.
  for (int i = 0; i < 10 && !s.server.done.load(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  s.server.stop = true;
  s.server_thread.join();
  if (!s.server.result) return s.server.result.error();
  if (!s.evaluator.result) return s.evaluator.result.error();
  const sb::RunResult& ev = *s.evaluator.result;
  const sb::RunResult& server = *s.server.result;
  Phase2Result out;
  out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (server.status == sb::RunStatus::kSetupError || ev.status == sb::RunStatus::kSetupError) {
    return UnavailableError("the evaluation sandbox did not start: " +
                            (ev.status == sb::RunStatus::kSetupError ? ev.reason : server.reason));
  }
  Expected<Json> j = ParseJson(LastLine(ev.stdout_data, 1 << 20), "evaluator output");
  if (!went || !j || !j->is_object()) {
    return InternalError("the trusted evaluator failed (" + ev.reason + "): " +
                         LastLine(ev.stderr_data));
  }
  Classify(ctx, *j, server, out);
  if (!out.failure && !server.violations.empty()) {
    out.failure = Fail(ctx, Verdict::kRejected, "sandbox-violation",
                       "forbidden system call while serving the model: " +
                           server.violations.front().syscall);
  }
  if (!out.failure && out.scored_sha256 != ctx.data->scored_sha256) {
    return InternalError("the evaluator scored other tokens than were staged");
  }
  return out;
}

}  // namespace referee::training
