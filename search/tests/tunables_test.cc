#include "referee/search/tunables.h"

#include <gtest/gtest.h>

namespace referee::search {
namespace {

const char* kSource =
    "import torch\n"
    "BLOCK = 256  # referee: tune BLOCK in [64, 128, 256, 1024]\n"
    "# referee: tune MODE in [\"fast\", 'exact']\n"
    "MODE: str = \"fast\"\n"
    "USE_X = True  # referee: tune USE_X in [True, False]\n"
    "\n"
    "def run(x):\n"
    "    return x\n";

TEST(Tunables, FindsAnnotatedAssignments) {
  Expected<std::vector<Tunable>> t = FindTunables(Program{{{"k.py", kSource}}});
  ASSERT_TRUE(t) << t.error().ToString();
  ASSERT_EQ(t->size(), 3u);
  EXPECT_EQ((*t)[0].name, "BLOCK");
  EXPECT_EQ((*t)[0].values, (std::vector<std::string>{"64", "128", "256", "1024"}));
  EXPECT_EQ((*t)[0].current, "256");
  EXPECT_EQ((*t)[0].current_index, 2);
  EXPECT_EQ((*t)[0].line, 2);
  EXPECT_EQ((*t)[1].name, "MODE");
  EXPECT_EQ((*t)[1].line, 4);
  EXPECT_EQ((*t)[1].current, "\"fast\"");
  EXPECT_EQ((*t)[2].current, "True");
  Json cur = CurrentParams(*t);
  EXPECT_EQ(cur["BLOCK"], 256);
  EXPECT_EQ(cur["MODE"], "fast");
  EXPECT_EQ(cur["USE_X"], true);
}

TEST(Tunables, ApplyChangesOnlyTheLiterals) {
  Program p{{{"k.py", kSource}}};
  Expected<Program> q = ApplyParams(p, {{"BLOCK", 1024}, {"MODE", "exact"}, {"USE_X", false}});
  ASSERT_TRUE(q) << q.error().ToString();
  const std::string& s = q->files["k.py"];
  EXPECT_NE(s.find("BLOCK = 1024  # referee: tune BLOCK in [64, 128, 256, 1024]\n"),
            std::string::npos);
  EXPECT_NE(s.find("MODE: str = 'exact'\n"), std::string::npos);
  EXPECT_NE(s.find("USE_X = False  #"), std::string::npos);
  EXPECT_EQ(s.size(), std::string(kSource).size() + 3);
}

TEST(Tunables, RefusesValuesOutsideTheListAndUnknownNames) {
  Program p{{{"k.py", kSource}}};
  Expected<Program> bad = ApplyParams(p, {{"BLOCK", 100}});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message(), "params: BLOCK=100 is not one of [64, 128, 256, 1024]");
  EXPECT_FALSE(ApplyParams(p, {{"NOPE", 1}}));
  EXPECT_FALSE(ApplyParams(p, Json::object()));
}

TEST(Tunables, CppForms) {
  Program p{{{"k.cu",
              "constexpr int kTile = 32;  // referee: tune kTile in [16, 32, 64]\n"
              "#define UNROLL 4  // referee: tune UNROLL in [1, 2, 4, 8]\n"}}};
  Expected<Program> q = ApplyParams(p, {{"kTile", 64}, {"UNROLL", 8}});
  ASSERT_TRUE(q) << q.error().ToString();
  EXPECT_EQ(q->files["k.cu"],
            "constexpr int kTile = 64;  // referee: tune kTile in [16, 32, 64]\n"
            "#define UNROLL 8  // referee: tune UNROLL in [1, 2, 4, 8]\n");
}

TEST(Tunables, MalformedAnnotationsAreLocatedErrors) {
  Expected<std::vector<Tunable>> t =
      FindTunables(Program{{{"k.py", "x = 1\nB = 2  # referee: tune B [1, 2]\n"}}});
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().ToString(),
            "k.py:2:10: error: malformed tunable annotation; expected 'referee: tune NAME in "
            "[v1, v2, ...]'");
  t = FindTunables(Program{{{"k.py", "# referee: tune B in [1, 2]\nprint(1)\n"}}});
  ASSERT_FALSE(t);
  EXPECT_EQ(t.error().ToString(), "k.py:1:3: error: no assignment to 'B' on this or the next line");
}

}  // namespace
}  // namespace referee::search
