// The executor's job files (executor.h): a result round-trips, and anything a hostile job
// leaves instead (nothing, garbage, wrong types, a huge file, a directory) is one error line.
#include <gtest/gtest.h>

#include <fstream>

#include "referee/base/file.h"
#include "referee/search/executor.h"
#include "referee/search/fake_judge.h"
#include "test_util.h"

namespace referee::search {
namespace {

Job EvalJob(const std::string& path) {
  Job j;
  j.eval = {path, "c", EvalLevel::kQuick, 0};
  return j;
}

TEST(JobFile, AnEvaluationRoundTripsThroughTheWorkerFiles) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir / "seed.py", "# fake: time=0.002\ndef run(x, y):\n  return x\n").ok());
  std::unique_ptr<Judge> judge = MakeFakeJudge();
  Json request = JobRequestJson(EvalJob(dir / "seed.py"), Json::object());
  ASSERT_TRUE(RunJobFile(*judge, request, dir / "out.json").ok());
  JobResult r = ReadJobResult(dir / "out.json", Job::Kind::kEvaluate);
  ASSERT_TRUE(r.eval.has_value()) << r.eval.error().ToString();
  Expected<Evaluation> direct = judge->Evaluate(EvalJob(dir / "seed.py").eval);
  ASSERT_TRUE(direct.has_value());
  EXPECT_EQ(r.eval->verdict, direct->verdict);
  EXPECT_DOUBLE_EQ(r.eval->metric, direct->metric);
}

TEST(JobFile, AComparisonRoundTripsThroughTheWorkerFiles) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir / "a.py", "# fake: time=0.002\n").ok());
  ASSERT_TRUE(WriteFile(dir / "b.py", "# fake: time=0.001\n").ok());
  Job job;
  job.kind = Job::Kind::kCompare;
  job.compare = {dir / "a.py", dir / "b.py", 0.05, 0.01};
  std::unique_ptr<Judge> judge = MakeFakeJudge();
  ASSERT_TRUE(RunJobFile(*judge, JobRequestJson(job, Json::object()), dir / "c.json").ok());
  JobResult r = ReadJobResult(dir / "c.json", Job::Kind::kCompare);
  ASSERT_TRUE(r.compare.has_value()) << r.compare.error().ToString();
  Expected<Comparison> direct = judge->Compare(job.compare);
  ASSERT_TRUE(direct.has_value());
  EXPECT_EQ(r.compare->verdict, direct->verdict);
  EXPECT_DOUBLE_EQ(r.compare->ratio, direct->ratio);
}

TEST(JobFile, WhatAHostileJobLeavesIsALostEvaluationWithOneLine) {
  TempDir dir;
  const std::pair<const char*, const char*> cases[] = {
      {"garbage", "{not json"},
      {"array", "[1, 2]"},
      {"schema", R"({"schema_version": 7, "ok": true, "evaluation": {}})"},
      {"error", R"({"schema_version": 1, "ok": false, "error": "no GPU"})"},
      {"missing", R"({"schema_version": 1, "ok": true})"},
      {"wrongtype", R"({"schema_version": 1, "ok": true, "evaluation": "PASS"})"},
  };
  for (const auto& [name, text] : cases) {
    ASSERT_TRUE(WriteFile(dir / name, text).ok());
    JobResult r = ReadJobResult(dir / name, Job::Kind::kEvaluate);
    ASSERT_FALSE(r.eval.has_value()) << name;
    EXPECT_EQ(r.eval.error().message().find('\n'), std::string::npos) << name;
  }
  EXPECT_FALSE(ReadJobResult(dir / "absent", Job::Kind::kEvaluate).eval.has_value());
  EXPECT_FALSE(ReadJobResult(dir.path(), Job::Kind::kEvaluate).eval.has_value());
  {
    std::ofstream big(dir / "big");
    big.seekp((64 << 20) + 1);
    big.put('x');
  }
  EXPECT_FALSE(ReadJobResult(dir / "big", Job::Kind::kEvaluate).eval.has_value());
  // Members of the wrong type fall back to safe values instead of throwing.
  ASSERT_TRUE(WriteFile(dir / "types", R"({"schema_version": 1, "ok": true, "evaluation":
      {"verdict": 3, "metric": "fast", "report": [1], "sol_score": "x"}})").ok());
  JobResult r = ReadJobResult(dir / "types", Job::Kind::kEvaluate);
  ASSERT_TRUE(r.eval.has_value());
  EXPECT_EQ(r.eval->verdict, JudgeVerdict::kFail);
  EXPECT_EQ(r.eval->metric, 0);
  EXPECT_FALSE(r.eval->sol_score.has_value());
}

}  // namespace
}  // namespace referee::search
