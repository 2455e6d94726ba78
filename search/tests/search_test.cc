#include "referee/search/search.h"

#include <gtest/gtest.h>

#include "referee/search/auditor.h"
#include "search_fixture.h"

namespace referee::search {
namespace {

std::vector<std::string> StageNames(Journal& j, int64_t id) {
  std::vector<std::string> out;
  std::vector<StageRecord> stages = *j.Stages(id);
  for (const StageRecord& s : stages) out.push_back(s.stage + "=" + s.status);
  return out;
}

TEST_F(SearchTest, AnHonestImprovementIsAcceptedConfirmedAndReexecuted) {
  SearchConfig c = Config();
  c.budget.max_candidates = 1;
  Init(c);
  ScriptedProposer p("script", [](const ProposalContext&) {
    return Params({{"BLOCK", 1024}}, "bigger blocks");
  });
  Expected<RunOutcome> r = Run({{"script", &p}});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->stop_reason, "candidates: 1 of 1");
  EXPECT_EQ(r->global_best, 2);
  auto j = Open();
  EXPECT_EQ(StageNames(*j, 2), (std::vector<std::string>{"audit=skip", "build=pass", "quick=pass",
                                                         "screen=pass", "full=pass", "accept=pass",
                                                         "confirm=pass", "reexecute=pass"}));
  EXPECT_EQ(DecisionTrace(), (std::vector<std::string>{"accept:2:BETTER:1", "confirm:2:BETTER:1"}));
  EXPECT_EQ(CandidateStatus(2), "accepted");
  auto cand = *j->CandidateById(2);
  EXPECT_NEAR(*cand->metric, 0.00025, 1e-9);
  // The proposer saw the protocol's fields.
  const Json& req = p.requests.at(0);
  EXPECT_EQ(req["parent"]["id"], 1);
  EXPECT_EQ(req["tunables"][0]["name"], "BLOCK");
  EXPECT_EQ(req["editable"][0]["regions"][0], Json::array({4, 6}));
  EXPECT_EQ(req["task"]["description"], "out = x + y");
  EXPECT_TRUE(req["budget"].contains("candidates"));
  EXPECT_TRUE(log_.Has("is the new GLOBAL BEST"));
}

TEST_F(SearchTest, SameWorseAndUndecidedNeverReplaceTheIncumbent) {
  SearchConfig c = Config();
  c.budget.max_candidates = 3;
  c.cascade.screen_slack = 10;  // let the slower one reach the comparison
  Init(c);
  ScriptedProposer p("script", [](const ProposalContext& ctx) -> Expected<ProposeResult> {
    switch (ctx.seq) {
      case 1:
        return Edit(ctx, "return x + y", "return y + x", "same speed");
      case 2:
        return Params({{"BLOCK", 128}}, "slower");
      default:  // 2 % faster under 30 % noise: the interval cannot decide
        return Edit(ctx, "# fake: time=0.001*256/BLOCK", "# fake: time=0.00098\n# fake: noise=0.3",
                    "noisy");
    }
  });
  Expected<RunOutcome> r = Run({{"script", &p}});
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(DecisionTrace(), (std::vector<std::string>{"accept:2:SAME:0", "accept:3:WORSE:0",
                                                       "accept:4:UNDECIDED:0"}));
  EXPECT_EQ(r->global_best, 1);
  for (int64_t id : {2, 3, 4}) EXPECT_EQ(CandidateStatus(id), "evaluated");
}

TEST_F(SearchTest, ADynamicHackIsQuarantinedWithAnIncidentAndFedBack) {
  SearchConfig c = Config();
  c.budget.max_candidates = 3;
  Init(c);
  ScriptedProposer p("script", [](const ProposalContext& ctx) -> Expected<ProposeResult> {
    switch (ctx.seq) {
      case 1:
        return Edit(ctx, "def run(x, y):", "# fake: fail=thread-growth@2\ndef run(x, y):",
                    "background prefetch");
      case 2:
        return Edit(
            ctx, "def run(x, y):", "# fake: fail=wrong-output@4\ndef run(x, y):", "cache results");
      default:
        return Edit(ctx,
                    "def run(x, y):", "# fake: fail=wrong-output@0\ndef run(x, y):", "a plain bug");
    }
  });
  ASSERT_TRUE(Run({{"script", &p}}));
  auto j = Open();
  auto incidents = *j->Incidents();
  ASSERT_EQ(incidents.size(), 2u);
  EXPECT_EQ(incidents[0].candidate, 2);
  EXPECT_EQ(incidents[0].check, "thread-growth");
  EXPECT_EQ(incidents[0].stage, "quick");
  EXPECT_EQ(incidents[1].check, "stateful-output (wrong-output at call 4)");
  EXPECT_EQ(CandidateStatus(2), "quarantined");
  EXPECT_EQ(CandidateStatus(3), "quarantined");
  EXPECT_EQ(CandidateStatus(4), "rejected");  // wrong from its first call: an honest bug
  // The next request told the proposer what failed and where.
  const Json& failures = p.requests.at(1)["failures"];
  ASSERT_FALSE(failures.empty());
  EXPECT_EQ(failures[0]["stage"], "quick");
  EXPECT_EQ(failures[0]["check"], "thread-growth");
}

TEST_F(SearchTest, TheStaticAuditRejectsNewFindingsOnly) {
  SearchConfig c = Config();
  c.budget.max_candidates = 2;
  std::string seed = std::string(kSeed) + "LEGACY = open  # pre-existing\n";
  Init(c, seed);
  auto auditor = MakePatternAuditor(
      {{"output-caching-test", "_cache = {}"}, {"legacy-open", "= open", "error"}});
  ScriptedProposer p("script", [](const ProposalContext& ctx) -> Expected<ProposeResult> {
    if (ctx.seq == 1) return Edit(ctx, "def run", "_cache = {}\ndef run", "memoize");
    return Params({{"BLOCK", 512}}, "fine");
  });
  ASSERT_TRUE(Run({{"script", &p}}, auditor.get()));
  auto j = Open();
  auto incidents = *j->Incidents();
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0].stage, "audit");
  EXPECT_EQ(incidents[0].check, "output-caching-test");
  EXPECT_NE(incidents[0].evidence.find("kernel.py:5:"), std::string::npos);
  EXPECT_EQ(StageNames(*j, 2), (std::vector<std::string>{"audit=fail"}));
  // The seed's own finding is not the change's: candidate 3 passes the audit.
  EXPECT_EQ(StageNames(*j, 3).at(0), "audit=pass");
  EXPECT_EQ(CandidateStatus(3), "accepted");
}

