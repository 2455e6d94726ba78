// Text and JSON renderings of evaluation and comparison reports.
#include <cmath>

#include "referee/base/strings.h"
#include "referee/base/version.h"
#include "referee/harness/evaluator.h"

namespace referee::harness {
namespace {

std::string Us(double s) { return StrFormat("%.2f us", s * 1e6); }

double Mean(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return sum / static_cast<double>(v.size());
}

std::string SummaryLine(const Summary& s) {
  return StrFormat("median %s  [95%% CI %s .. %s]  min %s  Q1 %s  Q3 %s  IQR %s  n=%zu",
                   Us(s.median).c_str(), Us(s.ci_low).c_str(), Us(s.ci_high).c_str(),
                   Us(s.min).c_str(), Us(s.q1).c_str(), Us(s.q3).c_str(), Us(s.iqr).c_str(), s.n);
}

std::string ClockLine(const ClockReport& c) {
  if (c.read == 0) return "";
  std::string out =
      StrFormat("    SM clock %.0f..%.0f MHz; %zu of %zu samples throttled (< %.0f MHz)\n",
                c.min_mhz, c.max_mhz, c.throttled.size(), c.read, c.threshold_mhz);
  if (c.warn) out += "    WARNING: " + ThrottleWarning(c) + "\n";
  return out;
}

Json FailureToJson(const CheckFailure& f) {
  Json j = {{"check", f.check}, {"reason", f.reason}};
  if (!f.evidence.empty()) j["evidence"] = f.evidence;
  return j;
}

// The untrusted line under a failure: what the candidate's process said, shown as such.
std::string EvidenceLine(const CheckFailure& f, const char* indent) {
  if (f.evidence.empty()) return "";
  return std::string(indent) + "candidate output (untrusted): " + f.evidence + "\n";
}

Json WorkloadToJson(const WorkloadResult& w) {
  Json j = {{"name", w.name}, {"verdict", w.passed ? "PASS" : "FAIL"}};
  if (!w.passed) j["failure"] = FailureToJson(w.failure);
  j["nonce"] = w.nonce;
  j["calls"] = w.calls;
  j["full_checks"] = w.full_checks;
  j["repeat"] = w.repeat;
  if (!w.phase_s.empty()) j["phase_s"] = w.phase_s;
  if (w.passed) {
    j["timing"]["candidate"] = SummaryToJson(w.candidate);
    j["timing"]["stop_reason"] = w.stop_reason;
    j["timing"]["channel_overhead_s"] = w.channel_overhead_s;
    if (!w.trusted_timing_source.empty()) {
      j["timing"]["reference_source"] = w.trusted_timing_source;
      if (w.trusted_measured_at_unix > 0) {
        j["timing"]["reference_measured_at_unix"] = w.trusted_measured_at_unix;
      }
    }
    if (w.reference) {
      j["timing"]["reference"] = SummaryToJson(*w.reference);
      j["speedup"]["vs_reference"] = w.reference->median / w.candidate.median;
    }
    if (w.baseline) {
      j["timing"]["baseline"] = SummaryToJson(*w.baseline);
      j["speedup"]["vs_baseline"] = w.baseline->median / w.candidate.median;
    }
    j["roofline"] = {{"flops", w.flops}, {"bytes", w.bytes}, {"floor_s", w.roofline.floor_s},
                     {"sol_s", w.roofline.sol_s}};
    j["sol_score"] = w.sol_score ? Json(*w.sol_score) : Json();
    j["sol_flag"] = w.sol_flag;
  }
  j["samples_s"] = w.samples;
  j["sm_clock"] = ClockReportToJson(w.sm_clock);
  return j;
}

const char* CompareSentence(PairedVerdict v) {
  switch (v) {
    case PairedVerdict::kFaster: return "B is faster than A";
    case PairedVerdict::kSlower: return "B is slower than A";
    case PairedVerdict::kSame: return "B is the same speed as A";
    case PairedVerdict::kUndecided: return "undecided: the pairs do not separate B from A";
  }
  return "undecided";
}

}  // namespace

std::string FormatReport(const EvalReport& r) {
  std::string out = StrFormat("task %s  candidate %s  device %s  mode %s  launcher %s\n",
                              r.task.c_str(), r.candidate.c_str(), r.device.c_str(),
                              r.mode.c_str(), r.launcher.c_str());
  for (const WorkloadResult& w : r.workloads) {
    if (!w.passed) {
      out += StrFormat("  %-12s FAIL  [%s] %s\n", w.name.c_str(), w.failure.check.c_str(),
                       w.failure.reason.c_str());
      out += EvidenceLine(w.failure, "    ");
      continue;
    }
    out += StrFormat("  %-12s PASS  %d calls, %d checked in full against the reference\n",
                     w.name.c_str(), w.calls, w.full_checks);
    out += "    candidate  " + SummaryLine(w.candidate) + "\n";
    out += StrFormat("    (stopped: %s; channel round trip %s subtracted per call)\n",
                     w.stop_reason.c_str(), Us(w.channel_overhead_s).c_str());
    if (w.repeat > 1) {
      out += StrFormat("    hot: %d invocations back to back per timed window, each on fresh "
                       "inputs and checked; sample = window / %d\n", w.repeat, w.repeat);
    }
    out += ClockLine(w.sm_clock);
    if (w.reference) {
      out += "    reference  " + SummaryLine(*w.reference) +
             (w.trusted_timing_source == "cached" ? "  (cached)" : "") + "\n";
      out += StrFormat("    speedup vs reference %.3fx\n", w.reference->median / w.candidate.median);
    }
    if (w.baseline) {
      out += "    baseline   " + SummaryLine(*w.baseline) + "\n";
      out += StrFormat("    speedup vs baseline %.3fx\n", w.baseline->median / w.candidate.median);
    }
    out += StrFormat("    roofline floor %s  T_sol %s  SOL score %s%s\n",
                     Us(w.roofline.floor_s).c_str(), Us(w.roofline.sol_s).c_str(),
                     w.sol_score ? StrFormat("%.3f", *w.sol_score).c_str() : "n/a",
                     w.sol_flag ? "  FLAG: faster than speed of light" : "");
  }
  out += r.passed ? "verdict: PASS\n"
                  : StrFormat("verdict: FAIL [%s] %s\n", r.failure.check.c_str(),
                              r.failure.reason.c_str());
  return out;
}

Json ReportToJson(const EvalReport& r) {
  Json j = {{"schema_version", kJsonSchemaVersion}, {"kind", "eval"},
            {"tool", {{"name", kToolName}, {"version", kVersion}}},
            {"task", r.task}, {"candidate", r.candidate}, {"device", r.device},
            {"mode", r.mode}, {"launcher", r.launcher}, {"peaks", r.peaks_source},
            {"verdict", r.passed ? "PASS" : "FAIL"}};
  if (!r.passed) j["failure"] = FailureToJson(r.failure);
  j["workloads"] = Json::array();
  for (const WorkloadResult& w : r.workloads) j["workloads"].push_back(WorkloadToJson(w));
  std::vector<double> scores;
  for (const WorkloadResult& w : r.workloads) {
    if (w.sol_score) scores.push_back(*w.sol_score);
  }
  j["sol_score_mean"] = scores.empty() || !r.passed ? Json() : Json(Mean(scores));
  j["environment"] = r.environment.is_null() ? Json::object() : r.environment;
  if (!r.rule_set_hash.empty()) j["rule_set_hash"] = r.rule_set_hash;
  return j;
}

std::string FormatCompare(const CompareReport& r) {
  if (!r.valid) {
    return StrFormat("compare %s: A=%s B=%s\nverdict: INVALID [%s] %s\n", r.task.c_str(),
                     r.a.c_str(), r.b.c_str(), r.failure.check.c_str(), r.failure.reason.c_str()) +
           EvidenceLine(r.failure, "");
  }
  const PairedResult& p = r.result;
  return StrFormat(
      "compare %s (workload %s): A=%s B=%s\n  %zu interleaved pairs; B/A time ratio %.4f "
      "[%.4f .. %.4f]\nverdict: %s\n",
      r.task.c_str(), r.workload.c_str(), r.a.c_str(), r.b.c_str(), p.pairs, p.ratio(),
      std::exp(p.ci_low), std::exp(p.ci_high), CompareSentence(p.verdict));
}

Json CompareToJson(const CompareReport& r) {
  Json j = {{"schema_version", kJsonSchemaVersion}, {"kind", "compare"},
            {"tool", {{"name", kToolName}, {"version", kVersion}}},
            {"task", r.task}, {"a", r.a}, {"b", r.b},
            {"workload", r.workload}, {"valid", r.valid}};
  j["environment"] = r.environment.is_null() ? Json::object() : r.environment;
  if (!r.valid) {
    j["failure"] = FailureToJson(r.failure);
    return j;
  }
  j["verdict"] = PairedVerdictName(r.result.verdict);
  j["pairs"] = r.result.pairs;
  j["ratio_b_over_a"] = r.result.ratio();
  j["log_ratio_ci"] = {r.result.ci_low, r.result.ci_high};
  j["a_block_medians_s"] = r.a_medians;
  j["b_block_medians_s"] = r.b_medians;
  return j;
}

}  // namespace referee::harness
