// Engine: the judge's work through the executor (issue 14 item 1). One design keeps the
// resume invariants: evaluations of independent candidates run concurrently (Prefetch), but
// their results are journaled afterwards by the same sequential loop, in the same order, as
// with one slot, so a resume replays to the same decisions. Each job's id is journaled on its
// stage row before the search waits for it: a killed search's resume adopts the job (its
// result, or the job still running) instead of submitting it again, and a job lost to a node
// failure is recorded as a `lost` row beside the row of the job that replaced it.
#include "engine.h"
#include "referee/base/strings.h"

namespace referee::search {

// Journals job ids as the executor assigns them, on the stage rows of `ids` (in order).
class Engine::RowListener final : public JobListener {
 public:
  RowListener(Engine* e, std::vector<int64_t> ids) : e_(e), ids_(std::move(ids)) {}
  Status Submitted(size_t index, const std::string& job) override {
    StageRecord& row = e_->stages_.at(ids_.at(index)).back();
    row.job = job;
    return e_->j_->UpdateStage(row);
  }
  Status Requeued(size_t index, const std::string& lost_job, const std::string& why,
                  const std::string& job) override {
    int64_t id = ids_.at(index);
    StageRecord& row = e_->stages_.at(id).back();
    Journal::Tx tx = e_->j_->Begin();
    row.status = "lost";
    row.ended = NowUnix();
    row.reason = "job lost: " + why;
    REFEREE_RETURN_IF_ERROR(e_->j_->UpdateStage(row));
    StageRecord next = row;
    next.status = "running";
    next.reason.clear();
    next.started = NowUnix();
    next.ended = 0;
    next.job = job;
    REFEREE_ASSIGN_OR_RETURN(next.id, e_->j_->AddStage(next));
    REFEREE_RETURN_IF_ERROR(tx.Commit());
    e_->Emit(StrFormat("candidate %lld: job %s lost (%s); resubmitted as %s",
                       static_cast<long long>(id), lost_job.c_str(), why.c_str(), job.c_str()));
    e_->stages_[id].push_back(next);
    return OkStatus();
  }

 private:
  Engine* e_;
  std::vector<int64_t> ids_;
};

// The job an interrupted session left on this stage: the newest lost row's.
std::string Engine::AdoptableJob(int64_t id, const std::string& stage) const {
  std::string job;
  for (const StageRecord* s : StagesOf(id)) {
    if (s->stage == stage && s->status == "lost") job = s->job;
  }
  return job;
}

// The row RunStage left open for this stage: Prefetch's, not yet recorded.
StageRecord* Engine::OpenRow(int64_t id, const std::string& stage) {
  auto it = stages_.find(id);
  if (it == stages_.end() || it->second.empty()) return nullptr;
  StageRecord& last = it->second.back();
  bool open = last.stage == stage && last.status == "running" && last.session == session_ &&
              prefetched_.count(last.id);
  return open ? &last : nullptr;
}

Expected<StageRecord> Engine::OpenStage(int64_t id, const std::string& stage) {
  StageRecord row;
  row.candidate = id;
  row.stage = stage;
  row.attempt = cands_.at(id).attempts;
  row.started = NowUnix();
  row.session = session_;
  REFEREE_ASSIGN_OR_RETURN(row.id, j_->AddStage(row));
  stages_[id].push_back(row);
  return row;
}

JobResult Engine::RunOne(int64_t id, const std::string& stage, Job job) {
  auto it = prefetched_.find(current_row_);
  if (it != prefetched_.end()) {
    JobResult r = std::move(it->second);
    prefetched_.erase(it);
    return r;
  }
  job.adopt = AdoptableJob(id, stage);
  RowListener listener(this, {id});
  std::vector<JobResult> r = exec_->Run({job}, &listener);
  return r.empty() ? JobResult{InternalError("no result"), InternalError("no result")} : r[0];
}

Expected<Evaluation> Engine::EvalOne(int64_t id, const std::string& stage,
                                     const EvalRequest& req) {
  Job job;
  job.eval = req;
  return RunOne(id, stage, job).eval;
}

Expected<Comparison> Engine::CompareOne(int64_t id, const std::string& stage,
                                        const CompareRequest& req) {
  Job job;
  job.kind = Job::Kind::kCompare;
  job.compare = req;
  return RunOne(id, stage, job).compare;
}

Status Engine::Prefetch(const std::vector<int64_t>& ids, const std::string& stage,
                        EvalLevel level, int rung) {
  if (exec_->slots() <= 1) return OkStatus();
  int64_t room = cfg_.budget.max_evaluations > 0
                     ? cfg_.budget.max_evaluations - evaluations_
                     : static_cast<int64_t>(ids.size());
  REFEREE_RETURN_IF_ERROR(CheckFixedFiles(0));
  std::vector<Job> jobs;
  std::vector<int64_t> who;
  for (int64_t id : ids) {
    if (static_cast<int64_t>(jobs.size()) >= room) break;  // the budget stops the rest
    if (FindStage(id, stage) || cands_.at(id).status != "running") continue;
    REFEREE_ASSIGN_OR_RETURN(std::string path, Materialize(id));
    Job job;
    job.eval = {path, StrFormat("candidate-%lld", static_cast<long long>(id)), level, rung};
    job.adopt = AdoptableJob(id, stage);
    REFEREE_RETURN_IF_ERROR(OpenStage(id, stage).error());
    jobs.push_back(job);
    who.push_back(id);
  }
  if (jobs.empty()) return OkStatus();
  Emit(StrFormat("%s: %zu evaluation(s) on the %s executor", stage.c_str(), jobs.size(),
                 exec_->name().c_str()));
  RowListener listener(this, who);
  std::vector<JobResult> results = exec_->Run(jobs, &listener);
  for (size_t k = 0; k < who.size() && k < results.size(); ++k) {
    prefetched_[stages_.at(who[k]).back().id] = std::move(results[k]);
  }
  return OkStatus();
}

}  // namespace referee::search
