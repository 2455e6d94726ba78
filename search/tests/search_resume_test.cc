// kill -9 at any moment, an evaluator that fails, a full disk for blobs, a corrupt journal
// page: each leaves a journal that resumes, and a resumed search ends in the same decisions.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "search_fixture.h"

namespace referee::search {
namespace {

// Deterministic in the request: improvements, a hack, a failure, a batch for the screen.
Expected<ProposeResult> Mixed(const ProposalContext& ctx) {
  switch (ctx.seq % 5) {
    case 1:
      return Params({{"BLOCK", ctx.seq % 2 ? 512 : 1024}}, "tune");
    case 2:
      return Edit(ctx, "def run(x, y):", "# fake: fail=thread-growth@1\ndef run(x, y):", "hack");
    case 3:
      return UnavailableError("proposer timed out");
    case 4: {
      ProposeResult r;
      for (int b : {64, 128, 1024}) {
        Proposal p;
        p.params = Json{{"BLOCK", b}};
        r.proposals.push_back(p);
      }
      return r;
    }
    default:
      return Edit(ctx, "return x + y", "return x + y + 0 * " + std::to_string(ctx.seq), "same");
  }
}

class ResumeTest : public SearchTest {
 protected:
  SearchConfig MixedConfig(int candidates = 12) {
    SearchConfig c = Config(2);
    c.budget.max_candidates = candidates;
    c.threads.exploit = 0.5;
    c.threads.merge_every = 2;
    c.threads.migrate_every = 3;
    c.threads.stagnation_rounds = 3;
    c.cascade.screen_keep = 1;
    return c;
  }
  std::vector<std::string> Reference(int candidates = 12) {
    std::string saved = dir_;
    dir_ = root_ / "reference";
    std::filesystem::remove_all(dir_);
    Init(MixedConfig(candidates));
    ScriptedProposer p("script", Mixed);
    Expected<RunOutcome> r = Run({{"script", &p}});
    EXPECT_TRUE(r) << r.error().ToString();
    std::vector<std::string> trace = DecisionTrace();
    dir_ = saved;
    return trace;
  }
};

TEST_F(ResumeTest, Kill9AtAnyMomentThenResumeEndsInTheSameDecisions) {
  std::vector<std::string> reference = Reference();
  ASSERT_GE(reference.size(), 6u);
  for (int kill_ms : {40, 180}) {
    std::filesystem::remove_all(dir_);
    Init(MixedConfig());
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ScriptedProposer p("script", Mixed);
      FakeJudgeOptions slow;
      slow.sleep_s = 0.004;
      (void)Run({{"script", &p}}, nullptr, slow);
      _exit(0);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_ms));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    ScriptedProposer p("script", Mixed);
    Expected<RunOutcome> r = Run({{"script", &p}});
    ASSERT_TRUE(r) << kill_ms << " ms: " << r.error().ToString();
    EXPECT_EQ(DecisionTrace(), reference) << "killed after " << kill_ms << " ms";
    // Nothing counted twice: one thread-level decision per candidate at most.
    std::map<int64_t, int> accepts;
    std::vector<DecisionRecord> decisions = *Open()->Decisions();
    for (const DecisionRecord& d : decisions) accepts[d.candidate] += d.kind == "accept";
    for (const auto& [id, n] : accepts) EXPECT_LE(n, 1) << id;
  }
}

// The process dies inside the n-th judge call, for n over the whole run: every stage of the
// cascade is interrupted at least once somewhere in this sweep.
TEST_F(ResumeTest, DyingInsideAnyJudgeCallThenResumingEndsInTheSameDecisions) {
  std::vector<std::string> reference = Reference(6);
  for (int n = 1; n <= 80; ++n) {
    std::filesystem::remove_all(dir_);
    Init(MixedConfig(6));
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ScriptedProposer p("script", Mixed);
      FakeJudgeOptions dying;
      dying.die_at_call = n;
      (void)Run({{"script", &p}}, nullptr, dying);
      _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    ScriptedProposer p("script", Mixed);
    Expected<RunOutcome> r = Run({{"script", &p}});
    ASSERT_TRUE(r) << "died at call " << n << ": " << r.error().ToString();
    ASSERT_EQ(DecisionTrace(), reference) << "died at judge call " << n;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) break;  // the run had fewer calls
  }
}

