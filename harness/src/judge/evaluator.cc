#include "referee/harness/evaluator.h"

#include <sys/stat.h>
#include <time.h>

#include <filesystem>
#include <functional>
#include <future>
#include <thread>

#include "referee/base/clock.h"
#include "referee/base/file.h"
#include "referee/base/strings.h"
#include "referee/base/version.h"
#include "checks/candidate_session.h"
#include "timing/trusted_timing_cache.h"

namespace referee::harness {
namespace {


struct Measurement {
  std::optional<CheckFailure> failure;
  std::vector<double> samples;
  std::vector<double> sm_mhz;  // per sample; 0 where the worker sent no reading
  std::string stop_reason;
};

// Warm-up then adaptive sampling; every call goes through the same checked path. Hot mode
// picks its batch size from the warm-up (CandidateSession::EndWarmup).
// Reports one workload's phases to EvalOptions::progress, and its calls at most every 0.2 s.
class ProgressReporter final {
 public:
  ProgressReporter(const EvalOptions& options, std::string workload, int index, int count)
      : report_(options.progress) {
    p_.workload = std::move(workload);
    p_.index = index;
    p_.count = count;
  }
  void Phase(const char* phase, std::string verdict = "") {
    p_.phase = phase;
    p_.verdict = std::move(verdict);
    if (report_) report_(p_);
  }
  void Calls(int calls) {
    p_.calls = calls;
    double now = MonotonicSeconds();
    if (!report_ || now - last_ < 0.2) return;
    last_ = now;
    report_(p_);
  }
  std::function<void(int)> CallCounter() {
    return [this](int calls) { Calls(calls); };
  }

 private:
  std::function<void(const EvalProgress&)> report_;
  EvalProgress p_;
  double last_ = 0;
};

Measurement Measure(CandidateSession& s, const StoppingParams& p,
                    const std::function<void(int)>& on_call = {},
                    const std::vector<InputProbe>& probes = {}, bool precision = false) {
  Measurement m;
  std::vector<double> warmup;
  for (int i = 0; i < p.warmup_calls; ++i) {
    CallResult r = s.Call();
    if (on_call) on_call(s.calls());
    if (r.failure) {
      m.failure = r.failure;
      return m;
    }
    warmup.push_back(r.seconds);
  }
  s.EndWarmup(warmup);
  StdRelCriterion stop(p);
  double start = MonotonicSeconds();
  do {
    CallResult r = s.Call();
    if (r.failure) {
      m.failure = r.failure;
      return m;
    }
    m.samples.push_back(r.seconds);
    m.sm_mhz.push_back(r.sm_mhz.value_or(0));
    if (on_call) on_call(s.calls());
  } while (!stop.Done(m.samples, MonotonicSeconds() - start));
  m.stop_reason = stop.reason();
  // Untimed, once the candidate has passed every timed call (a cache or a switch fails there
  // first, as what it is).
  for (const InputProbe& probe : probes) {
    CallResult r = s.ProbeCall(probe);
    if (r.failure) {
      m.failure = r.failure;
      return m;
    }
  }
  if (precision) {
    CallResult r = s.PrecisionProbeCall();
    if (r.failure) m.failure = r.failure;
  }
  return m;
}

// KernelBench shapes come from the reference (`ref` must be up); other formats need none.
Expected<ConcreteWorkload> Concrete(const Task& task, const Workload& wl, ReferenceRunner* ref) {
  if (task.format == TaskFormat::kKernelBench) return ref->Describe(task);
  return Instantiate(task, wl);
}

// Starts a trusted program (reference or baseline) on the same kind of fresh inputs, for timing.
Expected<std::unique_ptr<CandidateSession>> StartTrusted(const Task& task, const Candidate& program,
                                                         const ConcreteWorkload& w,
                                                         const EvalOptions& options,
                                                         Launcher& plain) {
  REFEREE_ASSIGN_OR_RETURN(auto s, CandidateSession::Start(task, program, w, nullptr, options,
                                                           plain, /*timing_only=*/true));
  if (auto f = s->load_failure()) {
    return FailedPreconditionError(program.display_name + ": " + f->reason);
  }
  return s;
}

Expected<Summary> TimeTrusted(const Candidate& program, CandidateSession& s,
                              const EvalOptions& options) {
  Measurement m = Measure(s, options.stopping);
  std::optional<CheckFailure> late = s.Finish();
  if (!m.failure && late) m.failure = late;
  if (m.failure) return FailedPreconditionError(program.display_name + ": " + m.failure->reason);
  return Summarize(m.samples);
}

// Runs `start` on a thread of its own that stays alive until this object is destroyed, so
// that worker start-ups (python import, CUDA and CUPTI init: seconds each) overlap. The thread
// must outlive the worker it started: a plain worker's PR_SET_PDEATHSIG fires when the
// *thread* that forked it exits. Declare it before whatever receives the started worker.
template <typename T>
class BackgroundStart final {
 public:
  explicit BackgroundStart(std::function<T()> start)
      : result_future_(result_.get_future()),
        thread_([this, start = std::move(start)] {
          result_.set_value(start());
          release_.get_future().wait();
        }) {}
  ~BackgroundStart() {
    release_.set_value();
    thread_.join();
  }
  BackgroundStart(const BackgroundStart&) = delete;
  BackgroundStart& operator=(const BackgroundStart&) = delete;
  T Get() { return result_future_.get(); }

