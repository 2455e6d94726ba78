// Statistics of timing samples, nvbench-style adaptive stopping, and the paired comparison of
// two candidates (research/search.md §3.6).
//
//   StdRelCriterion stop(params);
//   while (!stop.Done(samples, elapsed_s)) samples.push_back(TimeOneCall());
//   Summary s = Summarize(samples);
#pragma once

#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/base/json.h"

namespace referee::harness {

struct Summary {
  size_t n = 0;
  double median = 0, min = 0, max = 0, mean = 0, stdev = 0;
  double q1 = 0, q3 = 0, iqr = 0;
  double ci_low = 0, ci_high = 0;  // 95% distribution-free CI of the median (order statistics)
  double rel_stdev() const { return mean > 0 ? stdev / mean : 0; }
};

Summary Summarize(std::vector<double> samples);
Json SummaryToJson(const Summary& s);
// The inverse of SummaryToJson (a cached summary); an error names the missing field.
Expected<Summary> SummaryFromJson(const Json& j);

// Linear-interpolated quantile of sorted values, q in [0, 1].
double Quantile(const std::vector<double>& sorted, double q);

struct StoppingParams {
  int warmup_calls = 3;
  int min_samples = 10;
  double min_time_s = 0.5;    // accumulated measured time
  double max_noise = 0.005;   // relative stdev target
  int stability_window = 64;  // noise estimates whose own rel. stdev decides "stable"
  double stability_noise = 0.05;
  double timeout_s = 15;      // wall clock for the whole measurement
  int max_samples = 100000;
  // > 0: stop when the 95% CI of the median is within +-max_median_ci of it (relative
  // half-width, e.g. 0.01) instead of on the relative stdev: a small kernel stops once its
  // median is known, not at the sample cap (issue 17). min_samples is then the floor;
  // min_time_s does not apply.
  double max_median_ci = 0;
  // > 0: a cap on the seconds accumulated inside timed calls (device seconds on a GPU).
  double max_measured_s = 0;
};

// The 95% distribution-free CI of the median, relative half-width: (x_(k) - x_(j)) / 2 / median.
// Unsorted input; O(n). 1 (not known) for fewer than 6 samples or a median <= 0.
double MedianCiRelHalfWidth(std::vector<double> samples);

// nvbench's stdrel criterion: min samples and time first; then stop when the relative stdev
// is below max_noise, or when the noise estimate itself has stabilised; or on timeout. With
// max_median_ci set, the median's interval decides instead of the relative stdev and its
// stability ("median-ci"); the caps (timeout, max-samples, max-measured) hold either way.
class StdRelCriterion final {
 public:
  explicit StdRelCriterion(StoppingParams p) : p_(p) {}
  // Call after each new sample; `wall_s` is the time since the measurement began.
  bool Done(const std::vector<double>& samples, double wall_s);
  // Why it stopped: "noise", "stable", "median-ci", "timeout", "max-samples", "max-measured".
  const std::string& reason() const { return reason_; }

 private:
  bool MedianKnown(const std::vector<double>& samples);

  StoppingParams p_;
  std::vector<double> noise_history_;
  size_t next_ci_check_ = 0;  // the median's CI is re-checked on a geometric schedule
  std::string reason_;
};

enum class PairedVerdict { kFaster, kSame, kSlower, kUndecided };
const char* PairedVerdictName(PairedVerdict v);

struct PairedResult {
  PairedVerdict verdict = PairedVerdict::kUndecided;
  size_t pairs = 0;
  double mean_log_ratio = 0;   // mean of log(T_B / T_A); < 0: B faster
  double ci_low = 0, ci_high = 0;  // two-sided (1 - alpha) interval of the mean log ratio
  double ratio() const;        // exp(mean_log_ratio)
};

// d_i = log(b_i) - log(a_i). B is "faster" when the upper bound is below log(1 - delta),
// "slower" when the lower bound is above 0 ... (§3.6 item 4); t-based interval.
PairedResult ComparePaired(const std::vector<double>& a, const std::vector<double>& b,
                           double alpha, double delta);

// Two-sided Student-t quantile t_{1-alpha/2, dof} (for dof >= 1).
double StudentTQuantile(double alpha, int dof);

// --- Hypothesis tests on small samples (training seeds, issue 13) ---
//
//   // modded-nanogpt: "mean val loss <= 3.28 at p < 0.01" over n runs
//   TTest t = OneSampleTTest(losses, 3.28, Alternative::kLess, 0.01);
//   if (t.p < 0.01) ...
//   TTest w = WelchTTest(incumbent, candidate, Alternative::kLess, 0.05);  // candidate lower?

// P(T <= t) for Student's t with `dof` > 0 degrees of freedom (fractional for Welch): exact,
// through the regularized incomplete beta function.
double StudentTCdf(double t, double dof);
// The t with StudentTCdf(t, dof) == p, for p in (0, 1) (bisection on the exact CDF).
double StudentTInverseCdf(double p, double dof);

// What the alternative hypothesis says about the tested difference (mean - mu0; b - a).
enum class Alternative { kLess, kGreater, kTwoSided };
const char* AlternativeName(Alternative a);  // "less", "greater", "two-sided"

struct TTest {
  std::string name;          // "one-sample t", "paired t", "Welch t"
  std::string alternative;   // AlternativeName
  size_t n = 0;              // samples (one-sample, pairs) or n_a + n_b (Welch)
  double difference = 0;     // mean - mu0; mean of b_i - a_i; mean(b) - mean(a)
  double statistic = 0;      // t (+-inf when every sample is equal and the difference is not 0)
  double dof = 0;
  double p = 1;              // 1 when n is too small to test (one-sample/paired n < 2, Welch < 2 each)
  double effect_size = 0;    // Cohen's d: difference / sd (Welch: the pooled sd); 0 if sd is 0
  double ci_low = 0, ci_high = 0;  // two-sided (1 - alpha) interval of the difference
};

// H1: mean(x) - mu0 is less / greater / not 0.
TTest OneSampleTTest(const std::vector<double>& x, double mu0, Alternative alt, double alpha);
// Paired on d_i = b_i - a_i (same seeds); the shorter length is used.
TTest PairedTTest(const std::vector<double>& a, const std::vector<double>& b, Alternative alt,
                  double alpha);
// Unequal variances, Welch-Satterthwaite dof; the difference is mean(b) - mean(a).
TTest WelchTTest(const std::vector<double>& a, const std::vector<double>& b, Alternative alt,
                 double alpha);
Json TTestToJson(const TTest& t);

}  // namespace referee::harness
