// The SM clock readings and the throttled-sample flags (sm_clock.h), without a GPU.
#include "referee/harness/sm_clock.h"

#include <gtest/gtest.h>

namespace referee::harness {
namespace {

TEST(SmClock, MhzIsCyclesPerNanosecondTimesAThousand) {
  std::optional<double> mhz = SmClockMhz(Json{{"sm_clock", {{"cycles", 200000}, {"ns", 101010}}}});
  ASSERT_TRUE(mhz);
  EXPECT_NEAR(*mhz, 1980.0, 0.1);
}

TEST(SmClock, MissingOrImplausibleReadingsAreNotReadings) {
  EXPECT_FALSE(SmClockMhz(Json{{"ok", true}}));
  EXPECT_FALSE(SmClockMhz(Json{{"sm_clock", "fast"}}));
  EXPECT_FALSE(SmClockMhz(Json{{"sm_clock", {{"cycles", 200000}, {"ns", 0}}}}));
  EXPECT_FALSE(SmClockMhz(Json{{"sm_clock", {{"cycles", 200000}, {"ns", -5}}}}));
  EXPECT_FALSE(SmClockMhz(Json{{"sm_clock", {{"cycles", "2e5"}, {"ns", 100}}}}));
  EXPECT_FALSE(SmClockMhz(Json{{"sm_clock", {{"cycles", 1e9}, {"ns", 1}}}}));  // 1e6 GHz
}

TEST(SmClock, SteadyClockFlagsNothing) {
  ClockReport c = FlagThrottled({1980, 1975, 1980, 1965, 1980});
  EXPECT_EQ(c.read, 5u);
  EXPECT_DOUBLE_EQ(c.max_mhz, 1980);
  EXPECT_DOUBLE_EQ(c.min_mhz, 1965);
  EXPECT_NEAR(c.threshold_mhz, 1782, 1e-9);
  EXPECT_TRUE(c.throttled.empty());
  EXPECT_FALSE(c.warn);
  EXPECT_TRUE(ClockReportToJson(c)["warning"].is_null());
}

TEST(SmClock, SamplesBelowNinetyPercentOfTheFastestAreThrottled) {
  // One dip in twenty: flagged, but not enough for a warning.
  std::vector<double> mhz(20, 1980);
  mhz[7] = 1410;
  ClockReport c = FlagThrottled(mhz);
  ASSERT_EQ(c.throttled.size(), 1u);
  EXPECT_EQ(c.throttled[0], 7u);
  EXPECT_FALSE(c.warn);
  // A throttled stretch (power cap): a quarter of the samples, warned about.
  for (int i = 10; i < 15; ++i) mhz[i] = 1200;
  c = FlagThrottled(mhz);
  EXPECT_EQ(c.throttled.size(), 6u);
  EXPECT_TRUE(c.warn);
  Json j = ClockReportToJson(c);
  EXPECT_EQ(j["throttled"], 6);
  EXPECT_EQ(j["mhz"].size(), 20u);
  EXPECT_NE(j["warning"].get<std::string>().find("6 of 20 samples"), std::string::npos);
}

TEST(SmClock, SamplesWithoutAReadingAreSkipped) {
  ClockReport c = FlagThrottled({0, 1900, 0, 1880});
  EXPECT_EQ(c.read, 2u);
  EXPECT_DOUBLE_EQ(c.min_mhz, 1880);
  EXPECT_TRUE(c.throttled.empty());
  EXPECT_EQ(c.mhz.size(), 4u);  // raw, aligned with the samples
  EXPECT_TRUE(ClockReportToJson(FlagThrottled({0, 0})).is_null());
  EXPECT_TRUE(ClockReportToJson(FlagThrottled({})).is_null());
}

}  // namespace
}  // namespace referee::harness