 private:
  std::promise<T> result_;
  std::future<T> result_future_;
  std::promise<void> release_;
  std::thread thread_;  // last: started once the promises exist
};

// The reference as a timed program: its file, its inline source written out (SOL-ExecBench),
// or the KernelBench problem's Model.
Expected<Candidate> ReferenceAsProgram(const Task& task) {
  Candidate c{CandidateKind::kPython, task.reference_path, task.reference_entry, false,
              "reference", ""};
  c.reference_role = task.format == TaskFormat::kKernelBench;
  if (!task.reference_code.empty()) {
    char tmpl[] = "/tmp/referee-reference-XXXXXX";
    if (!mkdtemp(tmpl)) return ErrnoError("mkdtemp", errno);
    chmod(tmpl, 0755);
    c.scratch_dir = tmpl;
    c.path = c.scratch_dir + "/reference.py";
    REFEREE_RETURN_IF_ERROR(WriteFile(c.path, task.reference_code));
  }
  return c;
}

void Score(const Task& task, const ConcreteWorkload& w, const EvalOptions& options,
           WorkloadResult& r) {
  DevicePeaks peaks = options.peaks.value_or(DefaultCpuPeaks());
  r.flops = w.flops;
  r.bytes = w.bytes;
  r.roofline = ComputeRoofline(w.flops, w.bytes, peaks);
  if (r.candidate.median < r.roofline.floor_s) {
    r.passed = false;
    r.failure = {"below-roofline",
                 StrFormat("median %.3g s is below the roofline floor %.3g s (%.3g FLOP, %.3g B "
                           "at this device's peaks): impossible, so not measured honestly",
                           r.candidate.median, r.roofline.floor_s, w.flops, w.bytes)};
    return;
  }
  std::optional<double> base = r.baseline ? r.baseline->median
                               : r.reference ? std::optional<double>(r.reference->median)
                                             : std::nullopt;
  if (base) {
    r.sol_score = SolScore(r.candidate.median, r.roofline.sol_s, *base);
    r.sol_flag = r.candidate.median < r.roofline.sol_s;
    if (r.sol_score && *r.sol_score > 1) r.sol_flag = true;
  }
}

// What the report says the evaluation ran on (schema 2's `environment`). The software versions
// come from the trusted reference worker; the candidate's worker is never asked.
Json MakeEnvironment(const EvalOptions& options, const Json& software) {
  Json env = {{"referee_version", kVersion},
              {"device", options.placement.Name()},
              {"host_cpu", CpuDeviceName()},
              {"peaks_device", options.peaks ? options.peaks->device : DefaultCpuPeaks().device},
              {"software", software.is_null() ? Json::object() : software}};
  if (options.placement.on_gpu()) {
    std::string name = GpuDeviceName(*options.placement.gpu);
    if (name.rfind("cuda:", 0) == 0) name = name.substr(5);
    env["gpu"] = {{"index", *options.placement.gpu}, {"name", name}, {"driver", GpuDriverVersion()}};
  }
  return env;
}

}  // namespace

StoppingParams GpuStopping() {
  StoppingParams p;
  p.min_time_s = 0.1;
  p.max_samples = 500;
  return p;
}

StoppingParams QuickStopping() {
  StoppingParams p;
  p.warmup_calls = 2;
  p.min_samples = 6;
  p.min_time_s = 0.01;
  p.max_noise = 0.05;
  p.stability_window = 8;
  p.timeout_s = 3;
  p.max_samples = 60;
  return p;
}

namespace {

Expected<size_t> ReferenceArenaBytes(const Task& task, const Workload& wl) {
  if (task.format == TaskFormat::kKernelBench) return size_t{64} << 20;  // shapes unknown yet
  REFEREE_ASSIGN_OR_RETURN(ConcreteWorkload pre, Instantiate(task, wl));
  return ArenaBytesFor(pre);
}

using SessionStart = Expected<std::unique_ptr<CandidateSession>>;

// The reference's and the baseline's timing beside one workload: from the trusted-timing cache,
// or measured by workers started at once with the candidate's (Start), waited for before
// anything is timed (WaitStarted), and run after the candidate passed (Fill). Members in order
// of need: a BackgroundStart's thread must outlive the worker it started.
class TrustedTiming final {
 public:
  TrustedTiming(const Task& task, const ConcreteWorkload& w, const EvalOptions& options)
      : task_(task), w_(w), options_(options), plain_(MakePlainLauncher()) {}
  ~TrustedTiming() {
    std::error_code ec;
    if (reference_ && !reference_->scratch_dir.empty()) {
      std::filesystem::remove_all(reference_->scratch_dir, ec);
    }
  }