TEST_F(SearchTest, ARuleSetChangeReauditsIncumbentsAndDemotesTheLineage) {
  SearchConfig c = Config();
  c.budget.max_candidates = 2;
  Init(c);
  ScriptedProposer p("script", [](const ProposalContext& ctx) -> Expected<ProposeResult> {
    if (ctx.seq == 1) {
      return Edit(ctx, "time=0.001*256/BLOCK", "time=0.0005*256/BLOCK\n# sneaky", "step 1");
    }
    return Params({{"BLOCK", 1024}}, "step 2");
  });
  // First rule set: nothing flags the trick.
  auto before = MakePatternAuditor({{"unrelated", "nothing-matches-this"}});
  ASSERT_TRUE(Run({{"script", &p}}, before.get()));
  ASSERT_EQ(CandidateStatus(2), "accepted");
  ASSERT_EQ(CandidateStatus(3), "accepted");
  ASSERT_EQ(
      *SearchStatus(dir_)->at("global_best").at("id").get_ptr<const Json::number_integer_t*>(), 3);
  // The rule set learns the trick: a resume re-audits and quarantines 2 and its child 3.
  auto after =
      MakePatternAuditor({{"unrelated", "nothing-matches-this"}, {"sneaky-comment", "# sneaky"}});
  ASSERT_TRUE(Run({{"script", &p}}, after.get()));
  EXPECT_EQ(CandidateStatus(2), "quarantined");
  EXPECT_EQ(CandidateStatus(3), "quarantined");
  auto j = Open();
  EXPECT_EQ((*j->CandidateById(3))->tainted_by, 2);
  auto incidents = *j->Incidents();
  ASSERT_EQ(incidents.size(), 1u);
  EXPECT_EQ(incidents[0].check, "sneaky-comment");
  EXPECT_EQ(incidents[0].stage.rfind("re-audit:", 0), 0u);
  Json status = *SearchStatus(dir_);
  EXPECT_EQ(status["global_best"]["id"], 1);
  EXPECT_EQ(status["threads"][0]["incumbent"], 1);
  std::vector<std::string> trace = DecisionTrace();
  EXPECT_NE(std::find(trace.begin(), trace.end(), "demote:1:QUARANTINED:1"), trace.end());
}

