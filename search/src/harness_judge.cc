#include "referee/search/harness_judge.h"

#include <time.h>

#include <cmath>
#include <filesystem>
#include <map>

namespace referee::search {
namespace {

using namespace referee::harness;

double MonoS() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Standard error of log(median) from the 95% interval of the median.
double LogSe(const Summary& s) {
  if (s.ci_low <= 0 || s.ci_high <= 0) return 0;
  return (std::log(s.ci_high) - std::log(s.ci_low)) / (2 * 1.96);
}

void FillMetric(const EvalReport& r, Evaluation& e) {
  double log_sum = 0, se2 = 0, sol_log = 0;
  int n = 0, sols = 0;
  for (const WorkloadResult& w : r.workloads) {
    if (w.candidate.median <= 0) continue;
    log_sum += std::log(w.candidate.median);
    se2 += LogSe(w.candidate) * LogSe(w.candidate);
    for (double s : w.samples) e.timed_s += s * w.repeat;
    if (w.sol_score && *w.sol_score > 0) {
      sol_log += std::log(*w.sol_score);
      ++sols;
    }
    ++n;
  }
  if (n > 0) {
    e.metric = std::exp(log_sum / n);
    e.metric_se = std::sqrt(se2) / n;
  }
  if (sols > 0 && sols == n) e.sol_score = std::exp(sol_log / sols);
}

// harness Compare() runs on the task's first workload: put the heaviest first.
Task HeaviestFirst(Task t) {
  if (t.format == TaskFormat::kKernelBench || t.workloads.size() < 2) return t;
  size_t best = 0;
  double most = -1;
  for (size_t i = 0; i < t.workloads.size(); ++i) {
    Expected<ConcreteWorkload> w = Instantiate(t, t.workloads[i]);
    double bytes = 0;
    if (w) {
      for (const ConcreteTensor& x : w->inputs) bytes += static_cast<double>(x.nbytes());
      for (const ConcreteTensor& x : w->outputs) bytes += static_cast<double>(x.nbytes());
    }
    if (bytes > most) {
      most = bytes;
      best = i;
    }
  }
  std::swap(t.workloads[0], t.workloads[best]);
  return t;
}

Evaluation BuildFailure(const Status& s) {
  Evaluation e;
  e.verdict = JudgeVerdict::kFail;
  e.check = "build";
  e.reason = s.ToString();
  e.report = {{"stage", "build"}, {"verdict", "FAIL"}, {"reason", e.reason}};
  return e;
}

class HarnessJudge final : public search::Judge {
 public:
  HarnessJudge(HarnessJudgeOptions o, Task task, std::unique_ptr<harness::Judge> full)
      : o_(std::move(o)), task_(std::move(task)), heaviest_(HeaviestFirst(task_)) {
    judges_[{2, 0}] = std::move(full);
  }
  ~HarnessJudge() override {
    std::error_code ec;
    for (auto& [path, c] : built_) {
      if (!c.scratch_dir.empty()) std::filesystem::remove_all(c.scratch_dir, ec);
    }
  }
  std::string name() const override { return "harness"; }

  Expected<Evaluation> Build(const EvalRequest& r) override {
    double t0 = MonoS();
    Expected<Candidate*> c = Resolve(r.candidate_path);
    if (!c) return BuildFailure(c.error());
    Evaluation e;
    e.cost_s = MonoS() - t0;
    e.report = {{"stage", "build"}, {"verdict", "PASS"}};
    return e;
  }

  Expected<Evaluation> Evaluate(const EvalRequest& r) override {
    Expected<Candidate*> c = Resolve(r.candidate_path);
    if (!c) return BuildFailure(c.error());
    (*c)->display_name = r.display_name.empty() ? r.candidate_path : r.display_name;
    Task task = task_;
    if (r.level != EvalLevel::kFull)
      task.workloads.resize(std::min<size_t>(1, task.workloads.size()));
    REFEREE_ASSIGN_OR_RETURN(harness::Judge * judge, For(r.level, r.rung));
    double t0 = MonoS();
    Expected<EvalReport> rep = judge->Evaluate(task, **c);
    Evaluation e;
    e.cost_s = MonoS() - t0;
    if (!rep) return rep.error();
    e.report = ReportToJson(*rep);
    if (!rep->passed) {
      e.verdict = JudgeVerdict::kFail;
      e.check = rep->failure.check;
      e.reason = rep->failure.reason;
      e.failed_call = FailedCallIndex(e.reason);
      return e;
    }
    FillMetric(*rep, e);
    return e;
  }

