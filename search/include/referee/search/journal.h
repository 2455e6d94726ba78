// The search journal: one SQLite database in WAL mode, the single source of truth of a search
// (research/search.md §4.1, §4.8). Every fact is a row committed in a transaction before the
// search acts on it; blobs (sources, diffs, reports) live in a BlobStore beside it and are
// written before the row naming them commits. `kill -9` at any moment therefore loses nothing
// committed; Reconcile() on resume turns work that was in flight into re-queued or lost rows,
// so nothing is counted twice. The schema is versioned (PRAGMA user_version) and migrated
// forward step by step on open; a journal newer than this build is refused.
//
//   Expected<std::unique_ptr<Journal>> j = Journal::Open("/runs/s1", {.create = true});
//   Journal::Tx tx = (*j)->Begin();
//   REFEREE_ASSIGN_OR_RETURN(int64_t id, (*j)->AddCandidate(c));
//   REFEREE_RETURN_IF_ERROR(tx.Commit());
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/base/json.h"
#include "referee/search/blob_store.h"

namespace referee::search {

class Db;

// The schema version this build writes; Open migrates older journals up to it.
constexpr int kJournalSchemaVersion = 3;

struct CandidateRecord {
  int64_t id = 0;
  std::string hash;  // sha256 of the program (ProgramHash)
  int64_t thread = 0;
  std::vector<int64_t> parents;  // > 1 for merges and crossovers; empty for the seed
  std::string proposer;
  int64_t proposal = 0;  // the proposal row that produced it (0: the seed)
  std::string rationale;
  Json cost = Json::object();    // the proposer's self-reported cost
  std::string program_blob;      // manifest {"files": {name: blob id}}
  std::string diff_blob;         // unified diff against the first parent ("" for the seed)
  Json params = Json::object();  // tunable assignments, when the proposal was parameters
  int64_t round = 0;
  int generation = 0;
  // queued -> running -> rejected | evaluated | accepted; or quarantined, lost.
  std::string status = "queued";
  int attempts = 0;
  bool quarantined = false;
  int64_t tainted_by = 0;        // the hack in its lineage that quarantined it
  std::optional<double> metric;  // full evaluation: geometric mean of medians (s)
  double metric_se = 0;          // standard error of log(metric)
  std::optional<double> sol_score;
  double created = 0;
};

struct StageRecord {
  int64_t id = 0;
  int64_t candidate = 0;
  std::string stage;  // audit build quick screen:N full accept confirm reexecute ...
  int attempt = 0;
  std::string status = "running";  // running pass fail skip lost
  std::string check;               // the failing check's id (a rule id, a harness check)
  std::string reason;              // one line
  bool hack = false;               // the failure is a reward hack (an incident was filed)
  std::optional<double> metric;
  double metric_se = 0;
  std::string report_blob;  // the Judge's JSON report
  double cost_s = 0;        // judge seconds (device time)
  double timed_s = 0;       // of which inside timed windows
  int evaluations = 0;      // judge calls it made
  double started = 0, ended = 0;
  int64_t session = 0;
  std::string job;  // the executor's job id ("": in process), e.g. a Slurm "1234_5"
};

struct DecisionRecord {
  int64_t id = 0;
  int64_t candidate = 0;
  int64_t thread = 0;
  // accept (thread), confirm (global best), migrate, reset, demote, merge
  std::string kind;
  std::string verdict;   // BETTER SAME WORSE UNDECIDED INVALID, or a short word
  int64_t baseline = 0;  // the incumbent it was compared with
  bool applied = false;  // the incumbent changed because of it
  double ratio = 1, ci_low = 1, ci_high = 1;  // time ratio candidate / baseline and its CI
  int pairs = 0, looks = 0;
  double alpha = 0, delta = 0;
  Json details = Json::object();
  std::string report_blob;
  int64_t round = 0;
  double created = 0;
};

struct IncidentRecord {
  int64_t id = 0;
  int64_t candidate = 0;
  std::string stage;
  std::string check;     // rule id or harness check id
  std::string evidence;  // one line
  std::string report_blob;
  std::string ruleset;  // rule-set hash at the time
  double created = 0;
};

struct ProposalRecord {
  int64_t id = 0;  // also the proposal's sequence number (seeds its RNG)
  int64_t round = 0;
  int64_t thread = 0;
  std::string slot = "main";  // main | combine (a round has one proposal per slot)
  std::string proposer;
  std::string status = "ok";  // ok failed duplicate rejected
  std::string reason;
  std::string request_blob, response_blob;
  Json cost = Json::object();
  double wall_s = 0;
  int64_t candidate = 0;
  double created = 0;
};

struct ThreadRecord {
  int64_t id = 0;
  std::string kind = "search";  // search | baseline (compute-matched, no evolution)
  int64_t incumbent = 0;
  int64_t created_round = 0;
  int64_t last_improved_round = 0;
  int resets = 0;
};

struct SessionRecord {
  int64_t id = 0;
  double started = 0, ended = 0;
  int64_t pid = 0;
  std::string command;
  std::string stop_reason;
};

// What Reconcile() did with work that was in flight when a previous process died.
struct ReconcileReport {
  int stages_lost = 0;
  int requeued = 0;
  int lost = 0;
  int sessions_closed = 0;
};

struct JournalOptions {
  bool create = false;          // create the directory and an empty journal
  bool check_integrity = true;  // PRAGMA integrity_check on open (a corrupt page: DataLoss)
  bool durable = false;         // synchronous=FULL (power-loss safe); NORMAL is kill -9 safe
  int max_version = kJournalSchemaVersion;  // tests: stop migrating at an older version
};

class Journal final {
 public:
  static constexpr const char* kDbName = "journal.db";

