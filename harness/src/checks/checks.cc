#include "referee/harness/checks.h"

#include <algorithm>
#include <cmath>

#include "referee/base/strings.h"

namespace referee::harness {
namespace {

using Failure = std::optional<CheckFailure>;

// The worker said the call failed (exception, wrong type, wrong shape). A lying worker gains
// nothing: its outputs are still read and checked by the parent.
class WorkerReplyCheck final : public CallCheck {
 public:
  const char* id() const override { return "candidate-error"; }
  Failure Run(const CallObservation& c) const override {
    if (JsonBool(c.reply, "ok", false)) return std::nullopt;
    std::string check = JsonString(c.reply, "check", "candidate-error");
    if (check != "lazy-output" && check != "output-schema" && check != "persisting-l2") {
      check = "candidate-error";  // the worker names only checks it performs for the parent
    }
    std::string err = JsonString(c.reply, "error", "");
    // The worker's text is the candidate's process speaking: evidence, not the reason.
    const char* what = check == "lazy-output"     ? "an output is a tensor subclass that may "
                                                    "defer its work"
                       : check == "output-schema" ? "the outputs are not what the task declares"
                       : check == "persisting-l2" ? "the call left a persisting-L2 window set"
                                                  : "the candidate's call failed";
    return CheckFailure{check, StrFormat("call %d: %s", c.index, what), err.substr(0, 300)};
  }
};

class TimerIntegrityCheck final : public CallCheck {
 public:
  const char* id() const override { return "timer-tamper"; }
  Failure Run(const CallObservation& c) const override {
    // Absent: not reported; anything but true (a string a candidate wrote, say) is tampering.
    bool reported = c.reply.is_object() && c.reply.contains("timer_ok");
    if (reported && !JsonBool(c.reply, "timer_ok", false)) {
      return CheckFailure{id(), StrFormat("call %d: the worker's clock functions were replaced "
                                          "(timer patching)", c.index)};
    }
    // The worker's own measurement cannot exceed the parent's round trip around it.
    if (c.round_trip_s > 0 && c.reply.is_object() && c.reply.contains("t_ns") &&
        c.reply["t_ns"].is_number()) {
      double worker_s = c.reply["t_ns"].get<double>() * 1e-9;
      if (worker_s < 0 || worker_s > c.round_trip_s * 1.01 + 1e-4) {
        return CheckFailure{id(), StrFormat("call %d: the worker reported %.6f s for a call whose "
                                            "round trip took %.6f s", c.index, worker_s,
                                            c.round_trip_s)};
      }
    }
    return std::nullopt;
  }
};

class WorkAfterReturnCheck final : public CallCheck {
 public:
  const char* id() const override { return "work-after-return"; }
  Failure Run(const CallObservation& c) const override {
    if (c.output_hash_after_delay.empty()) return std::nullopt;
    for (size_t i = 0; i < c.outputs.size(); ++i) {
      if (c.output_hash_after_delay[i] != c.output_hash_at_return[i]) {
        return CheckFailure{id(), StrFormat("call %d: output '%s' changed after the call "
                                            "returned (deferred work)", c.index,
                                            c.outputs[i].tensor->spec.name.c_str())};
      }
    }
    return std::nullopt;
  }
};

class ThreadGrowthCheck final : public CallCheck {
 public:
  const char* id() const override { return "thread-growth"; }
  Failure Run(const CallObservation& c) const override {
    if (c.threads_after <= c.baseline_threads) return std::nullopt;
    return CheckFailure{id(), StrFormat("call %d: worker has %d native threads after the call, "
                                        "%d before the candidate ran", c.index, c.threads_after,
                                        c.baseline_threads)};
  }
};

class ChildProcessCheck final : public CallCheck {
 public:
  const char* id() const override { return "child-process"; }
  Failure Run(const CallObservation& c) const override {
    if (c.children_after > 0) {
      return CheckFailure{id(), StrFormat("call %d: worker has %d child process(es) alive after "
                                          "the call", c.index, c.children_after)};
    }
    if (c.escaped_after > 0) {
      return CheckFailure{id(), StrFormat("call %d: %d process(es) alive in the candidate's "
                                          "sandbox outside the worker's tree (re-parented to "
                                          "its init: a double fork)", c.index, c.escaped_after)};
    }
    return std::nullopt;
  }
};

class InputUnchangedCheck final : public CallCheck {
 public:
  const char* id() const override { return "input-mutated"; }
  Failure Run(const CallObservation& c) const override {
    for (size_t i = 0; i < c.input_hash_before.size(); ++i) {
      if (c.input_hash_before[i] != c.input_hash_after[i]) {
        return CheckFailure{id(), StrFormat("call %d: input %zu was modified", c.index, i)};
      }
    }
    return std::nullopt;
  }
};

class PoisonCheck final : public CallCheck {
 public:
  const char* id() const override { return "poisoned-output"; }
  Failure Run(const CallObservation& c) const override {
    for (const OutputBuffer& o : c.outputs) {
      size_t k = FindPoison(o.data, o.tensor->numel, o.tensor->spec.dtype);
      if (k < o.tensor->numel) {
        return CheckFailure{id(), StrFormat("call %d: output '%s' element %zu still holds "
                                            "the poison value (not written, or NaN)", c.index,
                                            o.tensor->spec.name.c_str(), k)};
      }
    }
    return std::nullopt;
  }
};

class NonFiniteCheck final : public CallCheck {
 public:
  const char* id() const override { return "non-finite"; }
  Failure Run(const CallObservation& c) const override {
    if (c.tolerance.allow_nonfinite) return std::nullopt;
    for (const OutputBuffer& o : c.outputs) {
      if (!IsFloating(o.tensor->spec.dtype)) continue;
      size_t bad = FindNonFinite(o.data, o.tensor->numel, o.tensor->spec.dtype);
      if (bad < o.tensor->numel) {
        return CheckFailure{id(), StrFormat("call %d: output '%s' element %zu is not finite",
                                            c.index, o.tensor->spec.name.c_str(), bad)};
      }
    }
    return std::nullopt;
  }
};

class ReferenceMatchCheck final : public CallCheck {
 public:
  const char* id() const override { return "wrong-output"; }
  Failure Run(const CallObservation& c) const override {
    if (!c.full_check || c.reference.size() != c.outputs.size()) return std::nullopt;
    for (size_t i = 0; i < c.outputs.size(); ++i) {
      const ConcreteTensor& t = *c.outputs[i].tensor;
      const void* ref = c.reference[i].data();
      auto all_zero = [&](const void* data) {
        bool zero = true;
        ForEachElement(data, t.numel, t.spec.dtype, [&](size_t, double v) {
          zero = v == 0;
          return zero;
        });
        return zero;
      };
      bool out_zero = all_zero(c.outputs[i].data), ref_zero = out_zero && all_zero(ref);
      if (out_zero && !ref_zero && t.numel > 0) {
        return CheckFailure{"all-zero-output",
                            StrFormat("call %d: output '%s' is all zeros, the reference is not",
                                      c.index, t.spec.name.c_str())};
      }
      if (auto why = CompareOutput(t, c.outputs[i].data, ref, c.tolerance)) {
        return CheckFailure{id(), StrFormat("call %d: output '%s': %s", c.index,
                                            t.spec.name.c_str(), why->c_str())};
      }
    }
    return std::nullopt;
  }
};

}  // namespace

namespace {

// SplitMix64's finaliser: every input bit reaches every output bit.
uint64_t Mix64(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace

uint64_t HashBytes(const void* data, size_t n, uint64_t key) {
  // FNV-1a over 8-byte words in four independent lanes (one multiply chain per lane, so the
  // chains overlap: about 4x the bytes per cycle of one chain, a few MiB hashed every call).
  // Each step is a bijection of the lane's state, so any single changed word changes the
  // result. The lanes start from the key: with a secret key a candidate cannot compute the
  // state it would need to compensate a changed word with the next one.
  constexpr uint64_t kPrime = 1099511628211ull;
  const unsigned char* p = static_cast<const unsigned char*>(data);
  uint64_t lanes[4];
  uint64_t seed = key;
  for (uint64_t& lane : lanes) {
    seed += 0x9e3779b97f4a7c15ull;
    lane = 1469598103934665603ull ^ Mix64(seed);
  }
  size_t i = 0;
  for (; i + 32 <= n; i += 32) {
    uint64_t w[4];
    __builtin_memcpy(w, p + i, 32);
    for (int k = 0; k < 4; ++k) lanes[k] = (lanes[k] ^ w[k]) * kPrime;
  }
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    __builtin_memcpy(&w, p + i, 8);
    lanes[0] = (lanes[0] ^ w) * kPrime;
  }
  for (; i < n; ++i) lanes[1] = (lanes[1] ^ p[i]) * kPrime;
  uint64_t h = Mix64(n ^ key);
  for (uint64_t lane : lanes) h = Mix64(h ^ lane);
  return h;
}

namespace {

struct RunComparison {
  size_t matched = 0;
  double worst_err = -1;  // over finite pairs only
  size_t worst = 0;       // first index of worst_err in the run
};

// One run of doubles, branch-free for the finite pairs (they vectorise); non-finite pairs match
// only when allowed, and then only NaN with NaN or an infinity with itself.
RunComparison CompareRun(const double* outs, const double* refs, size_t n, const Tolerance& tol) {
  RunComparison c;
  bool any_nonfinite = false;
  for (size_t i = 0; i < n; ++i) {
    double o = outs[i], r = refs[i];
    bool finite = (o - o == 0) & (r - r == 0);  // x - x is NaN exactly for NaN and inf
    double err = std::fabs(o - r);
    c.matched += finite & (err <= tol.atol + tol.rtol * std::fabs(r));
    any_nonfinite |= !finite;
    double e = finite ? err : -1.0;
    c.worst_err = e > c.worst_err ? e : c.worst_err;
  }
  if (any_nonfinite && tol.allow_nonfinite) {
    for (size_t i = 0; i < n; ++i) {
      double o = outs[i], r = refs[i];
      if (std::isfinite(o) && std::isfinite(r)) continue;
      c.matched += o == r || (std::isnan(o) && std::isnan(r));
    }
  }
  if (c.worst_err >= 0) {
    for (size_t i = 0; i < n; ++i) {
      if (std::isfinite(outs[i]) && std::isfinite(refs[i]) &&
          std::fabs(outs[i] - refs[i]) == c.worst_err) {
        c.worst = i;
        break;
      }
    }
  }
  return c;
}

}  // namespace

std::optional<std::string> CompareOutput(const ConcreteTensor& t, const void* out,
                                         const void* ref, const Tolerance& tol) {
  size_t matched = 0, worst = 0;
  double worst_err = -1;
  constexpr size_t kRun = 4096;
  double outs[kRun], refs[kRun];
  for (size_t first = 0; first < t.numel; first += kRun) {
    size_t n = std::min(kRun, t.numel - first);
    LoadRun(out, first, n, t.spec.dtype, outs);
    LoadRun(ref, first, n, t.spec.dtype, refs);
    RunComparison c = CompareRun(outs, refs, n, tol);
    matched += c.matched;
    if (c.worst_err > worst_err) {  // strictly: the first element with the largest error
      worst_err = c.worst_err;
      worst = first + c.worst;
    }
  }
  double ratio = t.numel ? static_cast<double>(matched) / static_cast<double>(t.numel) : 1.0;
  if (ratio >= tol.matched_ratio) return std::nullopt;
  return StrFormat("%.4f of elements within atol %g + rtol %g (need %.4f); max abs error %g at "
                   "element %zu", ratio, tol.atol, tol.rtol, tol.matched_ratio, worst_err, worst);
}

std::vector<std::unique_ptr<CallCheck>> MakeCallChecks() {
  std::vector<std::unique_ptr<CallCheck>> v;
  v.push_back(std::make_unique<WorkerReplyCheck>());
  v.push_back(std::make_unique<TimerIntegrityCheck>());
  v.push_back(std::make_unique<WorkAfterReturnCheck>());
  v.push_back(std::make_unique<ThreadGrowthCheck>());
  v.push_back(std::make_unique<ChildProcessCheck>());
  v.push_back(std::make_unique<InputUnchangedCheck>());
  v.push_back(std::make_unique<PoisonCheck>());
  v.push_back(std::make_unique<NonFiniteCheck>());
  v.push_back(std::make_unique<ReferenceMatchCheck>());
  return v;
}

std::optional<CheckFailure> ComparePrecision(const ConcreteTensor& t, const void* candidate,
                                             const void* reference, const double* exact,
                                             double factor) {
  if (t.spec.dtype != DType::kFloat32 || t.numel == 0) return std::nullopt;
  double norm = 0, cand_err = 0, ref_err = 0;
  for (size_t i = 0; i < t.numel; ++i) {
    double x = exact[i];
    if (!std::isfinite(x)) return std::nullopt;  // no exact value to measure against
    double c = LoadElement(candidate, i, t.spec.dtype) - x;
    double r = LoadElement(reference, i, t.spec.dtype) - x;
    norm += x * x;
    cand_err += c * c;
    ref_err += r * r;
  }
  if (norm == 0) return std::nullopt;
  cand_err = std::sqrt(cand_err / norm);
  ref_err = std::sqrt(ref_err / norm);
  const double floor = 8 * 1.1920928955078125e-07;  // 8 ulps of float32
  double bound = factor * std::max(ref_err, floor);
  if (!(cand_err > bound)) return std::nullopt;  // NaN errors are the other checks' to report
  return CheckFailure{"reduced-precision",
                      StrFormat("output '%s' is %.0fx further from a float64 evaluation than the "
                                "reference is (relative error %.2g vs %.2g): computed in less "
                                "precision than float32",
                                t.spec.name.c_str(), cand_err / std::max(ref_err, floor), cand_err,
                                ref_err)};
}

}  // namespace referee::harness
