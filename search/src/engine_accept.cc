// Engine: the back of the cascade (full evaluation, paired acceptance against the thread's
// incumbent, confirmation before a new global best), migrations, the seed's own evaluation
// and the final re-execution (issue 19 items 4, 5, 7).
#include <cmath>

#include "engine.h"
#include "referee/base/strings.h"
#include "referee/search/hack_policy.h"

namespace referee::search {

StageOutcome Engine::FromComparison(const Comparison& c, int64_t baseline, double alpha) {
  StageOutcome o;
  o.cost_s = c.cost_s;
  o.evaluations = 1;
  o.report = c.report;
  o.report["timed_s"] = c.timed_s;
  o.report["search"] = {{"baseline", baseline},
                        {"verdict", CompareVerdictName(c.verdict)},
                        {"ratio", c.ratio},
                        {"ci", {c.ci_low, c.ci_high}},
                        {"pairs", c.pairs},
                        {"looks", c.looks},
                        {"alpha", alpha},
                        {"delta", cfg_.cascade.delta},
                        {"failed_side", c.failed_side},
                        {"check", c.check}};
  if (c.verdict == CompareVerdict::kInvalid && c.failed_side == "B") {
    o.status = "fail";
    o.check = c.check;
    o.reason = c.reason;
    o.failed_call = c.failed_call;
    o.hack = IsHack("accept", c.check, c.failed_call);
    return o;
  }
  o.check = CompareVerdictName(c.verdict);
  o.metric = c.ratio;
  o.reason = c.verdict == CompareVerdict::kInvalid
                 ? "the incumbent failed: " + c.reason
                 : StrFormat(
                       "time ratio %.3f [%.3f, %.3f] over %d pairs, %d look(s), "
                       "alpha %.3g, delta %.3g",
                       c.ratio, c.ci_low, c.ci_high, c.pairs, c.looks, alpha, cfg_.cascade.delta);
  return o;
}

// Writes the decision a comparison stage implies, once (a resume finds it already there).
Expected<bool> Engine::ApplyCompare(int64_t id, const StageRecord& row, const std::string& kind,
                                    int64_t thread, const Json& extra) {
  for (const DecisionRecord& d : decisions_) {
    if (d.details.value("stage_row", int64_t{0}) == row.id) return d.applied;
  }
  REFEREE_ASSIGN_OR_RETURN(std::string text, j_->blobs().Get(row.report_blob));
  REFEREE_ASSIGN_OR_RETURN(Json report, ParseJson(text, row.report_blob));
  const Json& s = report["search"];
  DecisionRecord d;
  d.candidate = id;
  d.thread = thread;
  d.kind = kind;
  d.verdict = row.check;
  d.baseline = s.value("baseline", int64_t{0});
  d.applied = row.check == "BETTER";
  d.ratio = row.metric.value_or(1);
  d.ci_low = s["ci"][0].get<double>();
  d.ci_high = s["ci"][1].get<double>();
  d.pairs = s.value("pairs", 0);
  d.looks = s.value("looks", 0);
  d.alpha = s.value("alpha", 0.0);
  d.delta = s.value("delta", 0.0);
  d.details = extra.is_object() ? extra : Json::object();
  d.details["stage_row"] = row.id;
  d.report_blob = row.report_blob;
  d.round = round_;
  Journal::Tx tx = j_->Begin();
  REFEREE_RETURN_IF_ERROR(Decide(d));
  if (d.applied && kind == "confirm") {
    global_best_ = id;
    REFEREE_RETURN_IF_ERROR(j_->SetMeta("global_best", std::to_string(id)));
  } else if (d.applied) {
    REFEREE_RETURN_IF_ERROR(SetIncumbent(thread, id, round_, true));
    // A migrant has finished its own cascade; a candidate in the cascade keeps `running`
    // until its confirmation is done (a resume must find it pending).
    CandidateRecord& c = cands_.at(id);
    if (kind == "migrate" && !c.quarantined) {
      c.status = "accepted";
      REFEREE_RETURN_IF_ERROR(j_->UpdateCandidate(c));
    }
  }
  REFEREE_RETURN_IF_ERROR(tx.Commit());
  const char* what = kind == "confirm" ? (d.applied ? "is the new GLOBAL BEST" : "not confirmed")
                                       : (d.applied ? "ACCEPTED" : "not accepted");
  Emit(StrFormat("candidate %lld %s (%s vs %lld, thread %lld): %s %s", static_cast<long long>(id),
                 what, kind.c_str(), static_cast<long long>(d.baseline),
                 static_cast<long long>(thread), d.verdict.c_str(), row.reason.c_str()));
  return d.applied;
}

// The incumbent failed a check inside a comparison: a hack found late quarantines it too.
Status Engine::IncumbentFailed(int64_t incumbent, const StageRecord& row) {
  if (row.check != "INVALID") return OkStatus();
  REFEREE_ASSIGN_OR_RETURN(std::string text, j_->blobs().Get(row.report_blob));
  REFEREE_ASSIGN_OR_RETURN(Json report, ParseJson(text, row.report_blob));
  std::string check = report["search"].value("check", "");
  int call = FailedCallIndex(row.reason);
  if (!IsHack("accept", check, call) || cands_.at(incumbent).quarantined) return OkStatus();
  return Quarantine(incumbent, "accept", HackLabel(check, call), row.reason, row.report_blob);
}

// The full evaluation's metric, its error and the SOL score (geometric mean over the
// workloads that have one, from the judge's report) become the candidate's.
Status Engine::RecordFullMetrics(int64_t id, const StageRecord& full) {
  CandidateRecord& c = cands_.at(id);
  c.metric = full.metric;
  c.metric_se = full.metric_se;
  if (!full.report_blob.empty()) {
    REFEREE_ASSIGN_OR_RETURN(std::string text, j_->blobs().Get(full.report_blob));
    if (Expected<Json> rep = ParseJson(text, full.report_blob)) {
      double log_sum = 0;
      int n = 0;
      for (const Json& w : rep->value("workloads", Json::array())) {
        if (w.contains("sol_score") && w["sol_score"].is_number() &&
            w["sol_score"].get<double>() > 0) {
          log_sum += std::log(w["sol_score"].get<double>());
          ++n;
        }
      }
      if (n > 0) c.sol_score = std::exp(log_sum / n);
    }
  }
  return j_->UpdateCandidate(c);
}

Status Engine::BackStages(int64_t id) {
  auto stop = [&]() -> Status {
    std::string why = HardStop();
    return why.empty() ? OkStatus() : Status(StatusCode::kCancelled, why);
  };
  CandidateRecord* c = &cands_.at(id);
  REFEREE_ASSIGN_OR_RETURN(std::string path, Materialize(id));
  REFEREE_RETURN_IF_ERROR(stop());
  EvalRequest req{path, StrFormat("candidate-%lld", static_cast<long long>(id)), EvalLevel::kFull,
                  0};
  REFEREE_ASSIGN_OR_RETURN(StageRecord full, RunStage(id, "full", [&]() -> Expected<StageOutcome> {
                             REFEREE_ASSIGN_OR_RETURN(Evaluation e, EvalOne(id, "full", req));
                             return FromEvaluation("full", e);
                           }));
  if (full.status != "pass") return FinishCandidate(id, "rejected");
  if (!c->metric) REFEREE_RETURN_IF_ERROR(RecordFullMetrics(id, full));
  int64_t thread = c->thread;
  int64_t inc = threads_.at(thread).incumbent;
  REFEREE_RETURN_IF_ERROR(stop());
  REFEREE_ASSIGN_OR_RETURN(std::string inc_path, Materialize(inc));
  CompareRequest cmp{inc_path, path, cfg_.cascade.alpha, cfg_.cascade.delta};
  REFEREE_ASSIGN_OR_RETURN(StageRecord accept,
                           RunStage(id, "accept", [&]() -> Expected<StageOutcome> {
                             REFEREE_ASSIGN_OR_RETURN(Comparison r, CompareOne(id, "accept", cmp));
                             return FromComparison(r, inc, cfg_.cascade.alpha);
                           }));
  if (accept.status != "pass") return FinishCandidate(id, "rejected");
  REFEREE_RETURN_IF_ERROR(IncumbentFailed(inc, accept));
  REFEREE_ASSIGN_OR_RETURN(bool accepted, ApplyCompare(id, accept, "accept", thread));
  if (!accepted) return FinishCandidate(id, "evaluated");
  // A new global best needs an independent confirmation on fresh pairs at confirm_alpha.
  if (threads_.at(thread).kind != "search" || global_best_ == id) {
    return FinishCandidate(id, "accepted");
  }
  int64_t best = global_best_;
  REFEREE_RETURN_IF_ERROR(stop());
  REFEREE_ASSIGN_OR_RETURN(std::string best_path, Materialize(best));
  CompareRequest conf{best_path, path, cfg_.cascade.confirm_alpha, cfg_.cascade.delta};
  REFEREE_ASSIGN_OR_RETURN(StageRecord confirm,
                           RunStage(id, "confirm", [&]() -> Expected<StageOutcome> {
                             REFEREE_ASSIGN_OR_RETURN(Comparison r, CompareOne(id, "confirm", conf));
                             return FromComparison(r, best, cfg_.cascade.confirm_alpha);
                           }));
  if (confirm.status != "pass") return FinishCandidate(id, "accepted");  // thread-level only
  REFEREE_RETURN_IF_ERROR(IncumbentFailed(best, confirm));
  REFEREE_RETURN_IF_ERROR(ApplyCompare(id, confirm, "confirm", thread).error());
  return FinishCandidate(id, "accepted");
}

Status Engine::ProcessOffers() {
  std::vector<DecisionRecord> offers;
  for (const DecisionRecord& d : decisions_) {
    if (d.kind == "offer") offers.push_back(d);
  }
  for (const DecisionRecord& offer : offers) {
    std::string stage = StrFormat("migrate:%lld", static_cast<long long>(offer.id));
    bool done = false;
    for (const DecisionRecord& d : decisions_) {
      done = done || (d.kind == "migrate" && d.details.value("offer", int64_t{0}) == offer.id);
    }
    if (done) continue;
    int64_t migrant = offer.candidate, dest = offer.thread;
    int64_t inc = threads_.at(dest).incumbent;
    if (cands_.at(migrant).quarantined || cands_.at(inc).hash == cands_.at(migrant).hash) {
      REFEREE_RETURN_IF_ERROR(Decide(Decision("migrate", migrant, dest, "SKIPPED", inc, false,
                                              Json{{"offer", offer.id}}, round_)));
      continue;
    }
    std::string why = HardStop();
    if (!why.empty()) return Status(StatusCode::kCancelled, why);
    REFEREE_ASSIGN_OR_RETURN(std::string a, Materialize(inc));
    REFEREE_ASSIGN_OR_RETURN(std::string b, Materialize(migrant));
    CompareRequest cmp{a, b, cfg_.cascade.alpha, cfg_.cascade.delta};
    REFEREE_ASSIGN_OR_RETURN(StageRecord row,
                             RunStage(migrant, stage, [&]() -> Expected<StageOutcome> {
                               REFEREE_ASSIGN_OR_RETURN(Comparison r,
                                                        CompareOne(migrant, stage, cmp));
                               return FromComparison(r, inc, cfg_.cascade.alpha);
                             }));
    if (row.status != "pass") {
      REFEREE_RETURN_IF_ERROR(
          Decide(Decision("migrate", migrant, dest, "INVALID", inc, false,
                          Json{{"offer", offer.id}, {"stage_row", row.id}}, round_)));
      continue;
    }
    REFEREE_RETURN_IF_ERROR(IncumbentFailed(inc, row));
    REFEREE_RETURN_IF_ERROR(
        ApplyCompare(migrant, row, "migrate", dest, {{"offer", offer.id}}).error());
  }
  return OkStatus();
}

}  // namespace referee::search
