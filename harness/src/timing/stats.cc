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

double MedianCiRelHalfWidth(std::vector<double> v) {
  size_t n = v.size();
  if (n < 6) return 1;
  // The same ranks as Summarize(): n/2 -+ 1.96 sqrt(n)/2.
  double half = 1.96 * std::sqrt(static_cast<double>(n)) / 2;
  auto rank = [&](double r) {
    return static_cast<size_t>(std::clamp(r, 0.0, static_cast<double>(n - 1)));
  };
  size_t lo = rank(std::floor(static_cast<double>(n) / 2 - half));
  size_t hi = rank(std::ceil(static_cast<double>(n) / 2 + half));
  size_t mid = n / 2;
  std::nth_element(v.begin(), v.begin() + mid, v.end());
  double median = v[mid];
  std::nth_element(v.begin(), v.begin() + lo, v.begin() + mid);
  double low = v[lo];
  std::nth_element(v.begin() + mid, v.begin() + hi, v.end());
  double high = v[hi];
  return median > 0 ? (high - low) / 2 / median : 1;
}

// Checked when the sample count has grown by 5% since the last check (O(n) each: O(n) in all).
bool StdRelCriterion::MedianKnown(const std::vector<double>& samples) {
  if (samples.size() < next_ci_check_) return false;
  next_ci_check_ = samples.size() + std::max<size_t>(1, samples.size() / 20);
  return MedianCiRelHalfWidth(samples) <= p_.max_median_ci;
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
  double total = std::accumulate(samples.begin(), samples.end(), 0.0);
  if (p_.max_measured_s > 0 && total >= p_.max_measured_s) {
    reason_ = "max-measured";
    return true;
  }
  if (static_cast<int>(samples.size()) < p_.min_samples) return false;
  if (p_.max_median_ci > 0) {
    // The interval is the floor: min_time_s (nvbench's guard for the stdev rule) would hold a
    // 300 us kernel to ~1,700 samples whatever its spread.
    if (!MedianKnown(samples)) return false;
    reason_ = "median-ci";
    return true;
  }
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

// --- Hypothesis tests (issue 13) ---

namespace referee::harness {
namespace {

// Continued fraction of the incomplete beta function (modified Lentz), for x < (a+1)/(a+b+2).
double BetaContinuedFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  double c = 1, d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= 500; ++m) {
    double m2 = 2.0 * m;
    double num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    for (int step = 0; step < 2; ++step) {
      d = 1 + num * d;
      if (std::fabs(d) < kTiny) d = kTiny;
      c = 1 + num / c;
      if (std::fabs(c) < kTiny) c = kTiny;
      d = 1 / d;
      h *= d * c;
      if (step == 0) num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    }
    if (std::fabs(d * c - 1) < 1e-15) break;
  }
  return h;
}

// I_x(a, b), the regularized incomplete beta function.
double RegularizedBeta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  double log_front = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) +
                     b * std::log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return std::exp(log_front) * BetaContinuedFraction(a, b, x) / a;
  return 1 - std::exp(log_front) * BetaContinuedFraction(b, a, 1 - x) / b;
}

double Mean(const std::vector<double>& v) {
  return v.empty() ? 0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double Variance(const std::vector<double>& v) {  // sample variance (n - 1)
  if (v.size() < 2) return 0;
  double m = Mean(v), ss = 0;
  for (double x : v) ss += (x - m) * (x - m);
  return ss / static_cast<double>(v.size() - 1);
}

// p, interval and statistic from a difference, its standard error and dof.
void Finish(TTest& t, double se, Alternative alt, double alpha) {
  t.alternative = AlternativeName(alt);
  if (t.dof <= 0) return;  // too few samples: p stays 1
  double q = StudentTInverseCdf(1 - alpha / 2, t.dof);
  t.ci_low = t.difference - q * se;
  t.ci_high = t.difference + q * se;
  if (se <= 0) {
    t.statistic = t.difference == 0 ? 0 : std::copysign(INFINITY, t.difference);
  } else {
    t.statistic = t.difference / se;
  }
  if (t.difference == 0 && se <= 0) {
    t.p = 1;
    return;
  }
  double lower = StudentTCdf(t.statistic, t.dof);  // P(T <= t)
  switch (alt) {
    case Alternative::kLess: t.p = lower; break;
    case Alternative::kGreater: t.p = 1 - lower; break;
    case Alternative::kTwoSided: t.p = std::min(1.0, 2 * std::min(lower, 1 - lower)); break;
  }
}

}  // namespace

