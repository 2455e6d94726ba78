#include "referee/harness/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

namespace referee::harness {
namespace {

TEST(Stats, SummarizesQuartilesAndMedianInterval) {
  std::vector<double> v;
  for (int i = 1; i <= 101; ++i) v.push_back(i);
  Summary s = Summarize(v);
  EXPECT_EQ(s.n, 101u);
  EXPECT_DOUBLE_EQ(s.median, 51);
  EXPECT_DOUBLE_EQ(s.q1, 26);
  EXPECT_DOUBLE_EQ(s.q3, 76);
  EXPECT_DOUBLE_EQ(s.iqr, 50);
  EXPECT_DOUBLE_EQ(s.min, 1);
  EXPECT_LT(s.ci_low, s.median);
  EXPECT_GT(s.ci_high, s.median);
  EXPECT_NEAR(s.ci_high - s.ci_low, 2 * 1.96 * std::sqrt(101.0) / 2, 2.5);
}

TEST(Stats, StopsOnLowNoiseAfterMinimums) {
  StoppingParams p;
  p.min_samples = 5;
  p.min_time_s = 0.001;
  StdRelCriterion c(p);
  std::vector<double> v;
  bool done = false;
  for (int i = 0; i < 20 && !done; ++i) {
    v.push_back(1e-3);
    done = c.Done(v, 0.1);
  }
  EXPECT_TRUE(done);
  EXPECT_EQ(v.size(), 5u);
  EXPECT_EQ(c.reason(), "noise");
}

TEST(Stats, StopsWhenNoiseIsStableButHigh) {
  StoppingParams p;
  p.min_samples = 10;
  p.min_time_s = 0;
  p.max_noise = 1e-9;
  p.stability_window = 16;
  StdRelCriterion c(p);
  std::mt19937_64 rng(1);
  std::normal_distribution<double> d(1.0, 0.2);
  std::vector<double> v;
  bool done = false;
  while (!done && v.size() < 5000) {
    v.push_back(std::max(0.01, d(rng)));
    done = c.Done(v, 0.0);
  }
  EXPECT_TRUE(done);
  EXPECT_EQ(c.reason(), "stable");
}

TEST(Stats, MedianCiHalfWidthMatchesSummarize) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> d(0.0, 0.3);
  std::vector<double> v;
  for (int i = 0; i < 777; ++i) v.push_back(d(rng));
  Summary s = Summarize(v);
  EXPECT_NEAR(MedianCiRelHalfWidth(v), (s.ci_high - s.ci_low) / 2 / s.median, 0.02 * s.median);
  EXPECT_EQ(MedianCiRelHalfWidth({1, 2, 3}), 1);  // too few to know
}

// Noisy samples (10% spread): the relative-stdev rule never gets below 0.5%; the median's 2%
// interval is known after ~150 samples (1.96 * 1.25 * 0.1 / sqrt(n) = 0.02), a 1% interval
// after about four times as many.
double SamplesToKnowTheMedian(double rel) {
  StoppingParams p;
  p.min_time_s = 0;
  p.max_median_ci = rel;
  StdRelCriterion c(p);
  std::mt19937_64 rng(3);
  std::lognormal_distribution<double> d(std::log(1e-3), 0.1);
  std::vector<double> v;
  while (!c.Done(v, 0.0)) v.push_back(d(rng));
  EXPECT_EQ(c.reason(), "median-ci");
  EXPECT_LE(MedianCiRelHalfWidth(v), rel);
  return static_cast<double>(v.size());
}

TEST(Stats, StopsOnTheMedianInterval) {
  double loose = SamplesToKnowTheMedian(0.02), tight = SamplesToKnowTheMedian(0.01);
  EXPECT_GT(loose, 50);
  EXPECT_LT(loose, 1000);
  EXPECT_GT(tight, 2 * loose);  // the half-width shrinks as 1/sqrt(n)
}

TEST(Stats, CapsTheMeasuredSeconds) {
  StoppingParams p;
  p.max_measured_s = 0.5;
  p.max_noise = 0;  // never satisfied
  p.stability_window = 1 << 20;
  StdRelCriterion c(p);
  std::vector<double> v;
  while (!c.Done(v, 0.0)) v.push_back(v.size() % 2 ? 0.1 : 0.2);
  EXPECT_EQ(c.reason(), "max-measured");
  EXPECT_EQ(v.size(), 3u);  // 0.2 + 0.1 + 0.2 >= 0.5
}

TEST(Stats, StopsOnTimeout) {
  StoppingParams p;
  p.timeout_s = 1;
  StdRelCriterion c(p);
  EXPECT_TRUE(c.Done({1.0}, 2.0));
  EXPECT_EQ(c.reason(), "timeout");
}

TEST(Stats, PairedComparisonGivesThreeWayVerdicts) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0, 0.01);
  std::vector<double> a, faster, same, slower;
  for (int i = 0; i < 10; ++i) {
    double drift = 1 + 0.2 * i;  // machine drift cancels in paired log ratios
    a.push_back(drift * std::exp(noise(rng)));
    faster.push_back(drift * 0.8 * std::exp(noise(rng)));
    same.push_back(drift * std::exp(noise(rng) * 0.1));
    slower.push_back(drift * 1.3 * std::exp(noise(rng)));
  }
  EXPECT_EQ(ComparePaired(a, faster, 0.05, 0.01).verdict, PairedVerdict::kFaster);
  EXPECT_EQ(ComparePaired(a, slower, 0.05, 0.01).verdict, PairedVerdict::kSlower);
  EXPECT_EQ(ComparePaired(a, same, 0.05, 0.05).verdict, PairedVerdict::kSame);
  std::vector<double> wild = {1, 3, 0.3, 2, 0.5};
  EXPECT_EQ(ComparePaired({1, 1, 1, 1, 1}, wild, 0.05, 0.01).verdict, PairedVerdict::kUndecided);
}

