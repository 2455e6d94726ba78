// Engine: the budget governor (issue 19 item 5). Two kinds of limit: those that stop
// everything between stages (interruption, wall time, judge seconds, evaluations) and those
// that only stop new proposals (candidates, proposer calls, proposer cost, rounds), letting
// the candidates already proposed finish the cascade.
#include <algorithm>

#include "engine.h"
#include "referee/base/strings.h"

namespace referee::search {
namespace {

int64_t CountCandidates(const std::map<int64_t, CandidateRecord>& cands,
                        const std::map<int64_t, ThreadRecord>& threads, int64_t seed,
                        const std::string& kind) {
  int64_t n = 0;
  for (const auto& [id, c] : cands) {
    auto t = threads.find(c.thread);
    if (id != seed && t != threads.end() && t->second.kind == kind) ++n;
  }
  return n;
}

}  // namespace

std::string Engine::HardStop() const {
  const BudgetLimits& b = cfg_.budget;
  if (deps_.interrupted && deps_.interrupted->load()) return "interrupted";
  double wall = wall_before_s_ + (session_start_ > 0 ? MonotonicS() - session_start_ : 0);
  if (b.max_wall_s > 0 && wall >= b.max_wall_s) {
    return StrFormat("wall time: %.0f s of %.0f s", wall, b.max_wall_s);
  }
  if (b.max_judge_s > 0 && judge_s_ >= b.max_judge_s) {
    return StrFormat("judge seconds: %.0f of %.0f", judge_s_, b.max_judge_s);
  }
  if (b.max_evaluations > 0 && evaluations_ >= b.max_evaluations) {
    return StrFormat("evaluations: %lld of %lld", static_cast<long long>(evaluations_),
                     static_cast<long long>(b.max_evaluations));
  }
  return "";
}

std::string Engine::ProposeStop() const {
  const BudgetLimits& b = cfg_.budget;
  int64_t search = CountCandidates(cands_, threads_, seed_id_, "search");
  if (opts_.baseline) {
    // Samples: baseline proposals that named a program, a duplicate of one already evaluated
    // included (best-of-N draws may repeat).
    int64_t samples = 0, calls = 0;
    for (const ProposalRecord& p : proposals_) {
      auto t = threads_.find(p.thread);
      if (t == threads_.end() || t->second.kind != "baseline") continue;
      ++calls;
      samples += p.candidate != 0;
    }
    if (samples >= search) {
      return StrFormat("baseline candidates: %lld of %lld (matched to the search)",
                       static_cast<long long>(samples), static_cast<long long>(search));
    }
    if (calls >= 4 * std::max<int64_t>(search, 1)) {
      return StrFormat("baseline proposals: %lld (4x the search's candidates)",
                       static_cast<long long>(calls));
    }
  } else if (search >= b.max_candidates) {
    return StrFormat("candidates: %lld of %lld", static_cast<long long>(search),
                     static_cast<long long>(b.max_candidates));
  }
  int64_t max_proposals = b.max_proposals > 0 ? b.max_proposals : 4 * b.max_candidates;
  if (!opts_.baseline && static_cast<int64_t>(proposals_.size()) >= max_proposals) {
    return StrFormat("proposals: %zu of %lld", proposals_.size(),
                     static_cast<long long>(max_proposals));
  }
  if (b.max_proposer_usd > 0 && proposer_usd_ >= b.max_proposer_usd) {
    return StrFormat("proposer cost: $%.2f of $%.2f", proposer_usd_, b.max_proposer_usd);
  }
  if (!opts_.baseline && b.max_rounds > 0 && round_ > b.max_rounds) {
    return StrFormat("rounds: %lld of %lld", static_cast<long long>(round_ - 1),
                     static_cast<long long>(b.max_rounds));
  }
  return "";
}

Json Engine::BudgetJson() const {
  const BudgetLimits& b = cfg_.budget;
  double wall = wall_before_s_ + (session_start_ > 0 ? MonotonicS() - session_start_ : 0);
  auto pair = [](double used, double limit) { return Json::array({used, limit}); };
  return {{"candidates",
           pair(static_cast<double>(CountCandidates(cands_, threads_, seed_id_, "search")),
                static_cast<double>(b.max_candidates))},
          {"proposals",
           pair(static_cast<double>(proposals_.size()),
                static_cast<double>(b.max_proposals > 0 ? b.max_proposals : 4 * b.max_candidates))},
          {"evaluations",
           pair(static_cast<double>(evaluations_), static_cast<double>(b.max_evaluations))},
          {"wall_s", pair(wall, b.max_wall_s)},
          {"judge_s", pair(judge_s_, b.max_judge_s)},
          {"timed_s", timed_s_},
          {"proposer_usd", pair(proposer_usd_, b.max_proposer_usd)},
          {"rounds", pair(static_cast<double>(round_ - 1), static_cast<double>(b.max_rounds))}};
}

}  // namespace referee::search