TEST_F(SearchTest, ProposalFailuresAreRecordedAndNeverStopTheSearch) {
  SearchConfig c = Config();
  c.budget.max_candidates = 1;
  c.budget.max_proposals = 6;
  Init(c);
  ScriptedProposer p("script", [](const ProposalContext& ctx) -> Expected<ProposeResult> {
    switch (ctx.seq) {
      case 1:
        return UnavailableError("no answer within 5 s (hang)");
      case 2:
        return Edit(ctx, "import torch", "import os", "outside the region");
      case 3:
        return Params({{"BLOCK", 100}}, "not a listed value");
      case 4:
        return Params({{"BLOCK", 256}}, "the parent itself");
      default:
        return Params({{"BLOCK", 512}}, "fine");
    }
  });
  Expected<RunOutcome> r = Run({{"script", &p}});
  ASSERT_TRUE(r) << r.error().ToString();
  auto props = *Open()->Proposals();
  ASSERT_EQ(props.size(), 5u);
  EXPECT_EQ(props[0].status, "failed");
  EXPECT_EQ(props[0].reason, "no answer within 5 s (hang)");
  EXPECT_EQ(props[1].status, "rejected");
  EXPECT_NE(props[1].reason.find("kernel.py:1:1: error: the change removes or edits line 1"),
            std::string::npos);
  EXPECT_EQ(props[2].status, "rejected");
  EXPECT_NE(props[2].reason.find("BLOCK=100 is not one of"), std::string::npos);
  EXPECT_EQ(props[3].status, "rejected");  // no change
  EXPECT_EQ(props[4].status, "ok");
  EXPECT_TRUE(log_.Has("warning: proposal 1 (round 1, thread 1, script) failed: no answer"));
}

TEST_F(SearchTest, DuplicatesAreSkippedByContentHash) {
  SearchConfig c = Config();
  c.budget.max_candidates = 2;
  c.budget.max_proposals = 4;
  Init(c);
  ScriptedProposer p("script", [](const ProposalContext& ctx) -> Expected<ProposeResult> {
    std::string src = ctx.request["parent"]["files"]["kernel.py"];
    // Always the same program, whatever the parent.
    size_t at = src.find("BLOCK = ");
    src.replace(at, src.find(' ', at + 8) - at, "BLOCK = 64");
    Proposal prop;
    prop.params = Json{{"BLOCK", 64}};
    return Answer(prop);
  });
  ASSERT_TRUE(Run({{"script", &p}}));
  auto props = *Open()->Proposals();
  EXPECT_EQ(props[0].status, "ok");
  EXPECT_EQ(props[1].status, "duplicate");
}

