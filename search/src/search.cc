// The public entry points: init, run/resume, budget, status, repair.
#include "referee/search/search.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "engine.h"
#include "referee/base/fd.h"
#include "referee/base/strings.h"
#include "referee/search/tunables.h"

namespace referee::search {
namespace {

Status ValidateSeed(const SearchConfig& c, const Program& seed) {
  if (c.entry.empty() || !seed.files.count(c.entry)) {
    return InvalidArgumentError("the starting program has no entry file '" + c.entry + "'");
  }
  for (const std::string& e : c.editable) {
    if (!seed.files.count(e)) {
      return InvalidArgumentError("--editable names '" + e + "', not a file of the program");
    }
  }
  for (const auto& [name, content] : seed.files) {
    REFEREE_RETURN_IF_ERROR(FindRegions(content, name).error());
  }
  REFEREE_RETURN_IF_ERROR(FindTunables(seed).error());
  if (c.proposers.empty()) return InvalidArgumentError("a search needs at least one --proposer");
  std::error_code ec;
  if (!std::filesystem::is_directory(c.task_dir, ec)) {
    return NotFoundError(c.task_dir + ": not a task directory");
  }
  return OkStatus();
}

// One run at a time per journal: an exclusive lock on <dir>/search.lock.
Expected<UniqueFd> LockSearch(const std::string& dir) {
  std::string path = dir + "/search.lock";
  UniqueFd fd(open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644));
  if (!fd.valid()) return ErrnoError(path, errno);
  if (flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    return FailedPreconditionError(dir + ": another 'referee search' is running on this journal");
  }
  return fd;
}

}  // namespace

Expected<std::unique_ptr<Engine>> OpenEngine(const std::string& dir) {
  REFEREE_ASSIGN_OR_RETURN(std::unique_ptr<Journal> j, Journal::Open(dir, JournalOptions{}));
  std::optional<std::string> text = j->GetMeta("config");
  if (!text) return DataLossError(dir + "/journal.db: no search configuration in the journal");
  REFEREE_ASSIGN_OR_RETURN(Json cj, ParseJson(*text, dir + "/journal.db#config"));
  REFEREE_ASSIGN_OR_RETURN(SearchConfig config, ConfigFromJson(cj));
  auto e = std::make_unique<Engine>(std::move(j), std::move(config));
  REFEREE_RETURN_IF_ERROR(e->Load());
  return e;
}

Status InitSearch(const std::string& dir, const SearchConfig& config, const Program& seed) {
  REFEREE_RETURN_IF_ERROR(ValidateSeed(config, seed));
  REFEREE_ASSIGN_OR_RETURN(auto fixed, HashFixedFiles(config.task_dir));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  chmod(dir.c_str(), 0755);
  REFEREE_ASSIGN_OR_RETURN(std::unique_ptr<Journal> j, Journal::Open(dir, {.create = true}));
  CandidateRecord c;
  c.hash = ProgramHash(seed);
  c.proposer = "seed";
  c.rationale = "the starting program";
  c.round = 0;
  c.thread = 1;
  c.created = NowUnix();
  REFEREE_ASSIGN_OR_RETURN(c.program_blob, StoreProgram(j->blobs(), seed));
  Journal::Tx tx = j->Begin();
  REFEREE_RETURN_IF_ERROR(j->SetMeta("config", DumpJson(config.ToJson(), -1)));
  Json fixed_json = Json::object();
  for (const auto& [k, v] : fixed) fixed_json[k] = v;
  REFEREE_RETURN_IF_ERROR(j->SetMeta("fixed_files", DumpJson(fixed_json, -1)));
  REFEREE_RETURN_IF_ERROR(j->SetMeta("created", StrFormat("%.3f", NowUnix())));
  REFEREE_ASSIGN_OR_RETURN(int64_t seed_id, j->AddCandidate(c));
  REFEREE_RETURN_IF_ERROR(j->SetMeta("seed_candidate", std::to_string(seed_id)));
  REFEREE_RETURN_IF_ERROR(j->SetMeta("global_best", std::to_string(seed_id)));
  REFEREE_RETURN_IF_ERROR(j->SetMeta("round", "1"));
  for (int t = 0; t < config.threads.threads; ++t) {
    REFEREE_RETURN_IF_ERROR(j->AddThread({0, "search", seed_id, 0, 0, 0}).error());
  }
  return tx.Commit();
}

