// The search engine (private to search/): the journal replayed into memory plus the loop's
// steps, split by concern over engine_*.cc. Every method that changes state writes the
// journal first (one transaction per step) and then its in-memory copy.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "referee/search/executor.h"
#include "referee/search/journal.h"
#include "referee/search/search.h"

namespace referee::search {

double NowUnix();
double MonotonicS();
uint64_t MixSeed(uint64_t seed, uint64_t salt);
DecisionRecord Decision(const std::string& kind, int64_t candidate, int64_t thread,
                        const std::string& verdict, int64_t baseline, bool applied, Json details,
                        int64_t round);
// sha256 of every regular file under the task directory (hidden entries and __pycache__
// skipped), by path relative to it: the fixed files checked at every stage.
Expected<std::map<std::string, std::string>> HashFixedFiles(const std::string& task_dir);

// What one stage produced (the judge's or the auditor's outcome, before journaling).
struct StageOutcome {
  std::string status = "pass";  // pass | fail | skip
  std::string check, reason;
  int failed_call = -1;
  bool hack = false;
  std::optional<double> metric;
  double metric_se = 0;
  std::optional<double> sol_score;
  Json report = Json::object();
  double cost_s = 0;
  int evaluations = 0;  // judge calls made
};

class Engine final {
 public:
  Engine(std::unique_ptr<Journal> journal, SearchConfig config);

  Status Load();
  void DropDanglingReferences();
  const std::vector<std::string>& notes() const { return notes_; }
  Expected<std::string> Main(const SearchDeps& deps, const RunOptions& options);
  Journal& journal() { return *j_; }
  void set_session(int64_t id) { session_ = id; }
  int64_t global_best() const { return global_best_; }
  int64_t seed_id() const { return seed_id_; }
  const SearchConfig& config() const { return cfg_; }
  const std::map<int64_t, CandidateRecord>& candidates() const { return cands_; }
  const std::map<int64_t, ThreadRecord>& threads() const { return threads_; }
  const std::vector<DecisionRecord>& decisions() const { return decisions_; }
  const std::vector<IncidentRecord>& incidents() const { return incidents_; }
  const std::vector<ProposalRecord>& proposals() const { return proposals_; }

  // ---- state (engine_state.cc) -----------------------------------------------------------
  const CandidateRecord& Cand(int64_t id) const { return cands_.at(id); }
  bool Eligible(const CandidateRecord& c) const;  // passed full, not quarantined
  double Score(const CandidateRecord& c) const;   // log speedup over the seed
  double Lcb(const CandidateRecord& c) const;
  Expected<Program> ProgramOf(int64_t id);
  Expected<std::string> Materialize(int64_t id);  // the entry file's path
  std::vector<const StageRecord*> StagesOf(int64_t id) const;
  const StageRecord* FindStage(int64_t id, const std::string& stage) const;
  std::vector<int64_t> SearchThreads() const;
  int64_t current_round() const { return round_; }
  Json StatusJson() const;
  Json CandidateMetrics(const CandidateRecord& c) const;

  // ---- budget (engine_governor.cc) -------------------------------------------------------
  std::string HardStop() const;     // stops everything between stages
  std::string ProposeStop() const;  // stops new proposals only
  Json BudgetJson() const;

 private:
  // ---- rounds (engine_rounds.cc) ---------------------------------------------------------
  Status ProposeMissing(int64_t round, bool baseline);
  Status ProposeSlot(int64_t round, int64_t thread, const std::string& slot);
  Expected<ProposalContext> MakeContext(int64_t round, int64_t thread, const std::string& slot,
                                        int64_t seq, std::mt19937_64& rng);
  Status Admit(const ProposalContext& ctx, const Proposal& p, const ProposalRecord& rec,
               std::vector<CandidateRecord>& fresh, std::string& status, std::string& why,
               int64_t& known);
  Status CommitProposal(ProposalRecord& rec, std::vector<CandidateRecord>& fresh);
  Status EndRound(int64_t round);
  Status OfferMigrations(int64_t round);
  Status ResetStagnant(int64_t round);
  Proposer* ChooseProposer(int64_t thread, const std::string& slot, std::mt19937_64& rng);

  // ---- selection and requests (engine_select.cc) -----------------------------------------
  int64_t PickParent(int64_t thread, std::mt19937_64& rng) const;
  std::vector<int64_t> PickInspirations(int64_t thread, int64_t parent) const;
  int64_t BestOtherIncumbent(int64_t thread) const;
  int64_t CommonAncestor(int64_t a, int64_t b) const;
  Expected<ProgramView> View(int64_t id);
  Expected<Json> BuildRequest(const ProposalContext& ctx, const std::string& slot);

