// Engine: the loop (issue 19), the seed's own evaluation and the final re-execution.
#include <algorithm>
#include <filesystem>

#include "engine.h"
#include "referee/base/strings.h"

namespace referee::search {

Status Engine::EnsureSeedEvaluated() {
  int64_t id = seed_id_;
  if (cands_.at(id).metric) return OkStatus();
  Emit("evaluating the starting program (candidate 1)");
  REFEREE_RETURN_IF_ERROR(StartCandidate(id));
  REFEREE_ASSIGN_OR_RETURN(std::string path, Materialize(id));
  auto fail = [&](const StageRecord& r) {
    return FailedPreconditionError(
        StrFormat("the starting program fails its own %s stage: "
                  "[%s] %s",
                  r.stage.c_str(), r.check.c_str(), r.reason.c_str()));
  };
  REFEREE_ASSIGN_OR_RETURN(StageRecord audit, RunStage(id, "audit", []() -> Expected<StageOutcome> {
                             StageOutcome o;
                             o.status = "skip";
                             o.reason = "the starting program is the audit's reference point";
                             return o;
                           }));
  (void)audit;
  for (EvalLevel level : {EvalLevel::kQuick, EvalLevel::kFull}) {
    EvalRequest req{path, "candidate-1", level, 0};
    const char* stage = level == EvalLevel::kQuick ? "quick" : "full";
    if (level == EvalLevel::kQuick) {
      REFEREE_ASSIGN_OR_RETURN(StageRecord b,
                               RunStage(id, "build", [&]() -> Expected<StageOutcome> {
                                 REFEREE_ASSIGN_OR_RETURN(Evaluation e, exec_->Build(req));
                                 StageOutcome o = FromEvaluation("build", e);
                                 o.evaluations = 0;
                                 return o;
                               }));
      if (b.status == "fail") return fail(b);
    }
    REFEREE_ASSIGN_OR_RETURN(StageRecord r, RunStage(id, stage, [&]() -> Expected<StageOutcome> {
                               REFEREE_ASSIGN_OR_RETURN(Evaluation e, EvalOne(id, stage, req));
                               StageOutcome o = FromEvaluation(stage, e);
                               o.hack = false;  // the user's own starting point
                               return o;
                             }));
    if (r.status != "pass") return fail(r);
  }
  CandidateRecord& c = cands_.at(id);
  c.status = "accepted";
  REFEREE_RETURN_IF_ERROR(RecordFullMetrics(id, *FindStage(id, "full")));
  Emit(StrFormat("starting program: %.4g s", *c.metric));
  return OkStatus();
}

// The global best, written out again from its stored blobs (hashes verified) into a fresh
// directory and evaluated in full: a published result is one that re-runs.
Status Engine::Reexecute() {
  for (int attempt = 0; attempt < 3; ++attempt) {
    int64_t id = global_best_;
    if (id == seed_id_ || FindStage(id, "reexecute")) return OkStatus();
    std::string dir = j_->dir() + "/work/reexecute-" + std::to_string(id);
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    REFEREE_ASSIGN_OR_RETURN(Program p, ProgramOf(id));
    REFEREE_RETURN_IF_ERROR(MaterializeProgram(p, dir));
    EvalRequest req{dir + "/" + cfg_.entry, StrFormat("reexecute-%lld", static_cast<long long>(id)),
                    EvalLevel::kFull, 0};
    REFEREE_ASSIGN_OR_RETURN(StageRecord r,
                             RunStage(id, "reexecute", [&]() -> Expected<StageOutcome> {
                               REFEREE_ASSIGN_OR_RETURN(Evaluation e,
                                                        EvalOne(id, "reexecute", req));
                               StageOutcome o = FromEvaluation("reexecute", e);
                               const CandidateRecord& c = cands_.at(id);
                               if (o.status == "pass" && c.metric && o.metric) {
                                 o.reason = StrFormat(
                                     "re-ran from stored sources: %.4g s "
                                     "(journal %.4g s, ratio %.3f)",
                                     *o.metric, *c.metric, *o.metric / *c.metric);
                               }
                               return o;
                             }));
    Emit(StrFormat("global best %lld re-executed: %s %s", static_cast<long long>(id),
                   r.status.c_str(), r.reason.c_str()));
    if (r.status == "pass" || !cands_.at(id).quarantined) return OkStatus();
  }
  return OkStatus();
}

Expected<std::string> Engine::Main(const SearchDeps& deps, const RunOptions& options) {
  deps_ = deps;
  opts_ = options;
  if (deps_.executor) {
    exec_ = deps_.executor;
  } else {
    own_exec_ = MakeInProcessExecutor(deps_.judge);
    exec_ = own_exec_.get();
  }
  session_start_ = MonotonicS();
  for (const ProposerSpec& s : cfg_.proposers) {
    if (!deps_.proposers.count(s.name) || !deps_.proposers.at(s.name)) {
      return InternalError("no proposer built for '" + s.name + "'");
    }
  }
  for (const std::string& note : notes_) Emit("resume: " + note);
  REFEREE_RETURN_IF_ERROR(EnsureSeedEvaluated());
  REFEREE_RETURN_IF_ERROR(CheckRuleset());
  bool baseline = options.baseline;
  if (baseline && std::none_of(threads_.begin(), threads_.end(),
                               [](auto& t) { return t.second.kind == "baseline"; })) {
    ThreadRecord t{0, "baseline", seed_id_, baseline_round_, baseline_round_, 0};
    REFEREE_ASSIGN_OR_RETURN(t.id, j_->AddThread(t));
    threads_[t.id] = t;
  }
  std::string stop;
  while (true) {
    if (!(stop = HardStop()).empty()) break;
    int64_t r = baseline ? baseline_round_ : round_;
    REFEREE_RETURN_IF_ERROR(ProposeMissing(r, baseline));
    REFEREE_ASSIGN_OR_RETURN(bool complete, EvaluatePending(r, baseline));
    if (!complete) {
      stop = HardStop();
      break;
    }
    if (!(stop = ProposeStop()).empty()) break;
    if (baseline) {
      REFEREE_RETURN_IF_ERROR(j_->SetMeta("baseline_round", std::to_string(r + 1)));
      baseline_round_ = r + 1;
    } else {
      REFEREE_RETURN_IF_ERROR(EndRound(r));
    }
  }
  if (stop != "interrupted" && options.reexecute && cfg_.cascade.reexecute_best && !baseline) {
    REFEREE_RETURN_IF_ERROR(Reexecute());
  }
  Update(true);
  return stop;
}

}  // namespace referee::search
