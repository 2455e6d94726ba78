#include "referee/search/journal.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "referee/base/file.h"
#include "test_util.h"

namespace referee::search {
namespace {

std::unique_ptr<Journal> Create(const TempDir& dir) {
  Expected<std::unique_ptr<Journal>> j = Journal::Open(dir.path(), {.create = true});
  EXPECT_TRUE(j) << j.error().ToString();
  return j ? std::move(*j) : nullptr;
}

CandidateRecord Cand(const std::string& hash) {
  CandidateRecord c;
  c.hash = hash;
  c.thread = 1;
  c.parents = {1};
  c.proposer = "test";
  c.params = {{"BLOCK", 128}};
  return c;
}

TEST(Journal, CreatesAtTheCurrentSchemaAndRefusesASecondCreate) {
  TempDir dir;
  auto j = Create(dir);
  ASSERT_TRUE(j);
  EXPECT_EQ(j->schema_version(), kJournalSchemaVersion);
  Expected<std::unique_ptr<Journal>> again = Journal::Open(dir.path(), {.create = true});
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code(), StatusCode::kAlreadyExists);
  TempDir empty;
  Expected<std::unique_ptr<Journal>> none = Journal::Open(empty.path(), {});
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message().find("referee search init"), std::string::npos);
}

TEST(Journal, RoundTripsRecords) {
  TempDir dir;
  auto j = Create(dir);
  Journal::Tx tx = j->Begin();
  Expected<int64_t> id = j->AddCandidate(Cand("h1"));
  ASSERT_TRUE(id) << id.error().ToString();
  StageRecord s;
  s.candidate = *id;
  s.stage = "quick";
  s.metric = 1.5e-3;
  s.evaluations = 1;
  ASSERT_TRUE(j->AddStage(s));
  ASSERT_TRUE(j->SetMeta("round", "3").ok());
  ASSERT_TRUE(tx.Commit().ok());
  auto c = j->CandidateByHash("h1");
  ASSERT_TRUE(c && *c);
  EXPECT_EQ((*c)->params["BLOCK"], 128);
  EXPECT_EQ((*c)->parents, std::vector<int64_t>{1});
  auto stages = j->Stages(*id);
  ASSERT_TRUE(stages);
  ASSERT_EQ(stages->size(), 1u);
  EXPECT_EQ(*(*stages)[0].metric, 1.5e-3);
  EXPECT_EQ(j->GetMeta("round"), "3");
  // One row per program: the content hash is unique.
  EXPECT_FALSE(j->AddCandidate(Cand("h1")));
}

TEST(Journal, UncommittedWorkIsRolledBack) {
  TempDir dir;
  auto j = Create(dir);
  {
    Journal::Tx tx = j->Begin();
    ASSERT_TRUE(j->AddCandidate(Cand("gone")));
  }
  auto c = j->CandidateByHash("gone");
  ASSERT_TRUE(c);
  EXPECT_FALSE(*c);
}

TEST(Journal, MigratesAnOlderSchemaForwardKeepingItsRows) {
  TempDir dir;
  {
    Expected<std::unique_ptr<Journal>> v1 =
        Journal::Open(dir.path(), {.create = true, .max_version = 1});
    ASSERT_TRUE(v1);
    EXPECT_EQ((*v1)->schema_version(), 1);
    ASSERT_TRUE((*v1)->SetMeta("config", "{}").ok());
    ASSERT_TRUE((*v1)->AddThread({0, "search", 1, 0, 0, 0}));
  }
  Expected<std::unique_ptr<Journal>> j = Journal::Open(dir.path(), {});
  ASSERT_TRUE(j) << j.error().ToString();
  EXPECT_EQ((*j)->schema_version(), kJournalSchemaVersion);
  EXPECT_EQ((*j)->GetMeta("config"), "{}");
  EXPECT_EQ((*j)->Threads()->size(), 1u);
  CandidateRecord c = Cand("after-migration");
  c.generation = 3;
  Expected<int64_t> id = (*j)->AddCandidate(c);  // v2 column
  ASSERT_TRUE(id);
  EXPECT_EQ((*(*j)->CandidateById(*id))->generation, 3);
}

TEST(Journal, RefusesAJournalNewerThanThisBuild) {
  TempDir dir;
  { Create(dir); }
  {
    Expected<std::unique_ptr<Journal>> j = Journal::Open(dir.path(), {});
    ASSERT_TRUE(j);
  }
  std::string db = dir / "journal.db";
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "PRAGMA user_version=99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(raw);
  Expected<std::unique_ptr<Journal>> j = Journal::Open(dir.path(), {});
  ASSERT_FALSE(j);
  EXPECT_NE(j.error().message().find("schema version 99 is newer"), std::string::npos);
}