  static Expected<std::unique_ptr<Journal>> Open(const std::string& dir,
                                                 const JournalOptions& options);
  // Copies every readable row of a damaged journal into a fresh one at `dir` (the damaged
  // file is kept as journal.db.corrupt-N); rows on unreadable pages are lost.
  static Expected<int> Salvage(const std::string& dir);
  ~Journal();

  // A transaction; rolled back when destroyed uncommitted. Nested Begin() calls join the
  // outer transaction (only the outermost commits).
  class Tx final {
   public:
    explicit Tx(Journal* j);
    ~Tx();
    Tx(Tx&& other) noexcept;
    Tx(const Tx&) = delete;
    Status Commit();

   private:
    Journal* j_;
    bool outer_ = false;
    bool done_ = false;
    Status begin_error_;
  };
  Tx Begin() { return Tx(this); }

  int schema_version() const { return version_; }
  const std::string& dir() const { return dir_; }
  BlobStore& blobs() { return blobs_; }
  Status IntegrityCheck();

  Status SetMeta(const std::string& key, const std::string& value);
  std::optional<std::string> GetMeta(const std::string& key);

  Expected<int64_t> AddCandidate(const CandidateRecord& c);
  Status UpdateCandidate(const CandidateRecord& c);
  Expected<std::vector<CandidateRecord>> Candidates();
  Expected<std::optional<CandidateRecord>> CandidateById(int64_t id);
  Expected<std::optional<CandidateRecord>> CandidateByHash(const std::string& hash);

  Expected<int64_t> AddStage(const StageRecord& s);
  Status UpdateStage(const StageRecord& s);
  Expected<std::vector<StageRecord>> Stages(int64_t candidate = 0);  // 0: all

  Expected<int64_t> AddDecision(const DecisionRecord& d);
  Expected<std::vector<DecisionRecord>> Decisions();

  Expected<int64_t> AddIncident(const IncidentRecord& i);
  Expected<std::vector<IncidentRecord>> Incidents();

  Expected<int64_t> AddProposal(const ProposalRecord& p);
  Status UpdateProposal(const ProposalRecord& p);
  Expected<std::vector<ProposalRecord>> Proposals();

  Expected<int64_t> AddThread(const ThreadRecord& t);
  Status UpdateThread(const ThreadRecord& t);
  Expected<std::vector<ThreadRecord>> Threads();

  Expected<int64_t> StartSession(const std::string& command);
  Status EndSession(int64_t id, const std::string& stop_reason);
  Expected<std::vector<SessionRecord>> Sessions();

  // Stages left `running` become `lost`; their candidates are re-queued (attempts + 1) or,
  // after `max_attempts`, marked lost; sessions without an end are closed as "killed".
  Expected<ReconcileReport> Reconcile(int max_attempts);

 private:
  Journal(std::string dir, std::unique_ptr<Db> db, bool durable);
  Status Migrate(int max_version);
  Db& db() { return *db_; }

  std::string dir_;
  std::unique_ptr<Db> db_;
  BlobStore blobs_;
  int version_ = 0;
  int tx_depth_ = 0;
};

}  // namespace referee::search
