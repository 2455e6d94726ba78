// RunTrainEval: the audit first, then each of Referee's seeds through phase 1 and phase 2,
// then the variance protocol (docs/training.md).
#include "referee/training/evaluation.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "acceptance.h"
#include "referee/base/file.h"
#include "referee/base/strings.h"
#include "seed_run.h"

namespace referee::training {
namespace {

namespace fs = std::filesystem;

std::string DefaultPython() {
  const char* p = getenv("REFEREE_PYTHON");
  return p && p[0] == '/' ? p : "/usr/bin/python3";
}

uint64_t SplitMix(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Referee's seeds: from --seed (reproducible; the same list pairs two runs) or fresh entropy.
std::vector<uint64_t> ChooseSeeds(int n, std::optional<uint64_t> base) {
  uint64_t state = base ? *base : (static_cast<uint64_t>(std::random_device{}()) << 32) ^
                                      std::random_device{}();
  std::vector<uint64_t> seeds;
  while (static_cast<int>(seeds.size()) < n) {
    uint64_t s = SplitMix(state) & 0x7fffffff;
    if (std::find(seeds.begin(), seeds.end(), s) == seeds.end()) seeds.push_back(s);
  }
  return seeds;
}

// The run directory under /tmp (0755: the sandbox user must reach it), removed at the end.
class RunDir final {
 public:
  static Expected<RunDir> Make(bool keep) {
    char tmpl[] = "/tmp/referee-train-XXXXXX";
    if (mkdtemp(tmpl) == nullptr) return ErrnoError("mkdtemp", errno);
    chmod(tmpl, 0755);
    return RunDir(tmpl, keep);
  }
  RunDir(RunDir&& o) noexcept : path_(std::move(o.path_)), keep_(o.keep_) { o.path_.clear(); }
  ~RunDir() {
    std::error_code ec;
    if (!path_.empty() && !keep_) fs::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  RunDir(std::string p, bool keep) : path_(std::move(p)), keep_(keep) {}
  std::string path_;
  bool keep_;
};

// The trusted Python files, copied into the run (reachable by the sandbox user, and fixed for
// the whole evaluation).
Status CopyEvaluator(const std::string& from, const std::string& to) {
  fs::create_directories(to);
  chmod(to.c_str(), 0755);
  for (const char* f : {"referee_train_eval.py", "referee_model_server.py",
                        "referee_train_protocol.py"}) {
    REFEREE_ASSIGN_OR_RETURN(std::string text, ReadFile(from + "/" + f));
    REFEREE_RETURN_IF_ERROR(WriteFile(to + "/" + f, text));
    chmod((to + "/" + f).c_str(), 0644);
  }
  return OkStatus();
}

struct Run {
  const TrainEvalOptions& options;
  TrainingTask task;
  TrainEvalReport report;
  Workspace workspace;
  StagedData data;
  std::string run_dir, python, python_dir;
  harness::Placement placement;
  uint32_t sandbox_id = 0;
};

void Stop(Run& run, Failure failure) {
  if (!run.report.failure) {
    run.report.verdict = failure.verdict;
    run.report.failure = std::move(failure);
  }
}

// Error-severity findings in the gate mode stop the evaluation; all are reported.
void Audit(Run& run, const std::vector<std::string>& files, const std::string& root,
           const std::string& shown_root) {
  const TrainEvalOptions& o = run.options;
  if (!o.audit || o.audit_mode == AuditMode::kOff || files.empty()) return;
  AuditRequest req{files, root,
                   run.task.audit_config.empty() ? "" : run.task.dir + "/" + run.task.audit_config,
                   run.task.fixed};
  Expected<AuditReport> got = o.audit(req);
  run.report.audit_ran = true;
  if (!got) {
    run.report.audit_errors.push_back(got.error().ToString());
    return;
  }
  for (AuditFinding f : got->findings) {
    if (StartsWith(f.path, root + "/")) f.path = shown_root + f.path.substr(root.size());
    run.report.audit_findings.push_back(f);
    if (o.audit_mode == AuditMode::kGate && f.severity == "error" && !run.report.failure) {
      Stop(run, Failure{Verdict::kRejected, "static-audit", f.message + " [" + f.rule_id + "]",
                        SourceLoc{f.path, f.line, f.col}});
    }
  }
  for (const std::string& e : got->errors) run.report.audit_errors.push_back(e);
  run.report.rule_set_hash = got->rule_set_hash;
}

std::vector<std::string> PythonFiles(const std::string& dir, const std::vector<std::string>& rels) {
  std::vector<std::string> out;
  for (const std::string& r : rels) {
    if (EndsWith(r, ".py")) out.push_back(dir + "/" + r);
  }
  return out;
}

std::vector<std::string> OutputPythonFiles(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".py") out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Per-sequence losses that agree to 1e-4 (relative RMS): the same run, whatever GPU atomics
// changed in the last bits. Different seeds differ by far more (docs/training.md).
bool NearlyIdentical(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.empty() || a.size() != b.size()) return false;
  double diff = 0, norm = 0;
  for (size_t i = 0; i < a.size(); ++i) {
    diff += (a[i] - b[i]) * (a[i] - b[i]);
    norm += a[i] * a[i];
  }
  return diff <= 1e-8 * norm;
}

// Runs with different seeds must differ: an identical checkpoint or (nearly) identical
// per-sequence losses mean the script ignores Referee's seed (or picks its own).
std::optional<Failure> SeedIgnored(const Run& run, const SeedResult& s) {
  for (const SeedResult& prev : run.report.seeds) {
    bool same_output = !s.output_sha256.empty() && prev.output_sha256 == s.output_sha256;
    bool same_losses = NearlyIdentical(prev.sequence_nll, s.sequence_nll);
    if (!same_output && !same_losses) continue;
    return Failure{Verdict::kRejected, "seed-ignored",
                   StrFormat("seeds %llu and %llu gave %s: the script ignores REFEREE_SEED "
                             "(or picks its own); every seed must give its own run",
                             static_cast<unsigned long long>(prev.seed),
                             static_cast<unsigned long long>(s.seed),
                             same_output ? "an identical checkpoint" : "the same losses"),
                   SourceLoc{run.options.candidate_dir + "/" + run.task.script}};
  }
  return std::nullopt;
}

void Merge(SeedResult& s, const PhaseResult& p) {
  s.checks.insert(s.checks.end(), p.checks.begin(), p.checks.end());
  s.notes.insert(s.notes.end(), p.notes.begin(), p.notes.end());
  if (p.failure) {
    s.verdict = p.failure->verdict;
    s.failure = p.failure;
    s.checks.push_back({p.failure->check, false, p.failure->message});
  }
}

SeedContext Context(Run& run, int index, int seeds, uint64_t seed, double budget) {
  SeedContext c;
  c.task = &run.task;
  c.workspace = &run.workspace;
  c.data = &run.data;
  c.run_dir = run.run_dir;
  c.output_dir = StrFormat("%s/seed-%d/output", run.run_dir.c_str(), index);
  c.python = run.python;
  c.python_dir = run.python_dir;
  c.candidate_dir = run.options.candidate_dir;
  c.device = run.placement.worker_device();
  c.gpu = run.placement.gpu.value_or(0);
  c.seed = seed;
  c.nonce = seed * 0x9e3779b97f4a7c15ULL + 17;
  c.budget_s = budget;
  c.index = index;
  c.seeds = seeds;
  c.sandbox_id = run.sandbox_id;
  c.progress = run.options.progress;
  return c;
}

// One seed; returns an error only for host problems.
Status RunSeed(Run& run, const SeedContext& ctx) {
  auto t0 = std::chrono::steady_clock::now();
  SeedResult s;
  s.index = ctx.index;
  s.seed = ctx.seed;
  // Phase 2's sandboxes start now, so that their start-up overlaps the training.
  REFEREE_RETURN_IF_ERROR(MakeOutputDir(ctx));
  REFEREE_ASSIGN_OR_RETURN(std::unique_ptr<Phase2> phase2, Phase2::Start(ctx));
  REFEREE_ASSIGN_OR_RETURN(Phase1Result p1, RunPhase1(ctx));
  Merge(s, p1);
  s.train_wall_s = p1.wall_s;
  s.output_bytes = p1.output_bytes;
  s.output_sha256 = p1.output_sha256;
  if (!s.failure && ctx.index == 1) {
    Audit(run, OutputPythonFiles(ctx.output_dir), ctx.output_dir, "<output>");
  }
  if (!s.failure && !run.report.failure) {
    REFEREE_ASSIGN_OR_RETURN(Phase2Result p2, RunPhase2(ctx, *phase2));
    Merge(s, p2);
    s.eval_wall_s = p2.wall_s;
    s.metric = p2.metric;
    s.nll_nats_per_token = p2.nll_nats_per_token;
    s.tokens = p2.tokens;
    s.load_s = p2.load_s;
    s.scoring_s = p2.scoring_s;
    s.torch_version = p2.torch_version;
    if (run.report.torch_version.empty()) run.report.torch_version = p2.torch_version;
    s.fingerprint = p2.fingerprint;
    s.sequence_nll = p2.sequence_nll;
  }
  phase2.reset();
  if (!s.failure && !run.report.failure) {
    if (auto f = SeedIgnored(run, s)) Merge(s, PhaseResult{{}, f, {}, 0});
  }
  s.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (s.failure) Stop(run, *s.failure);
  if (ctx.progress) {
    Progress p{ctx.index, ctx.seeds, "done", s.wall_s, 0, s.metric,
               s.failure ? s.failure->check : "ok"};
    ctx.progress(p);
  }
  run.report.seeds.push_back(std::move(s));
  return OkStatus();
}

Status Prepare(Run& run) {
  const TrainEvalOptions& o = run.options;
  run.python = o.python.empty() ? DefaultPython() : o.python;
  run.placement = o.placement ? *o.placement
                              : (run.task.device == "cuda" ? harness::Placement::Gpu(0)
                                                           : harness::Placement::Cpu());
  run.sandbox_id = 56000 + static_cast<uint32_t>(getpid() % 1300) * 3;
  REFEREE_ASSIGN_OR_RETURN(run.workspace, PrepareWorkspace(run.task, o.candidate_dir, run.run_dir));
  REFEREE_ASSIGN_OR_RETURN(run.data, StageData(run.task, run.run_dir, run.python));
  run.python_dir = run.run_dir + "/referee";
  return CopyEvaluator(o.python_dir.empty() ? REFEREE_TRAINING_PYTHON_DIR : o.python_dir,
                       run.python_dir);
}

void FillHeader(Run& run) {
  TrainEvalReport& r = run.report;
  const TrainingTask& t = run.task;
  r.task_name = t.name;
  r.task_path = t.path;
  r.candidate_dir = run.options.candidate_dir;
  r.device = run.placement.Name();
  r.mode = t.mode;
  r.metric_name = MetricName(t.metric.kind);
  r.budget_s = run.options.budget_s.value_or(t.budget_s);
  r.budget_overridden = run.options.budget_s.has_value();
  r.grace_s = t.grace_s;
  r.target = t.target;
  r.validation_sha256 = run.data.scored_sha256;
  for (const std::string& f : run.workspace.ignored) {
    r.notes.push_back("ignored " + f + ": neither editable nor a fixed file of the task");
  }
}

void Conclude(Run& run, const Incumbent* incumbent) {
  TrainEvalReport& r = run.report;
  std::vector<double> metrics, times;
  for (const SeedResult& s : r.seeds) {
    if (!s.metric) continue;
    metrics.push_back(*s.metric);
    times.push_back(s.train_wall_s);
  }
  r.metric = AggregateOf(metrics);
  r.time = AggregateOf(times);
  if (r.failure) return;
  r.tests = AcceptanceTests(run.task, r, incumbent);
  if (r.tests.empty()) {
    r.notes.push_back("no acceptance test: the task sets no threshold and no incumbent was given");
  }
  for (const AcceptanceTest& a : r.tests) {
    if (a.passed) continue;
    Stop(run, Failure{Verdict::kFail, "acceptance",
                      StrFormat("not shown: %s (%s, n=%zu, p=%.3g >= alpha %g)", a.goal.c_str(),
                                a.test.name.c_str(), a.test.n, a.test.p, a.alpha),
                      SourceLoc{run.options.candidate_dir}});
  }
}

}  // namespace

const char* VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kPass: return "PASS";
    case Verdict::kFail: return "FAIL";
    case Verdict::kRejected: return "REJECTED";
    case Verdict::kError: return "ERROR";
  }
  return "ERROR";
}