  Status Start() {
    if (!options_.time_reference) return OkStatus();
    REFEREE_ASSIGN_OR_RETURN(reference_, ReferenceAsProgram(task_));
    if (!task_.baseline_path.empty()) {
      baseline_ = Candidate{CandidateKind::kPython, task_.baseline_path, "run", false, "baseline",
                            ""};
    }
    // The files it depends on besides the workload: the programs and the task's definition.
    std::vector<std::string> files = {task_.dir + "/definition.json", reference_->path};
    if (baseline_) files.push_back(baseline_->path);
    key_ = TrustedTimingKey(w_, options_, files);
    cached_ = LoadTrustedTimings(options_.trusted_timing_dir, key_,
                                 options_.trusted_timing_max_age_s);
    if (cached_ && baseline_ && !cached_->baseline) cached_.reset();
    if (cached_) return OkStatus();
    reference_start_.emplace([this] { return StartProgram(*reference_); });
    if (baseline_) baseline_start_.emplace([this] { return StartProgram(*baseline_); });
    return OkStatus();
  }

  Status WaitStarted() {
    if (reference_start_) {
      REFEREE_ASSIGN_OR_RETURN(reference_session_, reference_start_->Get());
    }
    if (baseline_start_) {
      REFEREE_ASSIGN_OR_RETURN(baseline_session_, baseline_start_->Get());
    }
    return OkStatus();
  }

  // The timings into `r` (cached, or measured now and stored). `inputs` draws the task's
  // custom inputs (the reference runner: the timed programs get them as the candidate did).
  Status Fill(WorkloadResult& r, ReferenceRunner* inputs) {
    if (cached_) {
      r.reference = cached_->reference;
      r.baseline = cached_->baseline;
      r.trusted_timing_source = "cached";
      r.trusted_measured_at_unix = cached_->measured_at_unix;
      return OkStatus();
    }
    if (!reference_session_) return OkStatus();
    reference_session_->set_input_source(inputs);
    if (baseline_session_) baseline_session_->set_input_source(inputs);
    double t0 = MonotonicSeconds();
    REFEREE_ASSIGN_OR_RETURN(r.reference, TimeTrusted(*reference_, *reference_session_, options_));
    if (baseline_session_) {
      REFEREE_ASSIGN_OR_RETURN(r.baseline, TimeTrusted(*baseline_, *baseline_session_, options_));
    }
    r.phase_s["trusted"] = MonotonicSeconds() - t0;
    r.trusted_timing_source = "measured";
    StoreTrustedTimings(options_.trusted_timing_dir, key_,
                        TrustedTimings{r.reference, r.baseline, 0});
    return OkStatus();
  }

 private:
  SessionStart StartProgram(const Candidate& program) {
    return StartTrusted(task_, program, w_, options_, *plain_);
  }

