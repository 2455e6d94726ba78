#include "referee/search/proposer.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "referee/base/file.h"
#include "referee/search/builtin_proposers.h"
#include "referee/search/environment.h"
#include "referee/search/external_proposer.h"
#include "referee/search/tunables.h"
#include "test_util.h"

namespace referee::search {
namespace {

TEST(ProposerAnswer, ParsesTheThreeKindsAndTheList) {
  auto one = ParseProposerAnswer(R"({"params": {"B": 4}, "rationale": "r", "cost": {"usd": 0.5}})");
  ASSERT_TRUE(one) << one.error().ToString();
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*(*one)[0].params)["B"], 4);
  EXPECT_EQ((*one)[0].cost["usd"], 0.5);
  auto list =
      ParseProposerAnswer(R"({"proposals": [{"diff": "--- a/k\n"}, {"files": {"k.py": "x"}}]})");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->size(), 2u);
  EXPECT_TRUE((*list)[0].diff);
  EXPECT_TRUE((*list)[1].files);
}

TEST(ProposerAnswer, MalformedAnswersAreOneLineErrors) {
  for (const char* bad : {"", "garbage", "[1, 2]", R"({"params": 3})",
                          R"({"diff": "x", "params": {}})", R"({"files": {"../x": "y"}})",
                          R"({"params": {"B": 1}, "cost": {"usd": -1}})", R"({"proposals": {}})"}) {
    auto r = ParseProposerAnswer(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().ToString().find('\n'), std::string::npos) << bad;
    EXPECT_NE(r.error().message().find("malformed proposer answer"), std::string::npos);
  }
}

ProposalContext Context(const std::string& source) {
  ProposalContext ctx;
  ctx.seq = 3;
  ctx.seed = 42;
  ctx.parent.id = 1;
  ctx.parent.program = Program{{{"k.py", source}}};
  ctx.editable_files = {"k.py"};
  return ctx;
}

const char* kTunable =
    "A = 1  # referee: tune A in [1, 2, 3, 4]\n"
    "B = 'x'  # referee: tune B in ['x', 'y']\n";

TEST(BuiltinProposers, TuneMutatesListedValuesDeterministically) {
  auto tune = MakeBuiltinProposer("tune");
  ProposalContext ctx = Context(kTunable);
  auto a = tune->Propose(ctx), b = tune->Propose(ctx);
  ASSERT_TRUE(a) << a.error().ToString();
  EXPECT_EQ(*a->proposals[0].params, *b->proposals[0].params);
  for (uint64_t seed = 0; seed < 50; ++seed) {
    ctx.seed = seed;
    auto r = tune->Propose(ctx);
    ASSERT_TRUE(r);
    Expected<Program> child = ApplyProposal(ctx.parent.program, r->proposals[0]);
    ASSERT_TRUE(child) << child.error().ToString();
    EXPECT_NE(*child, ctx.parent.program);
  }
  EXPECT_FALSE(tune->Propose(Context("x = 1\n")));
}

TEST(BuiltinProposers, GridWalksUntriedPoints) {
  auto grid = MakeBuiltinProposer("grid");
  ProposalContext ctx = Context(kTunable);
  std::set<std::string> known;
  ctx.known_hashes = &known;
  int n = 0;
  while (true) {
    auto r = grid->Propose(ctx);
    if (!r) break;
    Expected<Program> child = ApplyProposal(ctx.parent.program, r->proposals[0]);
    ASSERT_TRUE(child);
    EXPECT_TRUE(known.insert(ProgramHash(*child)).second);
    ++n;
  }
  EXPECT_EQ(n, 7);  // 4 x 2 points, less the parent's own
}

TEST(BuiltinProposers, CrossoverTakesGenesFromThePartner) {
  auto cross = MakeBuiltinProposer("crossover");
  ProposalContext ctx = Context(kTunable);
  EXPECT_FALSE(cross->Propose(ctx));  // no partner
  ProgramView partner;
  partner.id = 9;
  partner.program = Program{{{"k.py",
                              "A = 4  # referee: tune A in [1, 2, 3, 4]\n"
                              "B = 'y'  # referee: tune B in ['x', 'y']\n"}}};
  ctx.inspirations.push_back(partner);
  auto r = cross->Propose(ctx);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ(r->proposals[0].extra_parents, std::vector<int64_t>{9});
  Json p = *r->proposals[0].params;
  EXPECT_TRUE(p.value("A", 4) == 4 && p.value("B", "y") == "y");
}

TEST(BuiltinProposers, MergeCombinesTwoBranchesOrFailsOnConflict) {
  auto merge = MakeBuiltinProposer("merge");
  ProposalContext ctx = Context("a\nb\nc\nd\ne\n");
  ctx.parent.program.files["k.py"] = "A\nb\nc\nd\ne\n";
  ProgramView partner, ancestor;
  partner.id = 5;
  partner.program = Program{{{"k.py", "a\nb\nc\nd\nE\n"}}};
  ancestor.id = 1;
  ancestor.program = Program{{{"k.py", "a\nb\nc\nd\ne\n"}}};
  ctx.inspirations.push_back(partner);
  ctx.ancestor = ancestor;
  auto r = merge->Propose(ctx);
  ASSERT_TRUE(r) << r.error().ToString();
  EXPECT_EQ((*r->proposals[0].files)["k.py"], "A\nb\nc\nd\nE\n");
  ctx.inspirations[0].program.files["k.py"] = "X\nb\nc\nd\ne\n";
  auto conflict = merge->Propose(ctx);
  ASSERT_FALSE(conflict);
  EXPECT_NE(conflict.error().message().find("merge conflict"), std::string::npos);
}

