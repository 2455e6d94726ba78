#include "referee/base/strings.h"

#include <gtest/gtest.h>

#include "referee/base/closest_name.h"
#include "referee/base/file.h"

namespace referee {
namespace {

TEST(Strings, FormatSplitJoin) {
  EXPECT_EQ(StrFormat("%s:%d", "a", 3), "a:3");
  EXPECT_EQ(StrSplit("a,b,,c", ',').size(), 4u);
  EXPECT_EQ(StrJoin({"a", "b"}, ", "), "a, b");
  EXPECT_EQ(StripWhitespace("  x y \n"), "x y");
}

TEST(Strings, EditDistanceForSuggestions) {
  EXPECT_EQ(EditDistance("audit", "audti"), 2);
  EXPECT_EQ(EditDistance("", "abc"), 3);
  EXPECT_EQ(EditDistance("rules", "rules"), 0);
}

TEST(Strings, ClosestNameIsTheNearestWithinTwoEdits) {
  std::vector<std::string> known = {"tolerance", "toleranse_x", "workloads"};
  EXPECT_EQ(ClosestName("tolerence", known), "tolerance");  // one edit beats three
  EXPECT_EQ(ClosestName("workload", known), "workloads");
  EXPECT_EQ(ClosestName("reference", known), "");  // nothing within two edits
  EXPECT_EQ(ClosestName("tolerence", known, 0), "");
}

TEST(File, ReadMissingFileIsNotFound) {
  Expected<std::string> r = ReadFile("/nonexistent/referee");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), StatusCode::kNotFound);
}

TEST(File, BinaryDetection) {
  EXPECT_TRUE(LooksBinary(std::string("ab\0cd", 5)));
  EXPECT_FALSE(LooksBinary("int main() {}"));
}

}  // namespace
}  // namespace referee
