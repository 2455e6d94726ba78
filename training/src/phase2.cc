// Phase 2: two fresh sandboxes joined by one socket. The model server holds the candidate's
// entry point and output and no evaluation data; the trusted evaluator holds the validation
// data and no candidate code (referee_train_eval.py says what it checks).
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "referee/base/fd.h"
#include "referee/base/strings.h"
#include "referee/sandbox/sandbox.h"
#include "seed_run.h"
#include "traceback.h"

namespace referee::training {
namespace {

namespace sb = referee::sandbox;

struct Side {
  sb::Policy policy;
  std::vector<std::string> argv;
  int fd = -1;  // our copy of this side's end, closed once its sandbox has started
  Expected<sb::RunResult> result = InternalError("not run");
};

Json ServerConfig(const SeedContext& ctx) {
  const TrainingTask& t = *ctx.task;
  return Json{{"module", t.entry_module},    {"function", t.entry_function},
              {"output_dir", "/output"},     {"work_dir", "/work"},
              {"device", ctx.device},         {"vocab_size", t.metric.vocab_size},
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

Expected<sb::Policy> SidePolicy(const SeedContext& ctx, bool server, int fd) {
  const TrainingTask& t = *ctx.task;
  sb::PolicyBuilder b(server ? sb::Profile::kPython : sb::Profile::kTraining);
  b.AddBind({ctx.python_dir, "/referee", true})
      .InheritFd(fd, sb::WeakensIsolation::Because("the evaluator <-> model server channel"))
      .SetEnv("REFEREE_CHANNEL_FD", std::to_string(fd))
      .SetEnv("PYTHONDONTWRITEBYTECODE", "1")
      .SetWallTime(t.limits.load_timeout_s + t.limits.eval_timeout_s + 5)
      .SetMemory(t.limits.memory_bytes)
      .SetPids(t.limits.pids)
      .SetWorkingDir("/scratch");
  uint32_t id = ctx.sandbox_id + (server ? 0 : 1);  // the server reads what phase 1 wrote
  if (getuid() == 0) b.SetSandboxIds(id, id);
  if (server) {
    b.AddBind({ctx.output_dir, "/output", true}).AddBind({ctx.workspace->dir, "/work", true});
    if (ctx.device == "cuda") b.SetGpu(ctx.gpu);
  } else {
    b.SetDataDir(ctx.data->phase2_dir);
  }
  return b.Build();
}

void RunSide(Side& side, const SeedContext& ctx, bool report_progress) {
  std::atomic<bool> closed{false};
  sb::RunHooks hooks;
  hooks.tick_interval_s = 0.2;
  hooks.on_tick = [&](double elapsed) -> std::string {
    // The first tick comes once the sandbox's init holds its own copy: drop ours, so that
    // either side's exit is an EOF for the other.
    if (!closed.exchange(true)) close(side.fd);
    if (report_progress) ReportProgress(ctx, "evaluate", elapsed, 0);
    return "";
  };
  side.result = sb::Run(side.policy, side.argv, hooks);
  if (!closed.exchange(true)) close(side.fd);
}

// Located at the entry point the script wrote (the traceback may locate it better).
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
    out.fingerprint = j.value("fingerprint", "");
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
    std::string last = LastLine(server.stderr_data);
    if (!server.reason.empty()) f.message += "; the model server " + server.reason;
    if (!last.empty()) f.message += ": " + last;
  }
  out.failure = f;
}

}  // namespace

Expected<Phase2Result> RunPhase2(const SeedContext& ctx) {
  int sv[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    return ErrnoError("socketpair", errno);
  }
  Side server, evaluator;
  server.fd = sv[0];
  evaluator.fd = sv[1];
  REFEREE_ASSIGN_OR_RETURN(server.policy, SidePolicy(ctx, true, server.fd));
  REFEREE_ASSIGN_OR_RETURN(evaluator.policy, SidePolicy(ctx, false, evaluator.fd));
  server.argv = {ctx.python, "-I", "/referee/referee_model_server.py", DumpJson(ServerConfig(ctx), -1)};
  evaluator.argv = {ctx.python, "-I", "/referee/referee_train_eval.py",
                    DumpJson(EvaluatorConfig(ctx), -1)};
  std::thread server_thread([&] { RunSide(server, ctx, false); });
  RunSide(evaluator, ctx, true);
  server_thread.join();
  if (!server.result) return server.result.error();
  if (!evaluator.result) return evaluator.result.error();
  const sb::RunResult& ev = *evaluator.result;
  const sb::RunResult& sv_run = *server.result;
  Phase2Result out;
  out.wall_s = std::max(ev.wall_time_s, sv_run.wall_time_s);
  if (sv_run.status == sb::RunStatus::kSetupError || ev.status == sb::RunStatus::kSetupError) {
    return UnavailableError("the evaluation sandbox did not start: " +
                            (ev.status == sb::RunStatus::kSetupError ? ev.reason : sv_run.reason));
  }
  Expected<Json> j = ParseJson(LastLine(ev.stdout_data, 1 << 20), "evaluator output");
  if (!j || !j->is_object()) {
    return InternalError("the trusted evaluator failed (" + ev.reason + "): " +
                         LastLine(ev.stderr_data));
  }
  Classify(ctx, *j, sv_run, out);
  if (!out.failure && !sv_run.violations.empty()) {
    out.failure = Fail(ctx, Verdict::kRejected, "sandbox-violation",
                       "forbidden system call while serving the model: " +
                           sv_run.violations.front().syscall);
  }
  if (!out.failure && out.scored_sha256 != ctx.data->scored_sha256) {
    return InternalError("the evaluator scored other tokens than were staged");
  }
  return out;
}

}  // namespace referee::training
