// GPU calibration: the measurement's peaks get headroom, so the roofline floor rejects only
// the impossible, and the calibration file round-trips.
#include <gtest/gtest.h>

#include "referee/harness/score.h"

namespace referee::harness {
namespace {

// What referee_calibrate_gpu.py printed on the H100 (tests/gpu, 2026-11-25), rounded.
Json H100Measurement() {
  return Json{{"name", "NVIDIA H100 80GB HBM3"}, {"flops_per_s", 7.2e14},
              {"dram_bytes_per_s", 2.9e12}, {"cache_bytes_per_s", 9.0e12},
              {"l2_bytes", 52428800}, {"sm_count", 132}};
}

TEST(CalibrateGpu, PeaksKeepHeadroomOverTheMeasurement) {
  Expected<DevicePeaks> p = GpuPeaksFromMeasurement(H100Measurement(), "cuda:H100", "m.json");
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_GT(p->flops_per_s, 7.2e14);
  EXPECT_GT(p->dram_bytes_per_s, 2.9e12);
  EXPECT_GE(p->cache_bytes_per_s, p->dram_bytes_per_s);
  EXPECT_EQ(p->device, "cuda:H100");
  EXPECT_FALSE(p->measured_at.empty());
  EXPECT_DOUBLE_EQ(p->measured["flops_per_s"].get<double>(), 7.2e14);
}

TEST(CalibrateGpu, HonestLibraryTimesStayAboveTheFloor) {
  DevicePeaks p = *GpuPeaksFromMeasurement(H100Measurement(), "cuda:H100", "m.json");
  // A bf16 GEMM 5% faster than the library's best is honest: above the floor.
  double flops = 2.0 * 8192.0 * 8192.0 * 8192.0;
  double honest_s = flops / (7.2e14 * 1.05);
  EXPECT_GT(honest_s, ComputeRoofline(flops, 3 * 8192.0 * 8192 * 2, p).floor_s);
  // Twice the library's rate is not.
  EXPECT_LT(flops / (7.2e14 * 2), ComputeRoofline(flops, 3 * 8192.0 * 8192 * 2, p).floor_s);
  // A copy at the measured DRAM rate is above the floor; 10x it is below.
  double bytes = 2.0 * (1 << 30);
  EXPECT_GT(bytes / 2.9e12, ComputeRoofline(0, bytes, p).floor_s);
  EXPECT_LT(bytes / 2.9e13, ComputeRoofline(0, bytes, p).floor_s);
}

TEST(CalibrateGpu, CacheBandwidthIsNeverBelowDram) {
  Json m = H100Measurement();
  m["cache_bytes_per_s"] = 1e11;  // a broken or tiny-L2 measurement
  DevicePeaks p = *GpuPeaksFromMeasurement(m, "cuda:x", "m.json");
  EXPECT_GE(p.cache_bytes_per_s, p.dram_bytes_per_s);
}

TEST(CalibrateGpu, RejectsAMeasurementWithoutRates) {
  Json m = H100Measurement();
  m.erase("dram_bytes_per_s");
  Expected<DevicePeaks> p = GpuPeaksFromMeasurement(m, "cuda:x", "calib.py");
  ASSERT_FALSE(p);
  EXPECT_NE(p.error().ToString().find("dram_bytes_per_s"), std::string::npos);
  EXPECT_NE(p.error().ToString().find("calib.py"), std::string::npos);
  EXPECT_FALSE(GpuPeaksFromMeasurement(Json::array(), "cuda:x", "calib.py"));
}

TEST(CalibrateGpu, CalibrationFileRoundTrips) {
  DevicePeaks p = *GpuPeaksFromMeasurement(H100Measurement(), "cuda:H100", "m.json");
  Expected<DevicePeaks> back = PeaksFromJson(PeaksToJson(p), "peaks.json");
  ASSERT_TRUE(back);
  EXPECT_DOUBLE_EQ(back->flops_per_s, p.flops_per_s);
  EXPECT_DOUBLE_EQ(back->cache_bytes_per_s, p.cache_bytes_per_s);
  EXPECT_EQ(back->measured["headroom"]["flops"].get<double>(), 1.25);
}

TEST(CalibrateCpu, CacheIsNeverTakenBelowDram) {
  DevicePeaks ok = CpuPeaksFromMeasurement(1e11, 5e11, 2e10);
  EXPECT_DOUBLE_EQ(ok.cache_bytes_per_s, 5e11);
  EXPECT_FALSE(ok.measured.contains("warning"));
  DevicePeaks odd = CpuPeaksFromMeasurement(1e11, 1e10, 2e10);  // a disturbed measurement
  EXPECT_DOUBLE_EQ(odd.cache_bytes_per_s, 2e10);
  EXPECT_DOUBLE_EQ(odd.measured["cache_bytes_per_s"].get<double>(), 1e10);  // the raw number kept
  ASSERT_TRUE(odd.measured.contains("warning"));
  EXPECT_NE(odd.measured["warning"].get<std::string>().find("below DRAM"), std::string::npos);
}

TEST(CalibrateGpu, DriverVersionFromEitherKernelModule) {
  EXPECT_EQ(ParseNvidiaDriverVersion("NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  "
                                     "580.159.04  Release Build  (dvs-builder@U16)  Thu\nGCC"),
            "580.159.04");
  EXPECT_EQ(ParseNvidiaDriverVersion("NVRM version: NVIDIA UNIX x86_64 Kernel Module  535.104.05"
                                     "  Sat Aug 19 01:15:15 UTC 2023\n"),
            "535.104.05");
  EXPECT_EQ(ParseNvidiaDriverVersion("garbage"), "");
}

TEST(CalibrateGpu, NoGpuHereMeansAnEmptyNameOrAModel) {
  std::string name = GpuDeviceName();
  EXPECT_TRUE(name.empty() || name.rfind("cuda:", 0) == 0) << name;
}

}  // namespace
}  // namespace referee::harness
