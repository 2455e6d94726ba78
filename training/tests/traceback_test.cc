#include "traceback.h"

#include <gtest/gtest.h>

namespace referee::training {
namespace {

const std::vector<std::pair<std::string, std::string>> kMap = {{"/work/", "cand/"},
                                                               {"/output/", "<output>/"}};

TEST(Traceback, InnermostCandidateFrameAndTheException) {
  std::string err =
      "step 1\n"
      "Traceback (most recent call last):\n"
      "  File \"/work/train.py\", line 42, in <module>\n"
      "    main()\n"
      "  File \"/work/train.py\", line 17, in main\n"
      "    x = 1 / 0\n"
      "        ~~^~~\n"
      "  File \"/usr/lib/python3/dist-packages/torch/x.py\", line 9, in f\n"
      "ZeroDivisionError: division by zero\n";
  std::optional<PythonError> e = ParseTraceback(err, kMap);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->loc.file, "cand/train.py");
  EXPECT_EQ(e->loc.line, 17);
  EXPECT_EQ(e->message, "ZeroDivisionError: division by zero");
}

TEST(Traceback, ChainedTracebacksUseTheLastOne) {
  std::string err =
      "Traceback (most recent call last):\n"
      "  File \"/work/a.py\", line 1, in <module>\n"
      "KeyError: 'x'\n\n"
      "During handling of the above exception, another exception occurred:\n\n"
      "Traceback (most recent call last):\n"
      "  File \"/output/model.py\", line 5, in load_model\n"
      "RuntimeError: no checkpoint\n";
  std::optional<PythonError> e = ParseTraceback(err, kMap);
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->loc.file, "<output>/model.py");
  EXPECT_EQ(e->loc.line, 5);
  EXPECT_EQ(e->message, "RuntimeError: no checkpoint");
}

TEST(Traceback, NoTracebackNoResult) {
  EXPECT_FALSE(ParseTraceback("Killed\n", kMap).has_value());
  EXPECT_EQ(LastLine("a\n b \n\n"), "b");
  EXPECT_EQ(LastLine(""), "");
}

TEST(Traceback, FramesOutsideTheCandidateLeaveNoLocation) {
  std::optional<PythonError> e = ParseTraceback(
      "Traceback (most recent call last):\n  File \"<string>\", line 1, in <module>\n"
      "SystemExit: 3\n",
      kMap);
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(e->loc.empty());
  EXPECT_EQ(e->message, "SystemExit: 3");
}

}  // namespace
}  // namespace referee::training