TEST_F(SearchTest, TheGovernorStopsOnEachLimitAndSaysWhy) {
  {
    SearchConfig c = Config();
    c.budget.max_candidates = 100;
    c.budget.max_evaluations = 5;
    Init(c);
    ScriptedProposer p("script", [](const ProposalContext& ctx) {
      return Params({{"BLOCK", ctx.seq % 2 ? 512 : 1024}});
    });
    Expected<RunOutcome> r = Run({{"script", &p}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->stop_reason, "evaluations: 5 of 5");
  }
  std::filesystem::remove_all(dir_);
  {
    SearchConfig c = Config();
    c.budget.max_candidates = 100;
    c.budget.max_judge_s = 10;
    Init(c);
    ScriptedProposer p("script", [](const ProposalContext& ctx) {
      return Params({{"BLOCK", ctx.seq % 2 ? 512 : 1024}});
    });
    FakeJudgeOptions slow;
    slow.cost_s = 3;
    Expected<RunOutcome> r = Run({{"script", &p}}, nullptr, slow);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->stop_reason, "judge seconds: 12 of 10");
  }
  std::filesystem::remove_all(dir_);
  {
    SearchConfig c = Config();
    c.budget.max_candidates = 100;
    c.budget.max_rounds = 2;
    Init(c);
    ScriptedProposer p("script", [](const ProposalContext& ctx) {
      return Params({{"BLOCK", ctx.seq % 2 ? 512 : 1024}});
    });
    Expected<RunOutcome> r = Run({{"script", &p}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->stop_reason, "rounds: 2 of 2");
    EXPECT_EQ(p.calls, 2);
  }
}

TEST_F(SearchTest, SuccessiveHalvingScreensABatch) {
  SearchConfig c = Config();
  c.budget.max_candidates = 5;
  c.cascade.screen_keep = 1;
  c.cascade.screen_slack = 0.25;
  Init(c);
  ScriptedProposer p("script", [](const ProposalContext& ctx) {
    ProposeResult r;
    for (int b : {64, 128, 512, 1024}) {
      Proposal prop;
      prop.params = Json{{"BLOCK", b}};
      r.proposals.push_back(prop);
    }
    return r;
  });
  ASSERT_TRUE(Run({{"script", &p}}));
  auto j = Open();
  // 64 and 128 are 4x and 2x slower than the incumbent: cut at once.
  EXPECT_EQ(StageNames(*j, 2).back(), "screen=fail");
  EXPECT_EQ(StageNames(*j, 3).back(), "screen=fail");
  // 512 and 1024 enter successive halving; 1024 (faster) survives rung 1.
  auto s4 = StageNames(*j, 4), s5 = StageNames(*j, 5);
  EXPECT_NE(std::find(s4.begin(), s4.end(), "screen:1=pass"), s4.end());
  EXPECT_NE(std::find(s4.begin(), s4.end(), "screen=fail"), s4.end());
  EXPECT_NE(std::find(s5.begin(), s5.end(), "full=pass"), s5.end());
  EXPECT_EQ(CandidateStatus(5), "accepted");
}

TEST_F(SearchTest, ThreadsMigrateMergeAndResetFromTheArchive) {
  const char* seed =
      "# fake: time=0.001*256/BLOCK*4/WARPS\n"
      "BLOCK = 256  # referee: tune BLOCK in [256, 1024]\n"
      "x = 1\n"
      "y = 2\n"
      "z = 3\n"
      "WARPS = 4  # referee: tune WARPS in [4, 8]\n";
  SearchConfig c = Config(2);
  c.budget.max_candidates = 6;
  c.threads.merge_every = 2;
  c.threads.migrate_every = 3;
  c.threads.assign = "per-thread";
  c.proposers = {{"one", "", 1}, {"two", "", 1}};
  Init(c, seed);
  // Thread 1 raises BLOCK, thread 2 raises WARPS; each then has nothing new to offer.
  ScriptedProposer one("one", [](const ProposalContext& ctx) -> Expected<ProposeResult> {
    if (ctx.round == 1) return Params({{"BLOCK", 1024}}, "block");
    return FailedPreconditionError("out of ideas");
  });
  ScriptedProposer two("two", [](const ProposalContext& ctx) -> Expected<ProposeResult> {
    if (ctx.round == 1) return Params({{"WARPS", 8}}, "warps");
    return FailedPreconditionError("out of ideas");
  });
  c.budget.max_rounds = 3;
  ASSERT_TRUE(UpdateBudget(dir_, c.budget).ok());
  Expected<RunOutcome> r = Run({{"one", &one}, {"two", &two}});
  ASSERT_TRUE(r) << r.error().ToString();
  auto j = Open();
  // Round 2: the merge of both branches against the seed, proposed in one thread.
  auto props = *j->Proposals();
  auto merge =
      std::find_if(props.begin(), props.end(), [](auto& p) { return p.slot == "combine"; });
  ASSERT_NE(merge, props.end());
  EXPECT_EQ(merge->proposer, "merge");
  EXPECT_EQ(merge->status, "ok");
  auto merged = *j->CandidateById(merge->candidate);
  EXPECT_EQ(merged->parents.size(), 2u);
  EXPECT_EQ(merged->status, "accepted");
  Json status = *SearchStatus(dir_);
  EXPECT_EQ(status["global_best"]["id"], merged->id);
  EXPECT_NEAR(status["global_best"]["metrics"]["time_s"].get<double>(), 0.000125, 1e-9);
  // Round 3 ends with a migration offer of the merge to the other thread.
  std::vector<std::string> trace = DecisionTrace();
  EXPECT_NE(
      std::find_if(trace.begin(), trace.end(), [](auto& t) { return t.rfind("offer:", 0) == 0; }),
      trace.end());
}

TEST_F(SearchTest, AStagnantThreadIsResetFromTheArchive) {
  SearchConfig c = Config(2);
  c.budget.max_candidates = 10;
  c.budget.max_rounds = 3;
  c.threads.assign = "per-thread";
  c.threads.stagnation_rounds = 2;
  c.proposers = {{"good", "", 1}, {"idle", "", 1}};
  Init(c);
  ScriptedProposer good("good", [](const ProposalContext& ctx) -> Expected<ProposeResult> {
    if (ctx.round == 1) return Params({{"BLOCK", 1024}}, "block");
    return FailedPreconditionError("out of ideas");
  });
  ScriptedProposer idle("idle", [](const ProposalContext&) -> Expected<ProposeResult> {
    return FailedPreconditionError("nothing");
  });
  ASSERT_TRUE(Run({{"good", &good}, {"idle", &idle}}));
  std::vector<std::string> trace = DecisionTrace();
  EXPECT_NE(std::find(trace.begin(), trace.end(), "reset:2:STAGNANT:1"), trace.end());
  Json status = *SearchStatus(dir_);
  EXPECT_EQ(status["threads"][1]["incumbent"], 2);
  EXPECT_EQ(status["threads"][1]["resets"], 1);
}

TEST_F(SearchTest, TheStartingProgramMustPass) {
  SearchConfig c = Config();
  Init(c, std::string(kSeed) + "# fake: fail=crash\n");
  ScriptedProposer p("script", [](const ProposalContext&) { return Params({{"BLOCK", 512}}); });
  Expected<RunOutcome> r = Run({{"script", &p}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(),
            "the starting program fails its own quick stage: [crash] call 0: fake failure crash");
}

TEST_F(SearchTest, AFixedFileChangedStopsTheSearchNamingIt) {
  SearchConfig c = Config();
  Init(c);
  ASSERT_TRUE(WriteFile(task_ + "/reference.py", "def run(x, y):\n    return 0\n").ok());
  ScriptedProposer p("script", [](const ProposalContext&) { return Params({{"BLOCK", 512}}); });
  Expected<RunOutcome> r = Run({{"script", &p}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().ToString(), "error: " + task_ +
                                      "/reference.py: a fixed file of the task changed since the "
                                      "search began; restore it, then resume");
}

TEST_F(SearchTest, ReportAndExportReadTheJournal) {
  SearchConfig c = Config();
  c.budget.max_candidates = 2;
  Init(c);
  ScriptedProposer p("script", [](const ProposalContext& ctx) -> Expected<ProposeResult> {
    if (ctx.seq == 1) return Params({{"BLOCK", 512}});
    return Edit(ctx, "def run(x, y):", "# fake: fail=input-mutated@1\ndef run(x, y):", "in place");
  });
  ASSERT_TRUE(Run({{"script", &p}}));
  Expected<Json> report = SearchReport(dir_);
  ASSERT_TRUE(report) << report.error().ToString();
  EXPECT_EQ((*report)["incidents"].size(), 1u);
  EXPECT_EQ((*report)["incidents"][0]["check"], "input-mutated");
  EXPECT_EQ((*report)["reexecution"]["status"], "pass");
  EXPECT_TRUE((*report)["baseline"].contains("estimate"));
  std::string text = FormatReport(*report);
  EXPECT_NE(text.find("compute-matched baseline"), std::string::npos);
  EXPECT_NE(text.find("input-mutated"), std::string::npos);
  Expected<std::string> csv = ExportSearch(dir_, "candidates", "csv");
  ASSERT_TRUE(csv);
  EXPECT_EQ(csv->substr(0, 30), "id,thread,parents,proposer,pro");
  EXPECT_EQ(std::count(csv->begin(), csv->end(), '\n'), 4);  // header + 3 candidates
  Expected<std::string> jsonl = ExportSearch(dir_, "decisions", "jsonl");
  ASSERT_TRUE(jsonl);
  EXPECT_GE(std::count(jsonl->begin(), jsonl->end(), '\n'), 2);
  EXPECT_FALSE(ExportSearch(dir_, "nope", "csv"));
  EXPECT_FALSE(ExportSearch(dir_, "stages", "xml"));
}

TEST_F(SearchTest, TheBaselineRunSpendsTheSameNumberOfCandidatesFromTheStart) {
  SearchConfig c = Config();
  c.budget.max_candidates = 3;
  Init(c);
  ScriptedProposer p("script", [](const ProposalContext& ctx) {
    return Params({{"BLOCK", ctx.parent.id == 1 && ctx.seq == 1 ? 512 : 1024}});
  });
  ASSERT_TRUE(Run({{"script", &p}}));
  RunOptions base;
  base.baseline = true;
  std::vector<int64_t> parents;
  ScriptedProposer b("script", [&](const ProposalContext& ctx) {
    parents.push_back(ctx.parent.id);
    return Params({{"BLOCK", ctx.seq % 2 ? 64 : 128}});
  });
  Expected<RunOutcome> r = Run({{"script", &b}}, nullptr, {}, base);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_NE(r->stop_reason.find("baseline candidates"), std::string::npos);
  for (int64_t parent : parents) EXPECT_EQ(parent, 1);
  Json report = *SearchReport(dir_);
  EXPECT_TRUE(report["baseline"].contains("run"));
}

}  // namespace
}  // namespace referee::search
