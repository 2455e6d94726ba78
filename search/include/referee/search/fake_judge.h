// A deterministic stand-in for the evaluator, for unit tests and the search bench (the
// "no-op judge": no process is started, so the bench measures the loop's own cost).
// The candidate's source steers it through comment directives:
//
//   # fake: time=0.001*256/BLOCK   the metric in seconds (an expression of the tunables);
//                                  default: 1 ms scaled by the source hash into [1, 2) ms
//   # fake: noise=0.02             relative noise of the simulated paired samples (default 0)
//   # fake: fail=thread-growth@3   FAIL with this check at call 3 (default call 0) ...
//   # fake: fail-level=full        ... seen at this level (quick, screen, full; default quick)
//   # fake: fail-compare=A         the comparison is INVALID, this side failing (tests)
//   # fake: error                  the evaluator itself fails (infrastructure error)
//
// Comparisons simulate paired samples around each side's metric and apply the same paired
// statistics as the harness (harness/stats.h ComparePaired, looks after 3, 6, 10 pairs).
#pragma once

#include <memory>

#include "referee/search/judge.h"

namespace referee::search {

struct FakeJudgeOptions {
  double cost_s = 0;   // judge seconds reported per evaluation (budget tests)
  double sleep_s = 0;  // real wall time each call takes (kill -9 tests need a window)
  // Tests: the process dies (_exit, no cleanup: what kill -9 leaves) when the judge is
  // called for the n-th time (1-based); 0: never.
  int die_at_call = 0;
};

std::unique_ptr<Judge> MakeFakeJudge(FakeJudgeOptions options = {});

}  // namespace referee::search