  // ---- cascade (engine_cascade.cc, engine_screen.cc) -------------------------------------
  Expected<bool> EvaluatePending(int64_t round, bool baseline);
  Status FrontStages(int64_t id, bool through_quick = true);
  Status ScreenBatch(const std::vector<int64_t>& ids);
  Status BackStages(int64_t id);
  Status RecordFullMetrics(int64_t id, const StageRecord& full);
  Status ProcessOffers();
  StageOutcome FromComparison(const Comparison& c, int64_t baseline, double alpha);
  // Writes the decision a comparison stage implies (once); returns whether it was applied.
  Expected<bool> ApplyCompare(int64_t id, const StageRecord& row, const std::string& kind,
                              int64_t thread, const Json& extra = Json::object());
  Status IncumbentFailed(int64_t incumbent, const StageRecord& row);
  Status EnsureSeedEvaluated();
  Status Reexecute();
  Expected<StageOutcome> AuditOutcome(int64_t id);
  StageOutcome FromEvaluation(const std::string& stage, const Evaluation& e);
  // Runs one stage unless the journal already holds its result; records it, files an
  // incident and quarantines on a hack. Returns the stage row.
  Expected<StageRecord> RunStage(int64_t id, const std::string& stage,
                                 const std::function<Expected<StageOutcome>()>& run);
  Status StartCandidate(int64_t id);
  Status FinishCandidate(int64_t id, const std::string& status);
  Status CheckFixedFiles(int64_t during);

  // ---- the executor (engine_batch.cc) ----------------------------------------------------
  class RowListener;
  // Runs `stage` of every candidate in `ids` that still needs it, concurrently when the
  // executor has more than one slot; RunStage then journals each result in order.
  Status Prefetch(const std::vector<int64_t>& ids, const std::string& stage, EvalLevel level,
                  int rung);
  Expected<Evaluation> EvalOne(int64_t id, const std::string& stage, const EvalRequest& req);
  Expected<Comparison> CompareOne(int64_t id, const std::string& stage,
                                  const CompareRequest& req);
  JobResult RunOne(int64_t id, const std::string& stage, Job job);
  std::string AdoptableJob(int64_t id, const std::string& stage) const;
  StageRecord* OpenRow(int64_t id, const std::string& stage);
  Expected<StageRecord> OpenStage(int64_t id, const std::string& stage);
  bool Batched() const { return exec_->slots() > 1; }

  // ---- decisions and lineage (engine_lineage.cc) -----------------------------------------
  Status Decide(DecisionRecord d);
  Status SetIncumbent(int64_t thread, int64_t cand, int64_t round, bool improved);
  Status Quarantine(int64_t id, const std::string& stage, const std::string& check,
                    const std::string& evidence, const std::string& report_blob);
  Status DemoteQuarantined();
  Status CheckRuleset();

  void Emit(const std::string& line) const;
  void Update(bool force = false);

  std::unique_ptr<Journal> j_;
  SearchConfig cfg_;
  SearchDeps deps_;
  std::unique_ptr<Executor> own_exec_;  // the in-process executor when deps name none
  Executor* exec_ = nullptr;
  std::map<int64_t, JobResult> prefetched_;  // by stage row id
  int64_t current_row_ = 0;                  // the row RunStage is running
  RunOptions opts_;
  std::map<int64_t, CandidateRecord> cands_;
  std::map<int64_t, ThreadRecord> threads_;
  std::map<int64_t, std::vector<StageRecord>> stages_;
  std::vector<DecisionRecord> decisions_;
  std::vector<ProposalRecord> proposals_;
  std::vector<IncidentRecord> incidents_;
  std::set<std::string> hashes_;
  std::map<std::string, int64_t> by_hash_;
  std::map<int64_t, int> children_;
  int64_t seed_id_ = 1;
  int64_t global_best_ = 1;
  int64_t round_ = 1;
  int64_t baseline_round_ = 1;
  int64_t session_ = 0;
  double wall_before_s_ = 0;
  double session_start_ = 0;
  double last_update_ = 0;
  int64_t evaluations_ = 0;
  double judge_s_ = 0;
  double timed_s_ = 0;
  double proposer_usd_ = 0;
  std::string ruleset_;
  std::map<std::string, std::string> fixed_hashes_;
  std::vector<std::string> notes_;  // from Load: what a salvaged journal had lost
};

// Opens the journal at `dir` and replays it (integrity-checked; no lock: read-only users).
Expected<std::unique_ptr<Engine>> OpenEngine(const std::string& dir);

}  // namespace referee::search