// External proposers: scripts written into a temp dir.
class ExternalProposerTest : public ::testing::TestWithParam<const char*> {
 protected:
  std::unique_ptr<Proposer> Make(const std::string& script, double timeout_s = 10) {
    std::string path = dir_ / "proposer.sh";
    EXPECT_TRUE(WriteFile(path, "#!/bin/sh\n" + script).ok());
    chmod(path.c_str(), 0755);
    mkdir((dir_ / "task").c_str(), 0755);
    ExternalProposerOptions o;
    o.command = "/bin/sh " + path;
    o.timeout_s = timeout_s;
    o.sandbox = GetParam();
    o.work_dir = dir_ / "work";
    o.env = ProposerEnvironment(ProcessEnvironment(), {}, {});
    Expected<std::unique_ptr<Proposer>> p = MakeExternalProposer(o);
    if (!p) {
      skip_ = p.error().ToString();
      return nullptr;
    }
    return std::move(*p);
  }
  ProposalContext Ctx() {
    ProposalContext c = Context(kTunable);
    c.task_dir = dir_ / "task";
    c.request = {{"schema_version", 1}, {"seq", 3}};
    return c;
  }
  TempDir dir_;
  std::string skip_;
};

TEST_P(ExternalProposerTest, ReadsTheRequestOnStdinAndAnswersOnStdout) {
  auto p = Make(
      "req=$(cat)\n"
      "case \"$req\" in *schema_version*) ;; *) exit 3 ;; esac\n"
      "test -f \"$(dirname $0)/proposer.sh\" || exit 4\n"
      "echo '{\"params\": {\"A\": 2}, \"rationale\": \"two\"}'\n");
  if (!p) GTEST_SKIP() << skip_;
  auto r = p->Propose(Ctx());
  ASSERT_TRUE(r) << r.error().ToString();
  ASSERT_EQ(r->proposals.size(), 1u);
  EXPECT_EQ((*r->proposals[0].params)["A"], 2);
}

TEST_P(ExternalProposerTest, HangsCrashesAndGarbageAreFailedProposals) {
  struct Case {
    const char* script;
    const char* reason;
  } cases[] = {
      {"sleep 30\n", "no answer within 1 s (hang)"},
      {"kill -SEGV $$\n", "crashed (signal 11)"},
      {"echo oops >&2; exit 7\n", "exited with status 7: oops"},
      {"echo 'this is not json'\n", "malformed proposer answer: not JSON"},
      {"echo '{\"nothing\": 1}'\n", "malformed proposer answer: proposals[0] must have"},
  };
  for (const Case& c : cases) {
    auto p = Make(c.script, 1);
    if (!p) GTEST_SKIP() << skip_;
    auto r = p->Propose(Ctx());
    ASSERT_FALSE(r) << c.script;
    EXPECT_EQ(r.error().ToString().find('\n'), std::string::npos);
    EXPECT_NE(r.error().message().find(c.reason), std::string::npos)
        << c.script << " -> " << r.error().message();
  }
}

TEST_P(ExternalProposerTest, SeesNoSecretsUnlessAllowListed) {
  setenv("REFEREE_TEST_API_KEY", "sk-secret", 1);
  std::map<std::string, std::string> stripped = StripSecretsFromProcess();
  EXPECT_EQ(getenv("REFEREE_TEST_API_KEY"), nullptr);
  ASSERT_EQ(stripped.count("REFEREE_TEST_API_KEY"), 1u);
  auto p = Make(
      "if [ -n \"$REFEREE_TEST_API_KEY\" ]; then exit 9; fi\n"
      "echo '{\"params\": {\"A\": 2}}'\n");
  if (!p) GTEST_SKIP() << skip_;
  EXPECT_TRUE(p->Propose(Ctx()));
  // Allow-listed: the proposer gets it.
  std::map<std::string, std::string> env =
      ProposerEnvironment(ProcessEnvironment(), stripped, {"REFEREE_TEST_API_KEY"});
  EXPECT_EQ(env["REFEREE_TEST_API_KEY"], "sk-secret");
  EXPECT_EQ(env.count("HOME"), 1u);
}

INSTANTIATE_TEST_SUITE_P(Modes, ExternalProposerTest, ::testing::Values("off", "on"));

TEST(Environment, RecognisesSecretNames) {
  for (const char* s : {"OPENAI_API_KEY", "GITHUB_TOKEN", "AWS_ACCESS_KEY_ID", "db_password",
                        "MY_SECRET", "HF_HOME", "SSH_AUTH_SOCK"}) {
    EXPECT_TRUE(LooksSecret(s)) << s;
  }
  for (const char* s : {"PATH", "HOME", "LANG", "REFEREE_PYTHON", "CUDA_VISIBLE_DEVICES"}) {
    EXPECT_FALSE(LooksSecret(s)) << s;
  }
}

}  // namespace
}  // namespace referee::search
