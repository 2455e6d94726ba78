#include "referee/harness/dtype.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

namespace referee::harness {
namespace {

TEST(DType, ParsesNamesAndTorchSpellings) {
  EXPECT_EQ(*ParseDType("float32"), DType::kFloat32);
  EXPECT_EQ(*ParseDType("torch.bfloat16"), DType::kBFloat16);
  EXPECT_EQ(*ParseDType("half"), DType::kFloat16);
  EXPECT_FALSE(ParseDType("float8_e4m3fn"));
}

TEST(DType, RoundTripsHalfPrecisionValues) {
  std::vector<uint16_t> buf(4);
  for (double v : {1.0, -2.5, 0.000061035, 65504.0}) {
    StoreElement(buf.data(), 0, DType::kFloat16, v);
    EXPECT_NEAR(LoadElement(buf.data(), 0, DType::kFloat16), v, std::fabs(v) * 1e-3) << v;
    StoreElement(buf.data(), 1, DType::kBFloat16, v);
    EXPECT_NEAR(LoadElement(buf.data(), 1, DType::kBFloat16), v, std::fabs(v) * 1e-2) << v;
  }
}

TEST(DType, PoisonIsDetectedUntilOverwritten) {
  for (DType t : {DType::kFloat32, DType::kFloat16, DType::kBFloat16, DType::kInt32,
                  DType::kBool, DType::kInt64}) {
    std::vector<char> buf(64);
    FillPoison(buf.data(), 4, t);
    EXPECT_TRUE(IsPoison(buf.data(), 2, t));
    StoreElement(buf.data(), 2, t, 1.0);
    EXPECT_FALSE(IsPoison(buf.data(), 2, t)) << DTypeName(t);
    StoreElement(buf.data(), 3, t, 0.0);
    EXPECT_FALSE(IsPoison(buf.data(), 3, t)) << DTypeName(t);
  }
}

TEST(DType, BulkFormsAgreeWithPerElementOnes) {
  for (DType t : {DType::kFloat32, DType::kBFloat16, DType::kFloat16, DType::kInt32}) {
    std::vector<char> buf(5000 * DTypeSize(t));
    FillPoison(buf.data(), 5000, t);
    EXPECT_EQ(FindPoison(buf.data(), 5000, t), 0u);
    for (size_t k = 0; k < 5000; ++k) StoreElement(buf.data(), k, t, static_cast<double>(k % 7));
    EXPECT_EQ(FindPoison(buf.data(), 5000, t), 5000u);
    FillPoison(buf.data() + 4321 * DTypeSize(t), 1, t);
    EXPECT_EQ(FindPoison(buf.data(), 5000, t), 4321u);
    std::vector<double> run(100);
    LoadRun(buf.data(), 4200, 100, t, run.data());
    for (size_t i = 0; i < 100; ++i) {
      double want = LoadElement(buf.data(), 4200 + i, t);
      if (std::isnan(want)) {
        EXPECT_TRUE(std::isnan(run[i]));
      } else {
        EXPECT_EQ(run[i], want);
      }
    }
    size_t visited = 0;
    ForEachElement(buf.data(), 5000, t, [&](size_t k, double) { return ++visited, k < 4999; });
    EXPECT_EQ(visited, 5000u);
  }
}

// Infinities are found as non-finite but not as poison; NaN as both; integers never.
TEST(DType, FindNonFiniteFindsTheFirstInfOrNaN) {
  for (DType t : {DType::kFloat32, DType::kBFloat16, DType::kFloat16, DType::kFloat64}) {
    std::vector<char> buf(9000 * DTypeSize(t));
    StoreElement(buf.data(), 0, t, std::numeric_limits<double>::infinity());
    EXPECT_EQ(FindPoison(buf.data(), 1, t), 1u) << DTypeName(t);
    EXPECT_EQ(FindNonFinite(buf.data(), 1, t), 0u) << DTypeName(t);
    StoreElement(buf.data(), 0, t, -std::numeric_limits<double>::quiet_NaN());
    EXPECT_EQ(FindPoison(buf.data(), 1, t), 0u) << DTypeName(t);  // either sign
    for (size_t k = 0; k < 9000; ++k) StoreElement(buf.data(), k, t, 1.5 - static_cast<double>(k % 5));
    EXPECT_EQ(FindNonFinite(buf.data(), 9000, t), 9000u);
    StoreElement(buf.data(), 8191, t, -std::numeric_limits<double>::infinity());
    EXPECT_EQ(FindNonFinite(buf.data(), 9000, t), 8191u);
    EXPECT_EQ(FindPoison(buf.data(), 9000, t), 9000u);  // an infinity is not the poison
    StoreElement(buf.data(), 5000, t, std::numeric_limits<double>::quiet_NaN());
    EXPECT_EQ(FindNonFinite(buf.data(), 9000, t), 5000u);
    EXPECT_EQ(FindPoison(buf.data(), 9000, t), 5000u);
  }
  std::vector<int32_t> ints(100, 0x7f800000);  // the bits of +inf, as an integer
  EXPECT_EQ(FindNonFinite(ints.data(), 100, DType::kInt32), 100u);
}

}  // namespace
}  // namespace referee::harness
