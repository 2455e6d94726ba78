#include "child_pool.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <vector>

namespace referee::analyzers {
namespace {

TEST(ChildPool, RunsEveryTaskAndReportsThoseWhoseProcessDied) {
  std::vector<int> done;
  std::vector<TaskResult> results = RunInChildren(
      6, 2, ChildLimits{},
      [](int i) -> std::string {
        if (i == 2) raise(SIGKILL);
        if (i == 4) _exit(7);
        return "reply " + std::to_string(i) + std::string(100000 * i, 'x');  // larger than a pipe
      },
      [&](int i) { done.push_back(i); });
  ASSERT_EQ(results.size(), 6u);
  EXPECT_EQ(done.size(), 6u);
  for (int i : {0, 1, 3, 5}) {
    EXPECT_TRUE(results[i].ok) << i;
    EXPECT_EQ(results[i].reply.substr(0, 7), "reply " + std::to_string(i));
    EXPECT_EQ(results[i].reply.size(), 7 + 100000u * i);
  }
  EXPECT_FALSE(results[2].ok);
  EXPECT_EQ(results[2].failure, "the analysis crashed (signal 9, SIGKILL)");
  EXPECT_FALSE(results[4].ok);
  EXPECT_EQ(results[4].failure, "the analysis process exited with status 7");
}

TEST(ChildPool, TasksRunOnALargeStack) {
  std::vector<TaskResult> results = RunInChildren(
      1, 1, ChildLimits{},
      [](int) {
        // 64 MiB of stack: far past a default thread's 8 MiB.
        volatile char big[64 << 20];
        big[0] = 1;
        big[sizeof big - 1] = 2;
        return std::string(1, char('0' + big[0] + big[sizeof big - 1]));
      },
      [](int) {});
  ASSERT_TRUE(results[0].ok) << results[0].failure;
  EXPECT_EQ(results[0].reply, "3");
}

TEST(ChildPool, StopsATaskPastItsTimeBudget) {
  std::vector<TaskResult> results = RunInChildren(
      2, 1, ChildLimits{0.5, 0},
      [](int i) {
        if (i == 0) pause();
        return std::string("ok");
      },
      [](int) {});
  EXPECT_EQ(results[0].failure, "the analysis ran past the per-file time budget of 0.5 s");
  EXPECT_TRUE(results[1].ok);
}

TEST(ChildPool, NoTasksIsNoWork) {
  EXPECT_TRUE(RunInChildren(0, 4, ChildLimits{}, [](int) { return std::string(); }, [](int) {})
                  .empty());
}

}  // namespace
}  // namespace referee::analyzers
