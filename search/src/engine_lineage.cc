// Engine: decisions, incumbents, quarantine of a hack's lineage and demotion of incumbents it
// reached (issue 19 item 6), and the re-audit of incumbents when the rule set changes.
#include <deque>

#include "engine.h"
#include "referee/base/strings.h"
#include "referee/search/hack_policy.h"

namespace referee::search {

DecisionRecord Decision(const std::string& kind, int64_t candidate, int64_t thread,
                        const std::string& verdict, int64_t baseline, bool applied, Json details,
                        int64_t round) {
  DecisionRecord d;
  d.kind = kind;
  d.candidate = candidate;
  d.thread = thread;
  d.verdict = verdict;
  d.baseline = baseline;
  d.applied = applied;
  d.details = std::move(details);
  d.round = round;
  return d;
}

Status Engine::Decide(DecisionRecord d) {
  if (!d.created) d.created = NowUnix();
  REFEREE_ASSIGN_OR_RETURN(d.id, j_->AddDecision(d));
  decisions_.push_back(std::move(d));
  return OkStatus();
}

Status Engine::SetIncumbent(int64_t thread, int64_t cand, int64_t round, bool improved) {
  ThreadRecord& t = threads_.at(thread);
  t.incumbent = cand;
  if (improved) t.last_improved_round = round;
  return j_->UpdateThread(t);
}

Status Engine::Quarantine(int64_t id, const std::string& stage, const std::string& check,
                          const std::string& evidence, const std::string& report_blob) {
  Journal::Tx tx = j_->Begin();
  IncidentRecord inc{0, id, stage, check, evidence, report_blob, ruleset_, NowUnix()};
  REFEREE_ASSIGN_OR_RETURN(inc.id, j_->AddIncident(inc));
  incidents_.push_back(inc);
  // The candidate and every descendant (merges included: any parent in the lineage).
  std::map<int64_t, std::vector<int64_t>> kids;
  for (const auto& [cid, c] : cands_) {
    for (int64_t p : c.parents) kids[p].push_back(cid);
  }
  std::deque<int64_t> q = {id};
  int tainted = 0;
  while (!q.empty()) {
    int64_t x = q.front();
    q.pop_front();
    CandidateRecord& c = cands_.at(x);
    if (!c.quarantined || x == id) {
      c.quarantined = true;
      c.status = "quarantined";
      if (x != id) {
        c.tainted_by = id;
        ++tainted;
      }
      REFEREE_RETURN_IF_ERROR(j_->UpdateCandidate(c));
    }
    for (int64_t k : kids[x]) q.push_back(k);
  }
  REFEREE_RETURN_IF_ERROR(DemoteQuarantined());
  REFEREE_RETURN_IF_ERROR(tx.Commit());
  Emit(StrFormat("candidate %lld QUARANTINED at %s: %s: %s%s", static_cast<long long>(id),
                 stage.c_str(), check.c_str(), evidence.c_str(),
                 tainted ? StrFormat(" (%d descendants with it)", tainted).c_str() : ""));
  return OkStatus();
}

namespace {

bool MovesIncumbent(const DecisionRecord& d) {
  return d.applied &&
         (d.kind == "accept" || d.kind == "migrate" || d.kind == "reset" || d.kind == "demote");
}

}  // namespace

Status Engine::DemoteQuarantined() {
  for (auto& [tid, t] : threads_) {
    if (!cands_.at(t.incumbent).quarantined) continue;
    int64_t back = seed_id_;
    for (auto it = decisions_.rbegin(); it != decisions_.rend(); ++it) {
      if (it->thread == tid && MovesIncumbent(*it) && !cands_.at(it->candidate).quarantined) {
        back = it->candidate;
        break;
      }
    }
    int64_t old = t.incumbent;
    REFEREE_RETURN_IF_ERROR(
        Decide(Decision("demote", back, tid, "QUARANTINED", old, true,
                        Json{{"reason", "incumbent in a quarantined lineage"}}, round_)));
    REFEREE_RETURN_IF_ERROR(SetIncumbent(tid, back, round_, false));
    Emit(StrFormat("thread %lld: incumbent %lld demoted, back to %lld", static_cast<long long>(tid),
                   static_cast<long long>(old), static_cast<long long>(back)));
  }
  if (cands_.at(global_best_).quarantined) {
    int64_t back = seed_id_;
    for (auto it = decisions_.rbegin(); it != decisions_.rend(); ++it) {
      bool global = (it->kind == "confirm" || (it->kind == "demote" && it->thread == 0));
      if (global && it->applied && !cands_.at(it->candidate).quarantined) {
        back = it->candidate;
        break;
      }
    }
    int64_t old = global_best_;
    REFEREE_RETURN_IF_ERROR(
        Decide(Decision("demote", back, 0, "QUARANTINED", old, true,
                        Json{{"reason", "global best in a quarantined lineage"}}, round_)));
    global_best_ = back;
    REFEREE_RETURN_IF_ERROR(j_->SetMeta("global_best", std::to_string(back)));
    Emit(StrFormat("global best %lld demoted, back to %lld", static_cast<long long>(old),
                   static_cast<long long>(back)));
  }
  return OkStatus();
}

Status Engine::CheckRuleset() {
  if (!deps_.auditor) return OkStatus();
  std::string now = deps_.auditor->RulesetHash();
  if (ruleset_.empty() || ruleset_ == now) {
    if (ruleset_.empty()) {
      REFEREE_RETURN_IF_ERROR(j_->SetMeta("ruleset", now));
      ruleset_ = now;
    }
    return OkStatus();
  }
  Emit("rule set changed (" + ruleset_ + " -> " + now + "): re-auditing the incumbents");
  std::set<int64_t> targets = {global_best_};
  for (const auto& [tid, t] : threads_) targets.insert(t.incumbent);
  for (const auto& [id, c] : cands_) {
    if (c.status == "accepted") targets.insert(id);
  }
  std::string old = ruleset_;
  ruleset_ = now;
  for (int64_t id : targets) {
    if (id == seed_id_ || cands_.at(id).quarantined) continue;
    REFEREE_RETURN_IF_ERROR(Materialize(id).error());
    Expected<StageRecord> r = RunStage(id, "re-audit:" + now, [&] { return AuditOutcome(id); });
    if (!r) return r.error();
  }
  Journal::Tx tx = j_->Begin();
  REFEREE_RETURN_IF_ERROR(j_->SetMeta("ruleset", now));
  REFEREE_RETURN_IF_ERROR(Decide(
      Decision("ruleset", 0, 0, "CHANGED", 0, true, Json{{"old", old}, {"new", now}}, round_)));
  return tx.Commit();
}

}  // namespace referee::search