TEST(Journal, ReconcileRequeuesInFlightWorkOnceAndThenMarksItLost) {
  TempDir dir;
  auto j = Create(dir);
  CandidateRecord c = Cand("h");
  c.status = "running";
  int64_t id = *j->AddCandidate(c);
  StageRecord s;
  s.candidate = id;
  s.stage = "full";
  s.status = "running";
  ASSERT_TRUE(j->AddStage(s));
  ASSERT_TRUE(j->StartSession("run"));
  Expected<ReconcileReport> r = j->Reconcile(2);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->stages_lost, 1);
  EXPECT_EQ(r->requeued, 1);
  EXPECT_EQ(r->sessions_closed, 1);
  EXPECT_EQ((*j->CandidateById(id))->status, "queued");
  EXPECT_EQ((*j->Stages(id))[0].status, "lost");
  // Interrupted again: the second attempt is the last.
  CandidateRecord again = **j->CandidateById(id);
  again.status = "running";
  ASSERT_TRUE(j->UpdateCandidate(again).ok());
  r = j->Reconcile(2);
  EXPECT_EQ(r->lost, 1);
  EXPECT_EQ((*j->CandidateById(id))->status, "lost");
}

// kill -9 between commits: everything committed is there, nothing half-written.
TEST(Journal, SurvivesKill9MidWrite) {
  TempDir dir;
  { Create(dir); }
  int pipefd[2];
  ASSERT_EQ(pipe(pipefd), 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    close(pipefd[0]);
    auto j = Journal::Open(dir.path(), {});
    for (int i = 0;; ++i) {
      Journal::Tx tx = (*j)->Begin();
      CandidateRecord c = Cand("k" + std::to_string(i));
      (*j)->AddCandidate(c).error().IgnoreError();
      StageRecord s;
      s.candidate = i + 1;
      s.stage = "quick";
      (*j)->AddStage(s).error().IgnoreError();
      if (tx.Commit().ok() && i == 50) (void)!write(pipefd[1], "x", 1);
    }
  }
  close(pipefd[1]);
  char b;
  ASSERT_EQ(read(pipefd[0], &b, 1), 1);
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  close(pipefd[0]);
  Expected<std::unique_ptr<Journal>> j = Journal::Open(dir.path(), {});
  ASSERT_TRUE(j) << j.error().ToString();
  auto cands = (*j)->Candidates();
  auto stages = (*j)->Stages();
  ASSERT_TRUE(cands && stages);
  EXPECT_GE(cands->size(), 51u);
  EXPECT_EQ(cands->size(), stages->size());  // each transaction whole or absent
}

TEST(Journal, ACorruptPageFailsTheIntegrityCheckAndSalvageKeepsTheRest) {
  TempDir dir;
  {
    auto j = Create(dir);
    Journal::Tx tx = j->Begin();
    for (int i = 0; i < 400; ++i) {
      CandidateRecord c = Cand("h" + std::to_string(i));
      c.rationale = std::string(300, 'r');
      ASSERT_TRUE(j->AddCandidate(c));
    }
    ASSERT_TRUE(tx.Commit().ok());
    ASSERT_TRUE(j->SetMeta("config", "{\"a\":1}").ok());
  }
  // Closing the last connection checkpointed the WAL into the main file: damage one page.
  std::string db = dir / "journal.db";
  ASSERT_FALSE(std::filesystem::exists(db + "-wal"));
  Expected<std::string> bytes = ReadFile(db);
  ASSERT_TRUE(bytes);
  ASSERT_GT(bytes->size(), 20u * 4096);
  std::string damaged = *bytes;
  // Pages 1-12 hold the schema's roots; 20-23 hold candidates rows (and their index).
  for (size_t k = 19 * 4096; k < 23 * 4096; ++k) damaged[k] = static_cast<char>(0xA5);
  ASSERT_TRUE(WriteFile(db, damaged).ok());
  std::filesystem::remove(db + "-wal");
  std::filesystem::remove(db + "-shm");
  Expected<std::unique_ptr<Journal>> j = Journal::Open(dir.path(), {});
  ASSERT_FALSE(j);
  EXPECT_EQ(j.error().code(), StatusCode::kDataLoss);
  std::string line = j.error().ToString();
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_NE(line.find("integrity check"), std::string::npos);
  EXPECT_NE(line.find("--repair"), std::string::npos);
  Expected<int> kept = Journal::Salvage(dir.path());
  ASSERT_TRUE(kept) << kept.error().ToString();
  Expected<std::unique_ptr<Journal>> fixed = Journal::Open(dir.path(), {});
  ASSERT_TRUE(fixed) << fixed.error().ToString();
  auto cands = (*fixed)->Candidates();
  ASSERT_TRUE(cands);
  EXPECT_GT(cands->size(), 300u);
  EXPECT_LT(cands->size(), 400u);
  EXPECT_EQ((*fixed)->GetMeta("config"), "{\"a\":1}");
  EXPECT_TRUE(std::filesystem::exists(dir / "journal.db.corrupt-1"));
}

}  // namespace
}  // namespace referee::search