double StudentTCdf(double t, double dof) {
  if (std::isnan(t) || !(dof > 0)) return NAN;
  if (std::isinf(t)) return t > 0 ? 1 : 0;
  double tail = 0.5 * RegularizedBeta(dof / 2, 0.5, dof / (dof + t * t));  // P(T > |t|)
  return t > 0 ? 1 - tail : tail;
}

double StudentTInverseCdf(double p, double dof) {
  if (!(p > 0 && p < 1) || !(dof > 0)) return NAN;
  double lo = -1, hi = 1;
  while (StudentTCdf(lo, dof) > p) lo *= 2;
  while (StudentTCdf(hi, dof) < p) hi *= 2;
  for (int i = 0; i < 200 && hi - lo > 1e-12 * std::max(1.0, std::fabs(hi)); ++i) {
    double mid = (lo + hi) / 2;
    (StudentTCdf(mid, dof) < p ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

const char* AlternativeName(Alternative a) {
  switch (a) {
    case Alternative::kLess: return "less";
    case Alternative::kGreater: return "greater";
    case Alternative::kTwoSided: return "two-sided";
  }
  return "two-sided";
}

TTest OneSampleTTest(const std::vector<double>& x, double mu0, Alternative alt, double alpha) {
  TTest t;
  t.name = "one-sample t";
  t.n = x.size();
  t.difference = Mean(x) - mu0;
  double sd = std::sqrt(Variance(x));
  t.effect_size = sd > 0 ? t.difference / sd : 0;
  t.dof = x.size() >= 2 ? static_cast<double>(x.size() - 1) : 0;
  Finish(t, x.empty() ? 0 : sd / std::sqrt(static_cast<double>(x.size())), alt, alpha);
  return t;
}

TTest PairedTTest(const std::vector<double>& a, const std::vector<double>& b, Alternative alt,
                  double alpha) {
  size_t n = std::min(a.size(), b.size());
  std::vector<double> d(n);
  for (size_t i = 0; i < n; ++i) d[i] = b[i] - a[i];
  TTest t = OneSampleTTest(d, 0, alt, alpha);
  t.name = "paired t";
  return t;
}

TTest WelchTTest(const std::vector<double>& a, const std::vector<double>& b, Alternative alt,
                 double alpha) {
  TTest t;
  t.name = "Welch t";
  t.n = a.size() + b.size();
  t.difference = Mean(b) - Mean(a);
  double va = Variance(a), vb = Variance(b);
  double pooled = std::sqrt((va + vb) / 2);
  t.effect_size = pooled > 0 ? t.difference / pooled : 0;
  if (a.size() < 2 || b.size() < 2) {
    t.alternative = AlternativeName(alt);
    return t;
  }
  double na = static_cast<double>(a.size()), nb = static_cast<double>(b.size());
  double sa = va / na, sb = vb / nb;
  double se = std::sqrt(sa + sb);
  // Welch-Satterthwaite; with both variances 0 the dof is the pooled n - 2.
  t.dof = se > 0 ? (sa + sb) * (sa + sb) / (sa * sa / (na - 1) + sb * sb / (nb - 1)) : na + nb - 2;
  Finish(t, se, alt, alpha);
  return t;
}

Json TTestToJson(const TTest& t) {
  auto num = [](double v) { return std::isfinite(v) ? Json(v) : Json(v > 0 ? "inf" : "-inf"); };
  return Json{{"test", t.name},         {"alternative", t.alternative},
              {"n", t.n},               {"difference", t.difference},
              {"statistic", num(t.statistic)}, {"dof", t.dof},
              {"p", t.p},               {"effect_size", t.effect_size},
              {"ci_low", t.ci_low},     {"ci_high", t.ci_high}};
}

}  // namespace referee::harness
