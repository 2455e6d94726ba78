// The timed region of a self-timing training loop (issue #4): between the clock
// read that starts an interval and the read that ends it, for the intervals
// whose length is accumulated into the training time (`total += t1 - t0`,
// `training_time_ms += 1000 * (perf_counter() - t0)`) or returned as the elapsed time. Intervals opened at the
// end of a loop body wrap around to the loop's start (modded-nanogpt restarts
// the clock after validation). Untimed gaps are the rest of a loop that holds a
// stop.
#pragma once

#include <string>
#include <vector>

#include "python/module_index.h"

namespace referee::analyzers::python {

class TimerRegions {
 public:
  TimerRegions(const ModuleIndex& index, const std::vector<std::string>& timers);

  bool has_timer() const { return !timed_.empty(); }
  bool InTimed(TSNode n) const;
  bool InUntimedGap(TSNode n) const;
  // Before the first interval start of its own function (or of module code), when that scope
  // opens an interval.
  bool BeforeTimerStart(TSNode n) const;
  // `sub` is a `stop - start` difference accumulated into the training time.
  bool IsClockDifference(TSNode sub) const;
  // The timer calls that end an interval accumulated into the training time (`t1 = time.time()`
  // of `total += t1 - t0`, or the call inside `total += time.perf_counter() - t0`), in document
  // order.
  const std::vector<TSNode>& stop_reads() const { return stop_reads_; }

 private:
  struct Range {
    uint32_t begin = 0, end = 0;
  };
  struct Read {
    TSNode call;
    std::string var;  // assigned variable, when `var = timer()`
    TSNode scope;     // enclosing function (null: module)
  };
  void Build(const ModuleIndex& index, const std::vector<std::string>& timers);
  void AddPair(const std::vector<Read>& reads, const std::string& start_var, TSNode scope,
               const std::vector<uint32_t>& stops);
  bool Accumulated(const ModuleIndex& index, TSNode sub) const;

  std::vector<Range> timed_;
  std::vector<TSNode> clock_differences_;
  std::vector<TSNode> stop_reads_;
  std::vector<Range> loops_with_stop_;
  struct ScopeStart {
    TSNode scope;  // function (null: module code)
    uint32_t first = 0;
  };
  std::vector<ScopeStart> first_starts_;  // one per scope that opens an interval
};

}  // namespace referee::analyzers::python
