// A search on a fake task with the fake judge and scripted in-process proposers.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "referee/base/file.h"
#include "referee/search/fake_judge.h"
#include "referee/search/journal.h"
#include "referee/search/search.h"
#include "test_util.h"

namespace referee::search {

// The seed: 1 ms x 256 / BLOCK (fake judge), BLOCK tunable, an editable region.
inline const char* kSeed =
    "import torch\n"
    "BLOCK = 256  # referee: tune BLOCK in [64, 128, 256, 512, 1024]\n"
    "# referee: begin-editable\n"
    "# fake: time=0.001*256/BLOCK\n"
    "def run(x, y):\n"
    "    return x + y\n"
    "# referee: end-editable\n";

using ProposeFn = std::function<Expected<ProposeResult>(const ProposalContext&)>;

class ScriptedProposer final : public Proposer {
 public:
  ScriptedProposer(std::string name, ProposeFn fn) : name_(std::move(name)), fn_(std::move(fn)) {}
  std::string name() const override { return name_; }
  Expected<ProposeResult> Propose(const ProposalContext& ctx) override {
    ++calls;
    requests.push_back(ctx.request);
    return fn_(ctx);
  }
  int calls = 0;
  std::vector<Json> requests;

 private:
  std::string name_;
  ProposeFn fn_;
};

inline ProposeResult Answer(Proposal p) {
  ProposeResult r;
  r.response = "scripted";
  r.proposals.push_back(std::move(p));
  return r;
}
inline ProposeResult Params(Json params, std::string why = "") {
  Proposal p;
  p.params = std::move(params);
  p.rationale = std::move(why);
  return Answer(std::move(p));
}
// The parent's kernel.py with `from` replaced by `to` (whole-file proposal).
inline Expected<ProposeResult> Edit(const ProposalContext& ctx, const std::string& from,
                                    const std::string& to, std::string why = "") {
  std::string src = ctx.parent.program.files.at("kernel.py");
  size_t at = src.find(from);
  if (at == std::string::npos) return FailedPreconditionError("no '" + from + "' in the parent");
  src.replace(at, from.size(), to);
  Proposal p;
  p.files = std::map<std::string, std::string>{{"kernel.py", src}};
  p.rationale = std::move(why);
  return Answer(std::move(p));
}

class EventLog final : public ProgressSink {
 public:
  void Event(const std::string& line) override { lines.push_back(line); }
  void Update(const Json&) override { ++updates; }
  bool Has(const std::string& needle) const {
    for (const std::string& l : lines) {
      if (l.find(needle) != std::string::npos) return true;
    }
    return false;
  }
  std::vector<std::string> lines;
  int updates = 0;
};

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    task_ = root_ / "task";
    std::filesystem::create_directories(task_);
    ASSERT_TRUE(WriteFile(task_ + "/definition.json",
                          "{\"name\": \"fake\", \"description\": \"out = x + y\"}\n")
                    .ok());
    ASSERT_TRUE(WriteFile(task_ + "/reference.py", "def run(x, y):\n    return x + y\n").ok());
    dir_ = root_ / "search";
  }

  void TearDown() override {
    if (HasFailure()) {
      for (const std::string& l : log_.lines) std::fprintf(stderr, "  event: %s\n", l.c_str());
    }
  }

  SearchConfig Config(int threads = 1) {
    SearchConfig c;
    c.task_dir = task_;
    c.entry = "kernel.py";
    c.editable = {"kernel.py"};
    c.judge = "fake";
    c.seed = 7;
    c.threads.threads = threads;
    c.threads.exploit = 1;
    c.threads.merge_every = 0;
    c.threads.migrate_every = 0;
    c.threads.stagnation_rounds = 0;
    c.budget.max_candidates = 3;
    c.proposers = {{"script", "", 1}};
    return c;
  }

  void Init(const SearchConfig& c, const std::string& seed = kSeed) {
    Status s = InitSearch(dir_, c, Program{{{"kernel.py", seed}}});
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  // Runs with the given proposers (by name) and the fake judge.
  Expected<RunOutcome> Run(std::map<std::string, Proposer*> proposers, Auditor* auditor = nullptr,
                           FakeJudgeOptions judge_options = {}, RunOptions options = {}) {
    std::unique_ptr<Judge> judge = MakeFakeJudge(judge_options);
    SearchDeps deps;
    deps.judge = judge.get();
    deps.auditor = auditor;
    deps.audit_skip_reason = "no auditor in this test";
    deps.proposers = std::move(proposers);
    deps.progress = &log_;
    deps.command_line = "test";
    return RunSearch(dir_, deps, options);
  }

  std::unique_ptr<Journal> Open() {
    Expected<std::unique_ptr<Journal>> j = Journal::Open(dir_, JournalOptions{});
    EXPECT_TRUE(j) << j.error().ToString();
    return j ? std::move(*j) : nullptr;
  }

  // "kind:candidate:verdict:applied" for every decision, in order: what resume must reproduce.
  std::vector<std::string> DecisionTrace() {
    std::vector<std::string> out;
    auto j = Open();
    std::vector<DecisionRecord> decisions = *j->Decisions();
    for (const DecisionRecord& d : decisions) {
      out.push_back(d.kind + ":" + std::to_string(d.candidate) + ":" + d.verdict + ":" +
                    (d.applied ? "1" : "0"));
    }
    return out;
  }

  std::string CandidateStatus(int64_t id) { return (*Open()->CandidateById(id))->status; }

  TempDir root_;
  std::string task_, dir_;
  EventLog log_;
};

}  // namespace referee::search