TEST(Stats, StudentTQuantileMatchesTables) {
  EXPECT_NEAR(StudentTQuantile(0.05, 9), 2.262, 0.01);
  EXPECT_NEAR(StudentTQuantile(0.05, 30), 2.042, 0.005);
  EXPECT_NEAR(StudentTQuantile(0.10, 1000), 1.645, 0.005);
}

// Reference values: closed forms (dof 1 is Cauchy, dof 2 has t / (2 sqrt(2 + t^2))), t tables,
// and a numerical integration of the t density (Simpson, 2e5 steps).
TEST(Stats, StudentTCdfMatchesClosedFormsAndTables) {
  EXPECT_NEAR(StudentTCdf(0, 3), 0.5, 1e-12);
  EXPECT_NEAR(StudentTCdf(1, 1), 0.75, 1e-10);
  EXPECT_NEAR(StudentTCdf(1, 2), 0.5 + 1 / (2 * std::sqrt(3.0)), 1e-10);
  EXPECT_NEAR(StudentTCdf(-1, 2), 0.5 - 1 / (2 * std::sqrt(3.0)), 1e-10);
  EXPECT_NEAR(StudentTCdf(12.706, 1), 0.975, 1e-4);
  EXPECT_NEAR(StudentTCdf(2.262, 9), 0.975, 1e-4);
  EXPECT_NEAR(StudentTCdf(-2.8284271247461903, 4), 0.0237103, 1e-6);
  EXPECT_NEAR(StudentTCdf(1.8973665961010275, 5.882352941176471), 0.9462344, 1e-6);
  EXPECT_NEAR(StudentTCdf(50, 30), 1.0, 1e-12);
  EXPECT_NEAR(StudentTInverseCdf(0.975, 1), 12.7062, 1e-3);
  EXPECT_NEAR(StudentTInverseCdf(0.995, 4), 4.6041, 1e-3);
  EXPECT_NEAR(StudentTInverseCdf(0.025, 9), -2.2622, 1e-3);
}

