// The engine through a many-slot executor (executor.h): batches end in the decisions of the
// sequential search, and a search killed right after any job was journaled resumes by adopting
// that job's result, never by running it again. The executor here is a fake cluster: a job
// "runs" (the fake judge, through the real worker files) the moment it is submitted, as a
// Slurm job goes on after its search died, and every fifth job is lost without a result.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "referee/search/executor.h"
#include "search_fixture.h"

namespace referee::search {
namespace {

class FakeCluster final : public Executor {
 public:
  FakeCluster(std::string dir, int die_after) : dir_(std::move(dir)), die_after_(die_after) {
    std::filesystem::create_directories(dir_);
  }
  std::string name() const override { return "fake-cluster"; }
  int slots() const override { return 4; }
  Expected<Evaluation> Build(const EvalRequest& r) override { return judge_->Build(r); }

  std::vector<JobResult> Run(const std::vector<Job>& jobs, JobListener* listener) override {
    std::vector<JobResult> out(jobs.size());
    for (size_t i = 0; i < jobs.size(); ++i) {
      std::string job = jobs[i].adopt;
      Status s = job.empty() ? Submit(jobs[i], &job) : OkStatus();
      if (s.ok()) s = Journaled(listener->Submitted(i, job));
      while (s.ok() && !Exists(job)) {  // lost: replace it
        std::string lost = job;
        s = Submit(jobs[i], &job);
        if (s.ok()) s = Journaled(listener->Requeued(i, lost, "lost without a result", job));
      }
      if (!s.ok()) {
        out[i].eval = s;
        out[i].compare = s;
        continue;
      }
      out[i] = ReadJobResult(Path(job), jobs[i].kind);
    }
    return out;
  }

  std::set<std::string> Computed() const {
    std::set<std::string> out;
    std::ifstream f(dir_ + "/computed");
    for (std::string line; std::getline(f, line);) out.insert(line);
    return out;
  }

 private:
  std::string Path(const std::string& job) const { return dir_ + "/" + job + ".json"; }
  bool Exists(const std::string& job) const { return access(Path(job).c_str(), F_OK) == 0; }

  // The search dies right after journaling its die_after-th job id.
  Status Journaled(Status s) {
    if (s.ok() && ++journaled_ == die_after_) _exit(0);
    return s;
  }

  // A new job id (persisted: ids are never reused across sessions); the job runs now unless
  // it is one of the lost ones.
  Status Submit(const Job& job, std::string* id) {
    int n = 0;
    std::ifstream(dir_ + "/counter") >> n;
    std::ofstream(dir_ + "/counter") << n + 1;
    *id = "J" + std::to_string(n);
    if (n % 5 != 4) {
      REFEREE_RETURN_IF_ERROR(RunJobFile(*judge_, JobRequestJson(job, Json::object()), Path(*id)));
      std::ofstream(dir_ + "/computed", std::ios::app) << *id << "\n";
    }
    return OkStatus();
  }

  std::string dir_;
  int die_after_;
  int journaled_ = 0;
  std::unique_ptr<Judge> judge_ = MakeFakeJudge();
};

// Several candidates a round, so that batches have more than one job.
Expected<ProposeResult> Batchy(const ProposalContext& ctx) {
  ProposeResult r;
  for (int b : {64, 512, 1024}) {
    Proposal p;
    p.params = Json{{"BLOCK", (b * (ctx.seq + 1)) % 1000 > 500 ? b : 128}};
    r.proposals.push_back(p);
  }
  if (ctx.seq % 3 == 2) {
    return Edit(ctx, "def run(x, y):", "# fake: fail=thread-growth@1\ndef run(x, y):", "hack");
  }
  return r;
}

class ExecutorTest : public SearchTest {
 protected:
  SearchConfig BatchConfig() {
    SearchConfig c = Config(2);
    c.budget.max_candidates = 10;
    c.cascade.screen_keep = 2;
    return c;
  }
  Expected<RunOutcome> RunOn(Executor* x) {
    std::unique_ptr<Judge> judge = MakeFakeJudge();
    ScriptedProposer p("script", Batchy);
    SearchDeps deps;
    deps.judge = judge.get();
    deps.executor = x;
    deps.proposers = {{"script", &p}};
    deps.progress = &log_;
    return RunSearch(dir_, deps, RunOptions{});
  }
};

TEST_F(ExecutorTest, BatchesEndInTheDecisionsOfTheSequentialSearch) {
  Init(BatchConfig());
  ScriptedProposer p("script", Batchy);
  ASSERT_TRUE(Run({{"script", &p}}));
  std::vector<std::string> reference = DecisionTrace();
  ASSERT_GE(reference.size(), 3u);
  std::filesystem::remove_all(dir_);
  Init(BatchConfig());
  FakeCluster cluster(root_ / "cluster", -1);
  Expected<RunOutcome> r = RunOn(&cluster);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(DecisionTrace(), reference);
  EXPECT_TRUE(log_.Has("evaluation(s) on the fake-cluster executor"));
}

// Killed right after the n-th job was journaled, for every n: the resume adopts each job that
// ran (its result is on exactly one pass/fail row) and resubmits each lost one.
TEST_F(ExecutorTest, KilledAfterAnyJobTheResumeAdoptsItsResultAndNeverRunsItTwice) {
  Init(BatchConfig());
  ScriptedProposer p("script", Batchy);
  ASSERT_TRUE(Run({{"script", &p}}));
  std::vector<std::string> reference = DecisionTrace();
  int swept = 0;
  for (int n = 1; n <= 80; ++n) {
    swept = n;
    std::filesystem::remove_all(dir_);
    std::filesystem::remove_all(root_ / "cluster");
    Init(BatchConfig());
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      FakeCluster dying(root_ / "cluster", n);
      (void)RunOn(&dying);
      _exit(1);  // the run ended before its n-th job
    }
    int status = 0;
    waitpid(pid, &status, 0);
    FakeCluster cluster(root_ / "cluster", -1);
    Expected<RunOutcome> r = RunOn(&cluster);
    ASSERT_TRUE(r) << "killed after job " << n << ": " << r.error().ToString();
    ASSERT_EQ(DecisionTrace(), reference) << "killed after job " << n;
    std::multiset<std::string> used;
    std::vector<StageRecord> stages = *Open()->Stages();
    for (const StageRecord& s : stages) {
      if ((s.status == "pass" || s.status == "fail") && !s.job.empty()) used.insert(s.job);
    }
    std::set<std::string> computed = cluster.Computed();
    EXPECT_EQ(std::set<std::string>(used.begin(), used.end()), computed)
        << "killed after job " << n << ": a job ran and was not used, or was used twice";
    EXPECT_EQ(used.size(), computed.size()) << "killed after job " << n;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 1) break;  // fewer jobs than n
  }
  EXPECT_GE(swept, 20) << "the sweep should cover a run of many jobs";
  EXPECT_LT(swept, 80) << "the sweep should reach the end of the run";
}

}  // namespace
}  // namespace referee::search
