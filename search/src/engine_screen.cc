// Engine: the quick performance screen (issue 19 item 4; research/search.md §3.4). First a
// liberal cut against the thread's incumbent (its quick time x (1 + slack)); then, while more
// than `screen_keep` candidates remain, successive halving: each rung measures the survivors
// with twice the samples of the last and keeps the best 1/eta. A rank cut ignores noise, so
// it only decides who gets the full evaluation, never acceptance.
#include <algorithm>
#include <cmath>

#include "engine.h"
#include "referee/base/strings.h"

namespace referee::search {
namespace {

StageOutcome Cut(const std::string& reason) {
  StageOutcome o;
  o.status = "fail";
  o.check = "screen";
  o.reason = reason;
  return o;
}

}  // namespace

Status Engine::ScreenBatch(const std::vector<int64_t>& ids) {
  std::vector<int64_t> pool;
  for (int64_t id : ids) {
    if (const StageRecord* done = FindStage(id, "screen")) {
      if (done->status == "pass") continue;  // decided before an interruption
      REFEREE_RETURN_IF_ERROR(FinishCandidate(id, "rejected"));
      continue;
    }
    const CandidateRecord& c = cands_.at(id);
    const StageRecord* mine = FindStage(id, "quick");
    const StageRecord* inc = FindStage(threads_.at(c.thread).incumbent, "quick");
    if (mine && mine->metric && inc && inc->metric && *inc->metric > 0) {
      double ratio = *mine->metric / *inc->metric;
      if (ratio > 1 + cfg_.cascade.screen_slack) {
        std::string why = StrFormat("quick time is %.2fx the incumbent's (cut above %.2fx)", ratio,
                                    1 + cfg_.cascade.screen_slack);
        REFEREE_RETURN_IF_ERROR(
            RunStage(id, "screen", [&]() -> Expected<StageOutcome> { return Cut(why); }).error());
        REFEREE_RETURN_IF_ERROR(FinishCandidate(id, "rejected"));
        continue;
      }
    }
    pool.push_back(id);
  }
  const int keep = cfg_.cascade.screen_keep, eta = cfg_.cascade.screen_eta;
  // Cuts are journaled after the last rung, so that a resume rebuilds the same pool (the rung
  // measurements themselves are journaled as they happen and reused).
  std::vector<std::pair<int64_t, std::string>> cuts;
  for (int rung = 1; static_cast<int>(pool.size()) > keep; ++rung) {
    std::vector<std::pair<double, int64_t>> ranked;
    REFEREE_RETURN_IF_ERROR(Prefetch(pool, StrFormat("screen:%d", rung), EvalLevel::kScreen, rung));
    for (int64_t id : pool) {
      std::string why = HardStop();
      if (!why.empty()) return Status(StatusCode::kCancelled, why);
      REFEREE_ASSIGN_OR_RETURN(std::string path, Materialize(id));
      EvalRequest req{path, StrFormat("candidate-%lld", static_cast<long long>(id)),
                      EvalLevel::kScreen, rung};
      REFEREE_ASSIGN_OR_RETURN(
          StageRecord r,
          RunStage(id, StrFormat("screen:%d", rung), [&]() -> Expected<StageOutcome> {
            REFEREE_ASSIGN_OR_RETURN(Evaluation e, EvalOne(id, StrFormat("screen:%d", rung), req));
            return FromEvaluation("screen", e);
          }));
      if (r.status != "pass" || !r.metric) {
        REFEREE_RETURN_IF_ERROR(FinishCandidate(id, "rejected"));
        continue;
      }
      ranked.push_back({*r.metric, id});
    }
    std::stable_sort(ranked.begin(), ranked.end());
    size_t survive = std::max<size_t>(keep, (ranked.size() + eta - 1) / eta);
    pool.clear();
    for (size_t i = 0; i < ranked.size(); ++i) {
      int64_t id = ranked[i].second;
      if (i < survive) {
        pool.push_back(id);
        continue;
      }
      cuts.push_back({id, StrFormat("successive halving rung %d: ranked %zu of %zu", rung, i + 1,
                                    ranked.size())});
    }
  }
  for (const auto& [id, why] : cuts) {
    REFEREE_RETURN_IF_ERROR(
        RunStage(id, "screen", [&]() -> Expected<StageOutcome> { return Cut(why); }).error());
    REFEREE_RETURN_IF_ERROR(FinishCandidate(id, "rejected"));
  }
  for (int64_t id : pool) {
    Expected<StageRecord> r = RunStage(id, "screen", []() -> Expected<StageOutcome> {
      StageOutcome o;
      o.reason = "kept for the full evaluation";
      return o;
    });
    if (!r) return r.error();
  }
  return OkStatus();
}

}  // namespace referee::search