  const Task& task_;
  const ConcreteWorkload& w_;
  const EvalOptions& options_;
  std::unique_ptr<Launcher> plain_;
  std::optional<Candidate> reference_, baseline_;
  std::string key_;
  std::optional<TrustedTimings> cached_;
  std::optional<BackgroundStart<SessionStart>> reference_start_, baseline_start_;
  std::unique_ptr<CandidateSession> reference_session_, baseline_session_;
};

// Starts the candidate's session: on the CPU after the reference runner is up (the check of
// threads started at load compares with the reference's), on the GPU at once (its thread
// baseline is taken after warm-up) and given the reference when that is up.
Expected<std::unique_ptr<CandidateSession>> StartCandidate(
    const Task& task, const Candidate& candidate, const ConcreteWorkload& w,
    const EvalOptions& options, Launcher& launcher,
    BackgroundStart<Expected<std::unique_ptr<ReferenceRunner>>>& ref_start,
    std::unique_ptr<ReferenceRunner>& ref) {
  if (!ref && !options.make_traced_timer) {
    REFEREE_ASSIGN_OR_RETURN(ref, ref_start.Get());
  }
  REFEREE_ASSIGN_OR_RETURN(auto s, CandidateSession::Start(task, candidate, w, ref.get(), options,
                                                           launcher, false));
  if (!ref) {
    REFEREE_ASSIGN_OR_RETURN(ref, ref_start.Get());
    s->set_reference(ref.get());
  }
  return s;
}

// One workload: a fresh candidate worker, the checked measurement, then (if it passed) the
// reference and baseline timings and the scores. The reference runner, the candidate and the
// trusted timing workers start at once (each start-up is seconds on the GPU); nothing is timed
// until all of them are up, so the measurement does not share the machine with a start-up.
Expected<WorkloadResult> EvaluateWorkload(const Task& task, const Candidate& candidate,
                                          const Workload& wl, const EvalOptions& options,
                                          Launcher& launcher, Json& software,
                                          ProgressReporter& progress) {
  double t0 = MonotonicSeconds();
  progress.Phase("starting workers");
  REFEREE_ASSIGN_OR_RETURN(size_t arena, ReferenceArenaBytes(task, wl));
  BackgroundStart<Expected<std::unique_ptr<ReferenceRunner>>> ref_start(
      [&] { return ReferenceRunner::Start(task, arena, options.placement, options.programs); });
  std::unique_ptr<ReferenceRunner> ref;
  if (task.format == TaskFormat::kKernelBench) {
    REFEREE_ASSIGN_OR_RETURN(ref, ref_start.Get());  // the shapes come from the reference
  }
  REFEREE_ASSIGN_OR_RETURN(ConcreteWorkload w, Concrete(task, wl, ref.get()));
  TrustedTiming trusted(task, w, options);
  REFEREE_RETURN_IF_ERROR(trusted.Start());
  WorkloadResult r;
  r.name = w.name;
  REFEREE_ASSIGN_OR_RETURN(auto s,
                           StartCandidate(task, candidate, w, options, launcher, ref_start, ref));
  REFEREE_RETURN_IF_ERROR(trusted.WaitStarted());
  r.phase_s["start"] = MonotonicSeconds() - t0;
  // The software the evaluation ran on, as the trusted reference worker saw it.
  if (software.is_null() && ref->worker().hello().contains("env")) {
    software = ref->worker().hello()["env"];
  }
  if (auto f = s->load_failure()) {
    r.failure = *f;
    return r;
  }
  double t1 = MonotonicSeconds();
  progress.Phase("measuring");
  std::vector<InputProbe> probes;
  if (task.robustness_scale > 0) probes = DefaultProbes(task.robustness_scale);
  Measurement m = Measure(*s, options.stopping, progress.CallCounter(), probes,
                          task.precision_probe);
  r.nonce = s->nonce();
  r.calls = s->calls();
  r.full_checks = s->full_checks();
  r.samples = m.samples;
  r.repeat = s->repeat();
  r.sm_clock = FlagThrottled(m.sm_mhz);
  r.stop_reason = m.stop_reason;
  r.channel_overhead_s = s->timer_overhead_s();
  for (const auto& [step, seconds] : s->call_phase_s()) r.phase_s["call." + step] = seconds;
  std::optional<CheckFailure> late = s->Finish();
  r.phase_s["candidate"] = MonotonicSeconds() - t1;
  if (!m.failure && late) m.failure = late;
  if (m.failure && m.failure->check == "reference") {
    return FailedPreconditionError("the reference failed: " + m.failure->reason);
  }
  if (m.failure) {
    r.failure = *m.failure;
    return r;
  }
  r.passed = true;
  r.candidate = Summarize(m.samples);
  progress.Phase("timing the reference");
  REFEREE_RETURN_IF_ERROR(trusted.Fill(r, ref.get()));
  Score(task, w, options, r);
  return r;
}

}  // namespace

Expected<EvalReport> Evaluate(const Task& task, const Candidate& candidate,
                              const EvalOptions& options) {
  EvalReport report;
  report.task = task.name;
  report.candidate = candidate.display_name;
  report.device = options.placement.Name();
  report.mode = options.cold ? "cold" : "hot";
  report.peaks_source = options.peaks ? options.peaks->measured_at : "builtin-default";
  std::unique_ptr<Launcher> plain = MakePlainLauncher();
  Launcher& launcher = options.candidate_launcher ? *options.candidate_launcher : *plain;
  report.launcher = launcher.name();
  report.passed = true;
  Json software;
  int index = 0, count = static_cast<int>(task.workloads.size());
  for (const Workload& wl : task.workloads) {
    ProgressReporter progress(options, wl.name, ++index, count);
    Expected<WorkloadResult> evaluated =
        EvaluateWorkload(task, candidate, wl, options, launcher, software, progress);
    report.environment = MakeEnvironment(options, software);
    if (!evaluated) return evaluated.error();
    WorkloadResult r = std::move(*evaluated);
    progress.Phase("done", r.passed ? "PASS" : r.failure.check);
    bool passed = r.passed;
    if (!passed) {
      report.passed = false;
      report.failure = r.failure;
    }
    report.workloads.push_back(std::move(r));
    if (!passed) break;  // a rejected candidate is not timed further
  }
  if (!candidate.scratch_dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(candidate.scratch_dir, ec);
  }
  return report;
}

Expected<CompareReport> Compare(const Task& task, const Candidate& a, const Candidate& b,
                                const EvalOptions& options, double alpha, double delta) {
  CompareReport rep;
  rep.task = task.name;
  rep.a = a.display_name;
  rep.b = b.display_name;
  const Workload& wl = task.workloads.front();
  REFEREE_ASSIGN_OR_RETURN(size_t arena, ReferenceArenaBytes(task, wl));
  REFEREE_ASSIGN_OR_RETURN(auto ref, ReferenceRunner::Start(task, arena, options.placement,
                                                            options.programs));
  const Json& hello = ref->worker().hello();
  rep.environment = MakeEnvironment(options, hello.contains("env") ? hello["env"] : Json());
  REFEREE_ASSIGN_OR_RETURN(ConcreteWorkload w, Concrete(task, wl, ref.get()));
  rep.workload = w.name;
  std::unique_ptr<Launcher> plain = MakePlainLauncher();
  Launcher& launcher = options.candidate_launcher ? *options.candidate_launcher : *plain;
  REFEREE_ASSIGN_OR_RETURN(auto sa, CandidateSession::Start(task, a, w, ref.get(), options,
                                                            launcher, false));
  REFEREE_ASSIGN_OR_RETURN(auto sb, CandidateSession::Start(task, b, w, ref.get(), options,
                                                            launcher, false));
  CandidateSession* sessions[2] = {sa.get(), sb.get()};
  const char* names[2] = {"A", "B"};
  for (int k = 0; k < 2; ++k) {
    if (auto f = sessions[k]->load_failure()) {
      rep.failure = {f->check, std::string(names[k]) + ": " + f->reason, f->evidence};
      return rep;
    }
  }
  // One block = median of `block` calls; pairs alternate order (A B, B A, ...) to cancel drift.
  int block = std::max(3, options.stopping.min_samples);
  auto run_block = [&](int k, double& median) -> bool {
    std::vector<double> t;
    for (int i = 0; i < block; ++i) {
      CallResult r = sessions[k]->Call();
      if (r.failure) {
        rep.failure = {r.failure->check, std::string(names[k]) + ": " + r.failure->reason,
                       r.failure->evidence};
        return false;
      }
      t.push_back(r.seconds);
    }
    median = Summarize(t).median;
    return true;
  };
  for (int k = 0; k < 2; ++k) {
    std::vector<double> warmup(1);
    for (int i = 0; i < options.stopping.warmup_calls; ++i) {
      if (!run_block(k, warmup[0])) return rep;
    }
    sessions[k]->EndWarmup(warmup);
  }
  const int looks[] = {3, 6, 10};
  int pair = 0;
  for (int look : looks) {
    for (; pair < look; ++pair) {
      double m[2];
      int first = pair % 2;
      if (!run_block(first, m[first]) || !run_block(1 - first, m[1 - first])) return rep;
      rep.a_medians.push_back(m[0]);
      rep.b_medians.push_back(m[1]);
    }
    rep.result = ComparePaired(rep.a_medians, rep.b_medians, alpha / 3, delta);
    if (rep.result.verdict != PairedVerdict::kUndecided) break;
  }
  // The end-of-trace verdicts: work either candidate left running after its last call.
  for (int k = 0; k < 2; ++k) {
    if (std::optional<CheckFailure> late = sessions[k]->Finish()) {
      rep.failure = {late->check, std::string(names[k]) + ": " + late->reason, late->evidence};
      return rep;
    }
  }
  rep.valid = true;
  return rep;
}

}  // namespace referee::harness