Expected<RunOutcome> RunSearch(const std::string& dir, const SearchDeps& deps,
                               const RunOptions& options) {
  if (!deps.judge && !deps.executor) return InvalidArgumentError("RunSearch needs a judge");
  {
    // A missing journal is reported before a lock file is created beside it.
    REFEREE_ASSIGN_OR_RETURN(std::unique_ptr<Journal> probe, Journal::Open(dir, JournalOptions{}));
  }
  REFEREE_ASSIGN_OR_RETURN(UniqueFd lock, LockSearch(dir));
  int max_attempts = 4;
  {
    REFEREE_ASSIGN_OR_RETURN(SearchConfig c, LoadSearchConfig(dir));
    max_attempts = c.cascade.max_attempts;
  }
  REFEREE_ASSIGN_OR_RETURN(std::unique_ptr<Journal> j, Journal::Open(dir, JournalOptions{}));
  REFEREE_ASSIGN_OR_RETURN(ReconcileReport rec, j->Reconcile(max_attempts));
  if (deps.progress && (rec.stages_lost || rec.requeued || rec.lost)) {
    deps.progress->Event(
        StrFormat("resume: %d interrupted stage(s) marked lost, %d candidate(s) "
                  "re-queued, %d marked lost",
                  rec.stages_lost, rec.requeued, rec.lost));
  }
  j.reset();
  REFEREE_ASSIGN_OR_RETURN(std::unique_ptr<Engine> e, OpenEngine(dir));
  REFEREE_ASSIGN_OR_RETURN(int64_t session, e->journal().StartSession(deps.command_line));
  e->set_session(session);
  Expected<std::string> stop = e->Main(deps, options);
  std::string reason = stop ? *stop : "error: " + stop.error().ToString();
  e->journal().EndSession(session, reason).IgnoreError();
  if (!stop) return stop.error();
  RunOutcome out;
  out.stop_reason = *stop;
  out.global_best = e->global_best();
  return out;
}

Expected<SearchConfig> LoadSearchConfig(const std::string& dir) {
  REFEREE_ASSIGN_OR_RETURN(std::unique_ptr<Journal> j, Journal::Open(dir, JournalOptions{}));
  std::optional<std::string> text = j->GetMeta("config");
  if (!text) return DataLossError(dir + "/journal.db: no search configuration in the journal");
  REFEREE_ASSIGN_OR_RETURN(Json cj, ParseJson(*text, dir + "/journal.db#config"));
  return ConfigFromJson(cj);
}

Status UpdateBudget(const std::string& dir, const BudgetLimits& budget) {
  REFEREE_ASSIGN_OR_RETURN(SearchConfig c, LoadSearchConfig(dir));
  c.budget = budget;
  REFEREE_ASSIGN_OR_RETURN(std::unique_ptr<Journal> j, Journal::Open(dir, JournalOptions{}));
  return j->SetMeta("config", DumpJson(c.ToJson(), -1));
}

Expected<Json> SearchStatus(const std::string& dir) {
  REFEREE_ASSIGN_OR_RETURN(std::unique_ptr<Engine> e, OpenEngine(dir));
  return e->StatusJson();
}

Expected<int> RepairJournal(const std::string& dir) {
  REFEREE_ASSIGN_OR_RETURN(UniqueFd lock, LockSearch(dir));
  return Journal::Salvage(dir);
}

}  // namespace referee::search