TEST(Stats, OneSampleTTestLikeModdedNanogpt) {
  // scipy.stats.ttest_1samp([1, 2, 3, 4, 5], 5, alternative='less'): t -2.828, p 0.0237.
  TTest t = OneSampleTTest({1, 2, 3, 4, 5}, 5, Alternative::kLess, 0.05);
  EXPECT_EQ(t.name, "one-sample t");
  EXPECT_EQ(t.n, 5u);
  EXPECT_NEAR(t.statistic, -2.8284271, 1e-6);
  EXPECT_DOUBLE_EQ(t.dof, 4);
  EXPECT_NEAR(t.p, 0.0237103, 1e-6);
  EXPECT_NEAR(t.difference, -2, 1e-12);
  EXPECT_NEAR(t.effect_size, -2 / std::sqrt(2.5), 1e-9);
  EXPECT_NEAR(t.ci_low, -2 - 2.776445 * std::sqrt(0.5), 1e-4);
  EXPECT_NEAR(OneSampleTTest({1, 2, 3, 4, 5}, 5, Alternative::kGreater, 0.05).p, 1 - 0.0237103,
              1e-6);
  EXPECT_NEAR(OneSampleTTest({1, 2, 3, 4, 5}, 5, Alternative::kTwoSided, 0.05).p,
              2 * 0.0237103, 1e-6);
}

TEST(Stats, WelchTTestUsesSatterthwaiteDof) {
  TTest t = WelchTTest({1, 2, 3, 4, 5}, {2, 4, 6, 8, 10}, Alternative::kTwoSided, 0.05);
  EXPECT_EQ(t.name, "Welch t");
  EXPECT_EQ(t.n, 10u);
  EXPECT_NEAR(t.difference, 3, 1e-12);
  EXPECT_NEAR(t.statistic, 1.8973666, 1e-6);
  EXPECT_NEAR(t.dof, 5.8823529, 1e-6);
  EXPECT_NEAR(t.p, 2 * (1 - 0.9462344), 1e-6);
  EXPECT_NEAR(WelchTTest({1, 2, 3, 4, 5}, {2, 4, 6, 8, 10}, Alternative::kGreater, 0.05).p,
              1 - 0.9462344, 1e-6);
}

TEST(Stats, PairedTTestTestsTheDifferences) {
  // Differences b - a = {-1, -2, -3, -4, -5} + 0 -> as the one-sample test of them against 0.
  TTest t = PairedTTest({10, 10, 10, 10, 10}, {9, 8, 7, 6, 5}, Alternative::kLess, 0.05);
  EXPECT_EQ(t.name, "paired t");
  TTest ref = OneSampleTTest({-1, -2, -3, -4, -5}, 0, Alternative::kLess, 0.05);
  EXPECT_NEAR(t.statistic, ref.statistic, 1e-12);
  EXPECT_NEAR(t.p, ref.p, 1e-12);
  EXPECT_LT(t.p, 0.01);
}

TEST(Stats, TTestsOnDegenerateSamples) {
  TTest one = OneSampleTTest({2.0}, 3, Alternative::kLess, 0.05);
  EXPECT_DOUBLE_EQ(one.p, 1) << "one sample cannot show anything";
  TTest equal = OneSampleTTest({2, 2, 2}, 3, Alternative::kLess, 0.05);
  EXPECT_TRUE(std::isinf(equal.statistic));
  EXPECT_DOUBLE_EQ(equal.p, 0);
  TTest same = OneSampleTTest({3, 3, 3}, 3, Alternative::kLess, 0.05);
  EXPECT_DOUBLE_EQ(same.p, 1);
  TTest welch = WelchTTest({1}, {2, 3}, Alternative::kTwoSided, 0.05);
  EXPECT_DOUBLE_EQ(welch.p, 1);
  EXPECT_EQ(TTestToJson(equal)["statistic"], "-inf");
}

}  // namespace
}  // namespace referee::harness
