// The research loop around the judge (issue 19): rounds of proposals from several research
// threads, each proposal through the patch gate and the cascade, every fact in the journal.
//
//   InitSearch(dir, config, seed)                    // referee search init
//   SearchDeps deps{judge, auditor, proposers, progress, &interrupted};
//   Expected<RunOutcome> r = RunSearch(dir, deps);   // run and resume alike
//   Expected<Json> s = SearchStatus(dir);            // read-only, safe while a run is live
//
// One round: every search thread proposes once (its parent and inspirations picked on lower
// confidence bounds), every merge_every rounds one thread also merges with another's
// incumbent; the round's candidates then go through the cascade, cheapest first: audit ->
// build -> quick correctness -> screen (cut against the incumbent, successive halving) ->
// full evaluation -> paired comparison with the thread's incumbent (BETTER moves it) ->
// confirmation at confirm_alpha on fresh pairs before a new global best. After the round:
// migration of a strong incumbent to the next thread (a paired comparison, next round),
// resets of stagnant threads from the archive. A reward hack quarantines the lineage. The
// budget governor stops between stages and says why; the global best is re-executed from
// its stored sources at the end. Every step is idempotent against the journal, so a resume
// after kill -9 replays to the same decisions (given the same judge verdicts).
#pragma once

#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/base/json.h"
#include "referee/search/auditor.h"
#include "referee/search/config.h"
#include "referee/search/executor.h"
#include "referee/search/judge.h"
#include "referee/search/program.h"
#include "referee/search/proposer.h"

namespace referee::search {

// Live progress: Event() for each decision-level line, Update() with the status JSON after
// every stage (the CLI redraws a terminal block, or prints events when not a terminal).
class ProgressSink {
 public:
  virtual ~ProgressSink() = default;
  virtual void Event(const std::string& line) = 0;
  virtual void Update(const Json& status) = 0;
};

struct SearchDeps {
  Judge* judge = nullptr;
  Executor* executor = nullptr;                // null: `judge` in this process (one slot)
  Auditor* auditor = nullptr;                  // null: the audit stage is skipped
  std::string audit_skip_reason;               // ... and why (shown in the journal)
  std::map<std::string, Proposer*> proposers;  // by ProposerSpec::name
  ProgressSink* progress = nullptr;
  const std::atomic<bool>* interrupted = nullptr;  // SIGINT: stop cleanly between stages
  std::string command_line;                        // recorded in the session row
};

struct RunOptions {
  bool baseline = false;  // run the compute-matched baseline thread instead of the search
  bool reexecute = true;  // re-run the global best at the end (config permitting)
};

struct RunOutcome {
  std::string stop_reason;
  int64_t global_best = 0;
  int candidates = 0;  // made in this session
};

// Creates the journal at `dir` (which must not hold one) with the configuration, the fixed
// files' hashes, the seed program as candidate 1 and the threads.
Status InitSearch(const std::string& dir, const SearchConfig& config, const Program& seed);

// Runs until the budget or an interruption stops it (or an infrastructure error, returned
// after the journal is left resumable). Reconciles work a killed run left in flight first.
Expected<RunOutcome> RunSearch(const std::string& dir, const SearchDeps& deps,
                               const RunOptions& options = {});

Expected<SearchConfig> LoadSearchConfig(const std::string& dir);
// Raises (or sets) budget limits of an existing search (resume with a bigger budget).
Status UpdateBudget(const std::string& dir, const BudgetLimits& budget);

// Status: threads and incumbents with intervals, stage counts, budget used, incidents.
Expected<Json> SearchStatus(const std::string& dir);
std::string FormatStatus(const Json& status);
// A few lines for a live terminal view: stage counts, incumbents with intervals, budget.
std::string FormatProgress(const Json& status);
// Report: status plus the progress curve, decisions, incidents, the baseline estimate and
// the re-execution.
Expected<Json> SearchReport(const std::string& dir);
std::string FormatReport(const Json& report);
// One table (candidates | stages | decisions | incidents | proposals) as csv or jsonl.
Expected<std::string> ExportSearch(const std::string& dir, const std::string& table,
                                   const std::string& format);
// Salvages a journal that failed its integrity check; returns rows kept.
Expected<int> RepairJournal(const std::string& dir);

}  // namespace referee::search
