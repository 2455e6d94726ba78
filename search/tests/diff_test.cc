#include "referee/search/diff.h"

#include <gtest/gtest.h>

#include <random>

namespace referee::search {
namespace {

std::string Lines(std::initializer_list<const char*> lines) {
  std::string s;
  for (const char* l : lines) s += std::string(l) + "\n";
  return s;
}

TEST(Diff, RoundTripsThroughUnifiedDiff) {
  Program a{{{"k.py", Lines({"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"})}}};
  Program b{{{"k.py", Lines({"a", "B", "c", "d", "e", "f", "g", "h", "i", "j", "k"})}}};
  std::string d = ProgramDiff(a, b);
  EXPECT_NE(d.find("--- a/k.py\n+++ b/k.py\n"), std::string::npos);
  EXPECT_NE(d.find("-b\n+B\n"), std::string::npos);
  Expected<Program> back = ApplyUnifiedDiff(a, d);
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(*back, b);
  EXPECT_EQ(ChangedLines(a, b), 3);
}

TEST(Diff, RandomEditsRoundTrip) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<std::string> lines;
    for (int i = 0; i < 30; ++i) lines.push_back("l" + std::to_string(rng() % 12) + "\n");
    std::string old_text;
    for (auto& l : lines) old_text += l;
    for (int e = 0; e < 6; ++e) {
      size_t at = rng() % (lines.size() + 1);
      switch (rng() % 3) {
        case 0:
          lines.insert(lines.begin() + at, "new" + std::to_string(e) + "\n");
          break;
        case 1:
          if (at < lines.size()) lines.erase(lines.begin() + at);
          break;
        default:
          if (at < lines.size()) lines[at] = "chg" + std::to_string(e) + "\n";
      }
    }
    std::string new_text;
    for (auto& l : lines) new_text += l;
    if (trial % 5 == 0) new_text += "no newline at the end";
    Program a{{{"f", old_text}}}, b{{{"f", new_text}}};
    Expected<Program> back = ApplyUnifiedDiff(a, ProgramDiff(a, b));
    ASSERT_TRUE(back) << trial << ": " << back.error().ToString();
    ASSERT_EQ(*back, b) << trial;
  }
}

TEST(Diff, AppliesWithOffsetAndRefusesMissingContext) {
  Program a{{{"k.py", Lines({"x", "y", "a", "b", "c", "d"})}}};
  std::string d = "--- a/k.py\n+++ b/k.py\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n";
  Expected<Program> p = ApplyUnifiedDiff(a, d);
  ASSERT_TRUE(p) << p.error().ToString();
  EXPECT_EQ(p->files["k.py"], Lines({"x", "y", "a", "B", "c", "d"}));
  Expected<Program> bad =
      ApplyUnifiedDiff(a, "--- a/k.py\n+++ b/k.py\n@@ -1,2 +1,2 @@\n q\n-r\n+s\n");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message().find("hunk 1"), std::string::npos);
  EXPECT_FALSE(ApplyUnifiedDiff(a, "not a diff"));
  EXPECT_FALSE(ApplyUnifiedDiff(a, "--- a/other.py\n+++ b/other.py\n@@ -1 +1 @@\n-x\n+y\n"));
  EXPECT_FALSE(ApplyUnifiedDiff(a, "--- a/../x\n+++ b/../x\n@@ -1 +1 @@\n-x\n+y\n"));
}

TEST(Merge3, CombinesDisjointChangesAndRefusesConflicts) {
  std::string base = Lines({"a", "b", "c", "d", "e", "f"});
  std::string ours = Lines({"a", "B", "c", "d", "e", "f"});
  std::string theirs = Lines({"a", "b", "c", "d", "E", "f", "g"});
  Expected<std::string> m = Merge3(base, ours, theirs, "k.py");
  ASSERT_TRUE(m) << m.error().ToString();
  EXPECT_EQ(*m, Lines({"a", "B", "c", "d", "E", "f", "g"}));
  EXPECT_EQ(*Merge3(base, ours, ours, "k.py"), ours);  // the same change on both sides
  Expected<std::string> conflict =
      Merge3(base, ours, Lines({"a", "X", "c", "d", "e", "f"}), "k.py");
  ASSERT_FALSE(conflict);
  EXPECT_NE(conflict.error().message().find("k.py: both sides changed lines 2-2"),
            std::string::npos);
}

}  // namespace
}  // namespace referee::search