TEST_F(ResumeTest, AnEvaluatorFailureIsRetriedOnResumeThenMarkedLost) {
  SearchConfig c = Config();
  c.budget.max_candidates = 2;
  c.cascade.max_attempts = 2;
  Init(c);
  ScriptedProposer p("script", [](const ProposalContext& ctx) -> Expected<ProposeResult> {
    if (ctx.seq == 1) return Edit(ctx, "def run(x, y):", "# fake: error\ndef run(x, y):", "x");
    return Params({{"BLOCK", 512}});
  });
  Expected<RunOutcome> first = Run({{"script", &p}});
  ASSERT_FALSE(first);
  EXPECT_EQ(first.error().ToString(),
            "error: candidate 2, stage quick: fake judge: evaluator failure requested");
  EXPECT_EQ(CandidateStatus(2), "queued");
  ASSERT_FALSE(Run({{"script", &p}}));  // retried once: fails again, now lost
  EXPECT_EQ(CandidateStatus(2), "lost");
  Expected<RunOutcome> third = Run({{"script", &p}});
  ASSERT_TRUE(third) << third.error().ToString();
  EXPECT_EQ(CandidateStatus(3), "accepted");
  auto sessions = *Open()->Sessions();
  EXPECT_EQ(sessions[0].stop_reason.rfind("error: ", 0), 0u);
}

TEST_F(ResumeTest, AFullDiskForBlobsIsAOneLineErrorAndTheJournalResumes) {
  SearchConfig c = Config();
  c.budget.max_candidates = 2;
  c.gate.max_file_bytes = 4 << 20;
  auto big = [](const ProposalContext& ctx) -> Expected<ProposeResult> {
    if (ctx.seq == 1) {
      return Edit(ctx, "def run(x, y):", "# " + std::string(600000, 'p') + "\ndef run(x, y):",
                  "a large file");
    }
    return Params({{"BLOCK", 1024}});
  };
  std::string saved = dir_;
  dir_ = root_ / "reference";
  Init(c);
  ScriptedProposer ref("script", big);
  ASSERT_TRUE(Run({{"script", &ref}}));
  std::vector<std::string> reference = DecisionTrace();
  dir_ = saved;
  Init(c);
  int pipefd[2];
  ASSERT_EQ(pipe(pipefd), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    rlimit lim{300 << 10, 300 << 10};  // the 600 KB blob does not fit; the journal does
    setrlimit(RLIMIT_FSIZE, &lim);
    signal(SIGXFSZ, SIG_IGN);
    ScriptedProposer p("script", big);
    Expected<RunOutcome> r = Run({{"script", &p}});
    std::string line = r ? "ran" : r.error().ToString();
    (void)!write(pipefd[1], line.data(), line.size());
    _exit(r ? 0 : 2);
  }
  close(pipefd[1]);
  std::string line;
  char buf[512];
  for (ssize_t n; (n = read(pipefd[0], buf, sizeof buf)) > 0;) line.append(buf, n);
  close(pipefd[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 2) << line;
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_NE(line.find("File too large"), std::string::npos) << line;
  ScriptedProposer p("script", big);
  Expected<RunOutcome> r = Run({{"script", &p}});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(DecisionTrace(), reference);
}

TEST_F(ResumeTest, ACorruptJournalPageIsReportedRepairedAndResumed) {
  SearchConfig c = Config();
  c.budget.max_candidates = 6;
  Init(c);
  ScriptedProposer p("script", [](const ProposalContext& ctx) {
    return Params({{"BLOCK", ctx.seq % 2 ? 512 : 1024}}, std::string(2000, 'r'));
  });
  ASSERT_TRUE(Run({{"script", &p}}));
  std::string db = dir_ + "/journal.db";
  ASSERT_FALSE(std::filesystem::exists(db + "-wal"));
  Expected<std::string> bytes = ReadFile(db);
  ASSERT_TRUE(bytes);
  size_t pages = bytes->size() / 4096;
  ASSERT_GT(pages, 16u);
  std::string damaged = *bytes;
  for (size_t k = (pages - 3) * 4096; k < (pages - 2) * 4096; ++k) damaged[k] = '\xA5';
  ASSERT_TRUE(WriteFile(db, damaged).ok());
  Expected<Json> status = SearchStatus(dir_);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().ToString().find('\n'), std::string::npos);
  EXPECT_NE(status.error().message().find("integrity check"), std::string::npos);
  Expected<int> kept = RepairJournal(dir_);
  ASSERT_TRUE(kept) << kept.error().ToString();
  ASSERT_TRUE(SearchStatus(dir_)) << SearchStatus(dir_).error().ToString();
  SearchConfig more = c;
  more.budget.max_candidates = 8;
  ASSERT_TRUE(UpdateBudget(dir_, more.budget).ok());
  Expected<RunOutcome> r = Run({{"script", &p}});
  ASSERT_TRUE(r) << r.error().ToString();
}

}  // namespace
}  // namespace referee::search