std::string Failure::Line() const {
  return Status(StatusCode::kFailedPrecondition, message, loc).ToString() + " [" + check + "]";
}

Expected<TrainEvalReport> RunTrainEval(const TrainEvalOptions& options) {
  REFEREE_ASSIGN_OR_RETURN(TrainingTask task, LoadTrainingTask(options.task_dir));
  REFEREE_ASSIGN_OR_RETURN(RunDir dir, RunDir::Make(options.keep_run_dir));
  Run run{options, std::move(task), {}, {}, {}, dir.path(), "", "", {}, 0};
  REFEREE_RETURN_IF_ERROR(Prepare(run));
  FillHeader(run);
  if (options.keep_run_dir) run.report.notes.push_back("run directory kept: " + run.run_dir);
  std::optional<Incumbent> incumbent;
  if (!options.incumbent_report.empty()) {
    REFEREE_ASSIGN_OR_RETURN(incumbent, LoadIncumbent(options.incumbent_report, run.report));
  }
  if (!run.workspace.changed_fixed.empty()) {
    Stop(run, Failure{Verdict::kRejected, "fixed-file-changed",
                      "the candidate's copy of fixed file " + run.workspace.changed_fixed.front() +
                          " differs from the task's (the task's copy is what runs)",
                      SourceLoc{options.candidate_dir + "/" + run.workspace.changed_fixed.front()}});
  }
  Audit(run, PythonFiles(run.workspace.dir, run.workspace.editable), run.workspace.dir,
        options.candidate_dir);
  int n = options.seeds > 0 ? options.seeds : run.task.acceptance.seeds;
  if (incumbent && !options.seed && options.seeds <= 0) n = static_cast<int>(incumbent->seeds.size());
  std::vector<uint64_t> seeds = ChooseSeeds(n, options.seed);
  for (size_t i = 0; i < seeds.size() && !run.report.failure; ++i) {
    SeedContext ctx = Context(run, static_cast<int>(i) + 1, n, seeds[i], run.report.budget_s);
    REFEREE_RETURN_IF_ERROR(RunSeed(run, ctx));
  }
  Conclude(run, incumbent ? &*incumbent : nullptr);
  return std::move(run.report);
}

}  // namespace referee::training
