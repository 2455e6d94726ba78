// CandidateSession: one call of the candidate with fresh inputs and every check.
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "referee/base/clock.h"
#include "referee/base/strings.h"
#include "referee/harness/generate.h"
#include "referee/harness/sm_clock.h"
#include "candidate_session.h"
#include "slot_allocator.h"

namespace referee::harness {
namespace {

// The lines of [p, p + n) out of every cache level. x86-64: clflushopt where the processor has
// it (weakly ordered: 0.2 ms for 3 MiB here), else clflush (SSE2, every x86-64; 6 ms for 3 MiB:
// each waits for the last); EvictFence() orders them before the request.
#if defined(__x86_64__)
__attribute__((target("clflushopt"))) void EvictLinesOpt(const char* from, const char* end) {
  for (const char* at = from; at < end; at += 64) _mm_clflushopt(const_cast<char*>(at));
}
#endif

void EvictLines(const char* p, size_t n) {
#if defined(__x86_64__)
  static const bool has_opt = __builtin_cpu_supports("clflushopt");
  const char* from =
      reinterpret_cast<const char*>(reinterpret_cast<uintptr_t>(p) & ~uintptr_t{63});
  if (has_opt) return EvictLinesOpt(from, p + n);
  for (const char* at = from; at < p + n; at += 64) _mm_clflush(at);
#else
  (void)p;
  thread_local std::vector<char> scratch(64 << 20);  // per thread: judges on threads race else
  for (size_t i = 0; i < scratch.size(); i += 64) scratch[i] = static_cast<char>(i + n);
#endif
}

void EvictFence() {
#if defined(__x86_64__)
  _mm_mfence();
#endif
}

uint64_t DrawNonce() {
  uint64_t v = 0;
  if (getrandom(&v, sizeof(v), 0) != sizeof(v)) v = static_cast<uint64_t>(getpid()) * 0x9e37;
  return v;
}


}  // namespace

int MaxHotRepeat(size_t callset_bytes, const EvalOptions& options) {
  size_t by_memory = kHotBatchBytes / std::max<size_t>(callset_bytes, 1);
  size_t cap = static_cast<size_t>(std::max(1, options.hot_max_repeat));
  return static_cast<int>(std::clamp<size_t>(by_memory, 1, cap));
}

int ChooseHotRepeat(double per_call_s, int max_repeat, const EvalOptions& options) {
  int r = options.hot_repeat;
  if (r <= 0) {
    // Enough back-to-back invocations that the window is >= hot_window_s (launch gaps and
    // window overhead amortised); 10 when warm-up measured nothing.
    double want = per_call_s > 0 ? std::ceil(options.hot_window_s / per_call_s) : 10;
    r = static_cast<int>(std::min(want, 1e6));
  }
  return std::clamp(r, 1, std::max(1, max_repeat));
}

// "<check-id>: detail" from a timer (the CUPTI violations) keeps its id as the check.
CheckFailure TimerFailure(const Status& s) {
  const std::string& m = s.message();
  size_t colon = m.find(": ");
  bool id = colon != std::string::npos && colon > 0 && colon < 40;
  for (size_t i = 0; id && i < colon; ++i) id = (m[i] >= 'a' && m[i] <= 'z') || m[i] == '-';
  if (!id) return CheckFailure{"timer", m};
  return CheckFailure{m.substr(0, colon), m.substr(colon + 2)};
}

namespace {

// Adds the seconds since `since` to `total` and returns now.
double Lap(double since, double& total) {
  double now = MonotonicSeconds();
  total += now - since;
  return now;
}


}  // namespace

Expected<std::unique_ptr<CandidateSession>> CandidateSession::Start(
    const Task& task, const Candidate& candidate, const ConcreteWorkload& w,
    ReferenceRunner* reference, const EvalOptions& options, Launcher& launcher,
    bool timing_only) {
  std::unique_ptr<CandidateSession> s(new CandidateSession());
  s->w_ = &w;
  s->reference_ = s->inputs_ = reference;
  s->custom_inputs_entry_ = task.custom_inputs_entry;
  s->options_ = &options;
  s->timing_only_ = timing_only;
  s->checks_ = MakeCallChecks();
  size_t callset = CallsetBytes(w);
  s->hot_ = !options.cold;
  s->traced_ = static_cast<bool>(options.make_traced_timer);
  s->max_repeat_ = s->hot_ ? MaxHotRepeat(callset, options) : 1;
  size_t arena = ArenaBytesFor(w, s->max_repeat_);
  s->slots_ = std::make_unique<SlotAllocator>(arena, callset);
  WorkerSpec spec = CandidateWorkerSpec(candidate, task, arena, options.placement,
                                        options.cold, options.programs);
  spec.start_timeout_s = std::max(30.0, options.call_timeout_s);
  spec.memory_limit_bytes = options.memory_limit_bytes;
  if (options.make_traced_timer) {
    // The tracer must be in place before the worker starts (it is injected at CUDA init).
    REFEREE_ASSIGN_OR_RETURN(s->timer_, options.make_traced_timer(spec));
    // The reference and the baseline may be library calls; only a candidate is held to the
    // task's rule on whose kernels do the work.
    if (!timing_only) {
      KernelPolicy policy = task.kernel_policy;
      policy.require_own = policy.require_own || options.require_own_kernels;
      s->timer_->SetKernelPolicy(policy);
    }
  }
  WorkerFailure why;
  Expected<std::unique_ptr<Worker>> worker = Worker::Start(spec, launcher, &why);
  if (s->timer_) s->timer_->OnWorkerStarted();
  if (!worker) {
    s->load_failure_ = why.check.empty()
        ? CheckFailure{"load", "candidate failed to load: " + worker.error().message(), ""}
        : CheckFailure{why.check == "oom" ? "oom" : "load",
                       "candidate failed to load: " + why.reason, why.evidence};
    return s;
  }
  s->worker_ = std::move(*worker);
  // Baseline: the runtime's own threads (the trusted reference worker runs the same Python
  // runtime; the C++ runner is single-threaded). Threads started at import count as growth.
  s->baseline_threads_ = candidate.kind == CandidateKind::kPython && reference
                             ? std::max(1, reference->threads_at_load()) : 1;
  int at_load = s->worker_->ThreadCount();
  // On the GPU the CUDA runtime, the tracer and Triton's compiler start threads of their own,
  // lazily: the baseline is taken after the warm-up calls (EndWarmup). Until then work from a
  // candidate's threads is caught by the tracer's attribution alone.
  if (s->timer_) s->baseline_threads_ = 1 << 20;
  if (int escaped = s->worker_->EscapedProcessCount(); escaped > 0 && !timing_only) {
    s->load_failure_ = CheckFailure{"child-process", StrFormat(
        "%d process(es) alive in the candidate's sandbox outside the worker's tree after "
        "loading (a double fork at import)", escaped)};
    return s;
  }
  if (at_load > s->baseline_threads_ && !timing_only) {
    s->load_failure_ = CheckFailure{"thread-growth", StrFormat(
        "candidate started %d native threads while loading", at_load - s->baseline_threads_)};
    return s;
  }
  // The nonce is drawn only now, after the candidate is loaded (gpu-mode #167).
  s->nonce_ = options.nonce.value_or(DrawNonce());
  s->rng_.seed(s->nonce_);
  s->pick_rng_.seed(DrawNonce());
  s->hash_key_ = DrawNonce();
  if (!s->timer_) s->timer_ = options.make_timer ? options.make_timer() : MakeCpuClockTimer();
  Json sample = {{"op", "noop"}, {"inputs", Json::array()}, {"outputs", Json::array()}};
  for (const ConcreteTensor& t : w.inputs) sample["inputs"].push_back(TensorDescriptor(t, arena - 1));
  for (const ConcreteTensor& t : w.outputs) sample["outputs"].push_back(TensorDescriptor(t, arena - 1));
  // The channel's overhead comes from a worker the candidate cannot reach (timer.h); trusted
  // programs (timing-only sessions) measure themselves.
  std::unique_ptr<Worker> probe_owner;
  Worker* probe = nullptr;
  if (!timing_only) {
    REFEREE_ASSIGN_OR_RETURN(probe, OverheadProbe(candidate, reference, arena, options,
                                                  probe_owner));
  }
  if (Status st = s->timer_->PrepareFor(*s->worker_, sample, probe); !st.ok()) {
    const WorkerFailure* f = s->worker_->failure();
    s->load_failure_ = f ? CheckFailure{f->check, f->reason, f->evidence} : TimerFailure(st);
  }
  return s;
}

// The trusted worker whose no-op round trip stands for the channel's overhead: the reference
// worker for Python-worker candidates (the same program), a library-less kernel runner for
// shared-library candidates (started here, kept in `owner` while it is used).
Expected<Worker*> CandidateSession::OverheadProbe(const Candidate& candidate,
                                                  ReferenceRunner* reference, size_t arena,
                                                  const EvalOptions& options,
                                                  std::unique_ptr<Worker>& owner) {
  if (candidate.kind != CandidateKind::kSharedLibrary && reference) return &reference->worker();
  WorkerSpec spec;
  spec.arena_bytes = arena;
  spec.untrusted = false;
  spec.argv = {options.programs.kernel_runner, DumpJson(Json{{"arena_size", arena}}, -1)};
  std::unique_ptr<Launcher> plain = MakePlainLauncher();
  REFEREE_ASSIGN_OR_RETURN(owner, Worker::Start(spec, *plain));
  return owner.get();
}

// Cold mode on the CPU: the call's inputs and outputs, just written by this process, leave
// every cache level before the request (clflush evicts a line from all caches of the coherence
// domain, the worker's core included), so the candidate reads them from memory. Writing a
// 64 MiB scratch buffer instead cost ~6-9 ms a call and evicted nothing on a host whose LLC is
// larger (480 MiB on the CI machine's processor); elsewhere than x86-64 it is still that.
void CandidateSession::FlushCache(const std::vector<PendingCall>& batch) {
  const ConcreteWorkload& w = *w_;
  for (const PendingCall& p : batch) {
    for (size_t i = 0; i < w.inputs.size(); ++i) {
      if (!w.inputs[i].spec.is_scalar) EvictLines(worker_->arena() + p.in_off[i], w.inputs[i].nbytes());
    }
    for (size_t i = 0; i < w.outputs.size(); ++i) {
      EvictLines(worker_->arena() + p.out_off[i], w.outputs[i].nbytes());
    }
  }
  EvictFence();
}

std::optional<CheckFailure> CandidateSession::WorkerFailed() {
  const WorkerFailure* f = worker_->failure();
  CheckFailure out = f ? CheckFailure{f->check, f->reason, f->evidence}
                       : CheckFailure{"crash", "worker failed", ""};
  ExitInfo info = worker_->Stop();
  if (info.output_flooded) {
    out.check = "output-flood";
    if (out.reason.find("flood") == std::string::npos) {
      out.reason += "; output flood: more than 1 MiB written to stdout/stderr";
    }
  }
  return out;
}

// The custom inputs of one call, drawn by the trusted reference worker from a seed of this
// session's generator (so fresh every call and reproducible from the nonce); empty strings
// for the other inputs. None when the workload has no custom input.
Expected<std::vector<std::string>> CandidateSession::DrawCustomInputs() {
  bool any = false;
  for (const ConcreteTensor& t : w_->inputs) any = any || t.spec.generator.kind == "custom";
  if (!any) return std::vector<std::string>();
  if (!inputs_) return FailedPreconditionError("custom inputs need the reference worker");
  return inputs_->DrawCustomInputs(custom_inputs_entry_, *w_, rng_());
}

// Fresh values in fresh buffers for every call, timed calls included; outputs poisoned.
// Custom inputs come from the reference worker, safetensors inputs are the file's bytes
// (the same every call, in fresh buffers).
std::optional<CheckFailure> CandidateSession::PrepareCall(PendingCall& p) {
  const ConcreteWorkload& w = *w_;
  Expected<std::vector<std::string>> custom = DrawCustomInputs();
  if (!custom) return CheckFailure{"reference", custom.error().message()};
  p.inputs.resize(w.inputs.size());
  p.in_off.resize(w.inputs.size());
  p.out_off.resize(w.outputs.size());
  p.request = {{"op", "call"}, {"inputs", Json::array()}, {"outputs", Json::array()}};
  for (size_t i = 0; i < w.inputs.size(); ++i) {
    const ConcreteTensor& t = w.inputs[i];
    if (t.spec.is_scalar) {
      p.request["inputs"].push_back(Json{{"scalar", w.scalars.at(t.spec.name)}});
      continue;
    }
    if (!custom->empty() && t.spec.generator.kind == "custom") {
      p.inputs[i] = std::move((*custom)[i]);
    } else if (t.fixed) {
      p.inputs[i] = *t.fixed;
    } else {
      p.inputs[i].resize(t.nbytes());
      GenerateTensor(t, rng_, p.inputs[i].data());
    }
    if (probe_) ApplyProbe(t, *probe_, p.inputs[i].data());
    p.in_off[i] = slots_->Allocate(t.nbytes());
    std::memcpy(worker_->arena() + p.in_off[i], p.inputs[i].data(), t.nbytes());
    p.obs.input_hash_before.push_back(HashBytes(p.inputs[i].data(), t.nbytes(), hash_key_));
    p.request["inputs"].push_back(TensorDescriptor(t, p.in_off[i]));
  }
  for (size_t i = 0; i < w.outputs.size(); ++i) {
    const ConcreteTensor& t = w.outputs[i];
    p.out_off[i] = slots_->Allocate(t.nbytes());
    FillPoison(worker_->arena() + p.out_off[i], t.numel, t.spec.dtype);
    p.request["outputs"].push_back(TensorDescriptor(t, p.out_off[i]));
  }
  return std::nullopt;
}

// Hot mode: the batch's invocations in one request, in order; the worker runs them back to
// back in one timed window.
Json CandidateSession::BatchRequest(const std::vector<PendingCall>& batch) const {
  Json calls = Json::array();
  for (const PendingCall& p : batch) {
    calls.push_back(Json{{"inputs", p.request["inputs"]}, {"outputs", p.request["outputs"]}});
  }
  return Json{{"op", "batch"}, {"calls", std::move(calls)}};
}

// What the parent sees itself once the reply is in: /proc, input and output bytes.
void CandidateSession::Observe(PendingCall& p) {
  const ConcreteWorkload& w = *w_;
  p.obs.round_trip_s = timer_->last_round_trip_s();
  p.obs.threads_after = worker_->ThreadCount();
  p.obs.children_after = std::max(0, worker_->ChildCount());
  p.obs.escaped_after = std::max(0, worker_->EscapedProcessCount());
  for (size_t i = 0; i < w.inputs.size(); ++i) {
    if (w.inputs[i].spec.is_scalar) continue;
    p.obs.input_hash_after.push_back(
        HashBytes(worker_->arena() + p.in_off[i], w.inputs[i].nbytes(), hash_key_));
  }
  for (size_t i = 0; i < w.outputs.size(); ++i) {
    const ConcreteTensor& t = w.outputs[i];
    const char* data = worker_->arena() + p.out_off[i];
    p.obs.outputs.push_back({&t, data});
    p.obs.output_hash_at_return.push_back(HashBytes(data, t.nbytes(), hash_key_));
    p.poisoned = p.poisoned || FindPoison(data, t.numel, t.spec.dtype) < t.numel;
  }
  // Which calls are checked in full is decided now, after the call: at least the fraction.
  double u = std::uniform_real_distribution<double>(0, 1)(pick_rng_);
  p.obs.full_check = !timing_only_ &&
                     (probe_ != nullptr || precision_probe_ ||
                      u < options_->full_check_fraction ||
                      full_checks_ < options_->full_check_fraction * (p.obs.index + 1) ||
                      ReplaysAnEarlierOutput(p));
  if (p.obs.full_check) ++full_checks_;
}

// Output bytes identical to an earlier invocation's, for other input bytes: what a pointer or
// content cache returns (a replay). Honest outputs that do not depend on the input values
// repeat too, so this only forces the reference check on the invocation, which decides; every
// replay of a cache is checked, not a sampled quarter of them.
bool CandidateSession::ReplaysAnEarlierOutput(const PendingCall& p) {
  if (timing_only_ || p.poisoned || p.obs.output_hash_at_return.empty()) return false;
  const std::vector<uint64_t>& outs = p.obs.output_hash_at_return;
  const std::vector<uint64_t>& ins = p.obs.input_hash_before;
  uint64_t in = HashBytes(ins.data(), ins.size() * 8);
  auto [it, fresh] = outputs_seen_.emplace(HashBytes(outs.data(), outs.size() * 8), in);
  return !fresh && it->second != in;
}

// Every invocation of the window observed; then one delay and a re-read of the outputs of
// those poisoned or picked for a full check (work after return shows up as changed bytes).
void CandidateSession::ObserveBatch(std::vector<PendingCall>& batch) {
  bool reread = false;
  for (PendingCall& p : batch) {
    Observe(p);
    reread |= !timing_only_ && (p.poisoned || p.obs.full_check);
  }
  if (!reread) return;
  SleepSeconds(options_->recheck_delay_s);
  for (PendingCall& p : batch) {
    if (!p.poisoned && !p.obs.full_check) continue;
    for (size_t i = 0; i < w_->outputs.size(); ++i) {
      p.obs.output_hash_after_delay.push_back(
          HashBytes(worker_->arena() + p.out_off[i], w_->outputs[i].nbytes(), hash_key_));
    }
  }
}

// One invocation: the reference on its inputs when picked, then every check by priority.
std::optional<CheckFailure> CandidateSession::CheckCall(PendingCall& p) {
  if (timing_only_) return std::nullopt;
  if (probe_) return CheckProbe(p);
  if (precision_probe_) return CheckPrecision(p);
  double t = MonotonicSeconds();
  if (p.obs.full_check && reference_) {
    Expected<std::vector<std::string>> ref = reference_->Run(*w_, p.inputs);
    if (!ref) return CheckFailure{"reference", ref.error().message()};
    p.obs.reference = std::move(*ref);
    t = Lap(t, call_phase_s_["reference"]);
  }
  for (const auto& check : checks_) {
    if (auto f = check->Run(p.obs)) return f;
  }
  Lap(t, call_phase_s_["checks"]);
  return std::nullopt;
}

// A probe call: the reference first; where it is not finite itself the probe says nothing (the
// task's own function does not handle that range). Otherwise every check, with the tolerance
// taken relative to the outputs' largest magnitude (large inputs scale honest rounding too).
std::optional<CheckFailure> CandidateSession::CheckProbe(PendingCall& p) {
  if (!reference_) return std::nullopt;
  Expected<std::vector<std::string>> ref = reference_->Run(*w_, p.inputs);
  if (!ref) return CheckFailure{"reference", ref.error().message()};
  double largest = 0;
  for (size_t i = 0; i < w_->outputs.size(); ++i) {
    const ConcreteTensor& t = w_->outputs[i];
    bool finite = true;
    ForEachElement((*ref)[i].data(), t.numel, t.spec.dtype, [&](size_t, double v) {
      finite = std::isfinite(v);
      largest = std::max(largest, std::fabs(v));
      return finite;
    });
    if (!finite) return std::nullopt;
  }
  p.obs.reference = std::move(*ref);
  p.obs.probe = probe_->Name();
  p.obs.tolerance.atol += p.obs.tolerance.rtol * largest;
  for (const auto& check : checks_) {
    std::optional<CheckFailure> f = check->Run(p.obs);
    if (!f) continue;
    // Numbers that went wrong on this range are the probe's finding; anything else (a mutated
    // input, a thread left running) is that check's, whatever the inputs were.
    static const std::set<std::string> kNumeric = {"poisoned-output", "non-finite",
                                                   "all-zero-output", "wrong-output"};
    if (!kNumeric.count(f->check)) return f;
    return CheckFailure{"robustness", "on adversarial inputs (" + p.obs.probe + "): [" +
                                          f->check + "] " + f->reason, f->evidence};
  }
  return std::nullopt;
}

// The precision probe's call: every ordinary check first, then float32 outputs against a
// float64 run of the reference on the same inputs.
std::optional<CheckFailure> CandidateSession::CheckPrecision(PendingCall& p) {
  precision_probe_ = false;  // the ordinary path, for this call's ordinary checks
  std::optional<CheckFailure> ordinary = CheckCall(p);
  precision_probe_ = true;
  if (ordinary || !reference_) return ordinary;
  Expected<std::vector<std::string>> exact = reference_->Run(*w_, p.inputs, /*in_float64=*/true);
  if (!exact) return std::nullopt;  // a reference that cannot run in float64: no probe
  for (size_t i = 0; i < w_->outputs.size(); ++i) {
    const ConcreteTensor& t = w_->outputs[i];
    if ((*exact)[i].size() != t.numel * sizeof(double)) continue;
    if (auto f = ComparePrecision(t, p.obs.outputs[i].data, p.obs.reference[i].data(),
                                  reinterpret_cast<const double*>((*exact)[i].data()))) {
      return f;
    }
  }
  return std::nullopt;
}

CallResult CandidateSession::PrecisionProbeCall() {
  precision_probe_ = true;
  int repeat = repeat_;
  repeat_ = 1;
  CallResult r = Call();
  repeat_ = repeat;
  precision_probe_ = false;
  return r;
}

CallResult CandidateSession::ProbeCall(const InputProbe& probe) {
  probe_ = &probe;
  int repeat = repeat_;
  repeat_ = 1;  // one invocation per probe, whatever the hot-mode batch
  CallResult r = Call();
  repeat_ = repeat;
  probe_ = nullptr;
  return r;
}

// On a traced session a finding of the whole trace (after its drain window) explains a
// failed check: a deferred thread's late kernels leave outputs poisoned now and land outside
// every window a moment later; the trace names the cause.
std::optional<CheckFailure> CandidateSession::WholeTraceVerdict(CheckFailure f) {
  if (!traced_ || f.check == "reference") return f;
  if (std::optional<CheckFailure> whole = Finish()) return whole;
  return f;
}

CallResult CandidateSession::Call() {
  CallResult result;
  std::vector<PendingCall> batch(static_cast<size_t>(repeat()));
  double t = MonotonicSeconds();
  for (PendingCall& p : batch) {
    p.obs.index = calls_++;
    p.obs.tolerance = w_->tolerance;
    p.obs.baseline_threads = baseline_threads_;
    if (std::optional<CheckFailure> f = PrepareCall(p)) {
      result.failure = f;
      return result;
    }
  }
  if (options_->cold && !traced_) FlushCache(batch);  // GPU: the worker flushes L2
  t = Lap(t, call_phase_s_["prepare"]);
  RequestHooks hooks{[this] { timer_->Begin(); }, [this] { timer_->End(); }};
  Expected<Reply> reply = worker_->Request(hot_ ? BatchRequest(batch) : batch[0].request,
                                           options_->call_timeout_s, hooks);
  if (!reply) {
    result.failure = WorkerFailed();
    return result;
  }
  t = Lap(t, call_phase_s_["request"]);
  result.repeat = repeat();
  result.sm_mhz = SmClockMhz(reply->body);
  for (PendingCall& p : batch) p.obs.reply = reply->body;
  ObserveBatch(batch);
  t = Lap(t, call_phase_s_["observe"]);
  // A traced timer's verdict comes first: its findings explain wrong outputs (late work).
  std::optional<Expected<double>> traced;
  if (traced_ && JsonBool(reply->body, "ok", false)) {
    traced = timer_->Sample(*reply);
    t = Lap(t, call_phase_s_["trace"]);
    if (!*traced) {
      // The verdict is the whole trace's, by priority: a deferred thread's late work makes
      // this call look empty now, but its kernels land outside every window a moment later.
      result.failure = WholeTraceVerdict(TimerFailure((*traced).error()));
      return result;
    }
  }
  for (PendingCall& p : batch) {
    if (std::optional<CheckFailure> f = CheckCall(p)) {
      result.failure = WholeTraceVerdict(*f);
      return result;
    }
  }
  Expected<double> sample = traced ? *traced : timer_->Sample(*reply);
  if (!sample) {
    result.failure = TimerFailure(sample.error());
    return result;
  }
  result.seconds = *sample / static_cast<double>(result.repeat);
  return result;
}

void CandidateSession::EndWarmup(const std::vector<double>& warmup_seconds) {
  if (hot_) {
    // The fastest warm-up call: the first ones carry one-off costs (imports, JIT compiles).
    double per_call = warmup_seconds.empty()
                          ? 0 : *std::min_element(warmup_seconds.begin(), warmup_seconds.end());
    repeat_ = ChooseHotRepeat(per_call, max_repeat_, *options_);
  }
  // Threads CUDA, CUPTI, PyTorch and Triton started during the warm-up are the runtime's; a
  // thread started after it is the candidate's (work it launches is also in the trace).
  if (traced_ && worker_ && !timing_only_) baseline_threads_ = worker_->ThreadCount();
}

std::optional<CheckFailure> CandidateSession::Finish() {
  if (!worker_ || finished_) return finish_failure_;
  finished_ = true;
  bool clean = !worker_->failure();
  if (clean) clean = static_cast<bool>(worker_->Request(Json{{"op", "exit"}}, 10.0));
  worker_->Stop();
  if (!clean || !timer_) return std::nullopt;
  Status s = timer_->Finish();
  if (!s.ok()) finish_failure_ = TimerFailure(s);
  return finish_failure_;
}

}  // namespace referee::harness
