#include "referee/harness/stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace referee::harness {

double Quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  double pos = q * static_cast<double>(sorted.size() - 1);
  size_t lo = static_cast<size_t>(std::floor(pos));
  size_t hi = std::min(lo + 1, sorted.size() - 1);
  double frac = pos - static_cast<double>(lo);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * frac;
}

Summary Summarize(std::vector<double> v) {
  Summary s;
  s.n = v.size();
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  s.min = v.front();
  s.max = v.back();
  s.median = Quantile(v, 0.5);
  s.q1 = Quantile(v, 0.25);
  s.q3 = Quantile(v, 0.75);
  s.iqr = s.q3 - s.q1;
  s.mean = std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
  double ss = 0;
  for (double x : v) ss += (x - s.mean) * (x - s.mean);
  s.stdev = v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0;
  // Order-statistic CI of the median: ranks n/2 -+ 1.96 sqrt(n)/2 (normal approx. of the
  // binomial); exact enough for n >= 6, the whole range below that.
  double n = static_cast<double>(v.size());
  double half = 1.96 * std::sqrt(n) / 2;
  long lo = static_cast<long>(std::floor(n / 2 - half));
  long hi = static_cast<long>(std::ceil(n / 2 + half));
  s.ci_low = v[static_cast<size_t>(std::clamp(lo, 0L, static_cast<long>(n) - 1))];
  s.ci_high = v[static_cast<size_t>(std::clamp(hi, 0L, static_cast<long>(n) - 1))];
  return s;
}

Json SummaryToJson(const Summary& s) {
  return Json{{"n", s.n},         {"median", s.median}, {"min", s.min},   {"max", s.max},
              {"mean", s.mean},   {"stdev", s.stdev},   {"q1", s.q1},     {"q3", s.q3},
              {"iqr", s.iqr},     {"ci95_low", s.ci_low}, {"ci95_high", s.ci_high},
              {"rel_stdev", s.rel_stdev()}};
}

Expected<Summary> SummaryFromJson(const Json& j) {
  Summary s;
  std::pair<const char*, double*> fields[] = {
      {"median", &s.median}, {"min", &s.min},   {"max", &s.max},
      {"mean", &s.mean},     {"stdev", &s.stdev}, {"q1", &s.q1},
      {"q3", &s.q3},         {"iqr", &s.iqr},   {"ci95_low", &s.ci_low},
      {"ci95_high", &s.ci_high}};
  if (!j.is_object() || !j.contains("n") || !j["n"].is_number_unsigned()) {
    return InvalidArgumentError("summary: missing 'n'");
  }
  s.n = j["n"].get<size_t>();
  for (auto& [name, field] : fields) {
    if (!j.contains(name) || !j[name].is_number()) {
      return InvalidArgumentError(std::string("summary: missing '") + name + "'");
    }
    *field = j[name].get<double>();
  }
  return s;
}

bool StdRelCriterion::Done(const std::vector<double>& samples, double wall_s) {
  if (wall_s >= p_.timeout_s) {
    reason_ = "timeout";
    return true;
  }
  if (static_cast<int>(samples.size()) >= p_.max_samples) {
    reason_ = "max-samples";
    return true;
  }
  if (static_cast<int>(samples.size()) < p_.min_samples) return false;
  double total = std::accumulate(samples.begin(), samples.end(), 0.0);
  double mean = total / static_cast<double>(samples.size());
  double ss = 0;
  for (double x : samples) ss += (x - mean) * (x - mean);
  double noise = mean > 0 ? std::sqrt(ss / static_cast<double>(samples.size() - 1)) / mean : 0;
  noise_history_.push_back(noise);
  if (total < p_.min_time_s) return false;
  if (noise < p_.max_noise) {
    reason_ = "noise";
    return true;
  }
  if (static_cast<int>(noise_history_.size()) >= p_.stability_window) {
    std::vector<double> last(noise_history_.end() - p_.stability_window, noise_history_.end());
    double m = std::accumulate(last.begin(), last.end(), 0.0) / static_cast<double>(last.size());
    double s2 = 0;
    for (double x : last) s2 += (x - m) * (x - m);
    double rel = m > 0 ? std::sqrt(s2 / static_cast<double>(last.size() - 1)) / m : 0;
    if (rel < p_.stability_noise) {
      reason_ = "stable";
      return true;
    }
  }
  return false;
}

const char* PairedVerdictName(PairedVerdict v) {
  switch (v) {
    case PairedVerdict::kFaster: return "faster";
    case PairedVerdict::kSame: return "same";
    case PairedVerdict::kSlower: return "slower";
    case PairedVerdict::kUndecided: return "undecided";
  }
  return "undecided";
}

double PairedResult::ratio() const { return std::exp(mean_log_ratio); }

double StudentTQuantile(double alpha, int dof) {
  // Normal quantile by Acklam-free bisection on erfc, then the Cornish-Fisher expansion.
  double p = alpha / 2;
  double lo = 0, hi = 10;
  for (int i = 0; i < 100; ++i) {
    double mid = (lo + hi) / 2;
    (0.5 * std::erfc(mid / std::sqrt(2.0)) > p ? lo : hi) = mid;
  }
  double z = (lo + hi) / 2, n = dof;
  double z3 = z * z * z, z5 = z3 * z * z, z7 = z5 * z * z, z9 = z7 * z * z;
  return z + (z3 + z) / (4 * n) + (5 * z5 + 16 * z3 + 3 * z) / (96 * n * n) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * n * n * n) +
         (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * n * n * n * n);
}

PairedResult ComparePaired(const std::vector<double>& a, const std::vector<double>& b,
                           double alpha, double delta) {
  PairedResult r;
  size_t n = std::min(a.size(), b.size());
  r.pairs = n;
  if (n < 2) return r;
  std::vector<double> d(n);
  for (size_t i = 0; i < n; ++i) d[i] = std::log(b[i]) - std::log(a[i]);
  double mean = std::accumulate(d.begin(), d.end(), 0.0) / static_cast<double>(n);
  double ss = 0;
  for (double x : d) ss += (x - mean) * (x - mean);
  double se = std::sqrt(ss / static_cast<double>(n - 1) / static_cast<double>(n));
  double t = StudentTQuantile(alpha, static_cast<int>(n) - 1);
  r.mean_log_ratio = mean;
  r.ci_low = mean - t * se;
  r.ci_high = mean + t * se;
  // One-sided bounds at the same alpha use the two-sided (1 - 2 alpha) quantile.
  double t1 = StudentTQuantile(2 * alpha, static_cast<int>(n) - 1);
  double upper = mean + t1 * se, lower = mean - t1 * se;
  if (upper < std::log(1 - delta)) {
    r.verdict = PairedVerdict::kFaster;
  } else if (lower > 0) {
    r.verdict = PairedVerdict::kSlower;
  } else if (r.ci_low > -std::log(1 + delta) && r.ci_high < std::log(1 + delta)) {
    r.verdict = PairedVerdict::kSame;
  } else {
    r.verdict = PairedVerdict::kUndecided;
  }
  return r;
}

}  // namespace referee::harness
