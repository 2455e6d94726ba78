#include "referee/base/json.h"

#include <gtest/gtest.h>

namespace referee {
namespace {

TEST(Json, ParseErrorNamesLineAndColumn) {
  Expected<Json> j = ParseJson("{\n  \"a\": 1,\n  \"b\": ]\n}", "t.json");
  ASSERT_FALSE(j.has_value());
  EXPECT_EQ(j.error().loc().file, "t.json");
  EXPECT_EQ(j.error().loc().line, 3);
  EXPECT_EQ(j.error().loc().col, 8);
}

TEST(Json, DumpKeepsInsertionOrderAndSurvivesBadUtf8) {
  Json j = Json::object();
  j["z"] = 1;
  j["a"] = std::string("\xff");
  std::string out = DumpJson(j, -1);
  EXPECT_LT(out.find("\"z\""), out.find("\"a\""));
}

}  // namespace
}  // namespace referee