  Expected<Comparison> Compare(const CompareRequest& r) override {
    REFEREE_ASSIGN_OR_RETURN(Candidate * a, Resolve(r.a_path));
    Candidate ca = *a;
    REFEREE_ASSIGN_OR_RETURN(Candidate * b, Resolve(r.b_path));
    Candidate cb = *b;
    ca.display_name = "A";
    cb.display_name = "B";
    REFEREE_ASSIGN_OR_RETURN(harness::Judge * judge, For(EvalLevel::kFull, 0));
    double t0 = MonoS();
    Expected<CompareReport> rep = judge->Compare(heaviest_, ca, cb, {r.alpha, r.delta});
    Comparison c;
    c.cost_s = MonoS() - t0;
    if (!rep) return rep.error();
    c.report = CompareToJson(*rep);
    c.pairs = static_cast<int>(rep->a_medians.size());
    if (!rep->valid) {
      c.verdict = CompareVerdict::kInvalid;
      c.check = rep->failure.check;
      c.reason = rep->failure.reason;
      c.failed_side = c.reason.substr(0, 1);
      c.failed_call = FailedCallIndex(c.reason);
      return c;
    }
    c.looks = c.pairs <= 3 ? 1 : c.pairs <= 6 ? 2 : 3;
    c.ratio = rep->result.ratio();
    c.ci_low = std::exp(rep->result.ci_low);
    c.ci_high = std::exp(rep->result.ci_high);
    for (double m : rep->a_medians) c.timed_s += m;
    for (double m : rep->b_medians) c.timed_s += m;
    switch (rep->result.verdict) {
      case PairedVerdict::kFaster:
        c.verdict = CompareVerdict::kBetter;
        break;
      case PairedVerdict::kSlower:
        c.verdict = CompareVerdict::kWorse;
        break;
      case PairedVerdict::kSame:
        c.verdict = CompareVerdict::kSame;
        break;
      case PairedVerdict::kUndecided:
        c.verdict = CompareVerdict::kUndecided;
        break;
    }
    return c;
  }

 private:
  // One harness Judge per level of effort (their configs differ only in the stopping rule and
  // the reference timing), made when first needed.
  Expected<harness::Judge*> For(EvalLevel level, int rung) {
    std::pair<int, int> key{level == EvalLevel::kFull ? 2 : 1,
                            level == EvalLevel::kFull ? 0 : rung};
    auto it = judges_.find(key);
    if (it != judges_.end()) return it->second.get();
    JudgeConfig c = o_.config;
    StoppingParams p = QuickStopping();
    p.min_samples <<= rung;
    p.max_samples <<= rung;
    c.quick = true;
    c.stopping = p;
    c.time_reference = false;
    c.progress = nullptr;
    REFEREE_ASSIGN_OR_RETURN(std::unique_ptr<harness::Judge> j, harness::Judge::Create(c));
    return (judges_[key] = std::move(j)).get();
  }

  // Resolves and prepares (builds compiled candidates) once per path.
  Expected<Candidate*> Resolve(const std::string& path) {
    auto it = built_.find(path);
    if (it != built_.end()) return &it->second;
    REFEREE_ASSIGN_OR_RETURN(Candidate c, ResolveCandidate(path));
    REFEREE_ASSIGN_OR_RETURN(harness::Judge * full, For(EvalLevel::kFull, 0));
    REFEREE_RETURN_IF_ERROR(full->Prepare(c));
    return &built_.emplace(path, std::move(c)).first->second;
  }

  HarnessJudgeOptions o_;
  Task task_, heaviest_;
  std::map<std::pair<int, int>, std::unique_ptr<harness::Judge>> judges_;
  std::map<std::string, Candidate> built_;
};

}  // namespace

Expected<std::unique_ptr<search::Judge>> MakeHarnessJudge(const HarnessJudgeOptions& options,
                                                          std::vector<std::string>* warnings) {
  REFEREE_ASSIGN_OR_RETURN(Task task, LoadTask(options.task_dir));
  REFEREE_ASSIGN_OR_RETURN(std::unique_ptr<harness::Judge> full,
                           harness::Judge::Create(options.config));
  if (warnings) *warnings = full->warnings();
  return std::unique_ptr<search::Judge>(
      new HarnessJudge(options, std::move(task), std::move(full)));
}

}  // namespace referee::search
