#include "python/timer_regions.h"

#include <algorithm>

#include "python/scopes.h"

namespace referee::analyzers::python {
namespace {

bool SameScope(TSNode a, TSNode b) {
  if (ts_node_is_null(a) || ts_node_is_null(b)) return ts_node_is_null(a) && ts_node_is_null(b);
  return ts_node_eq(a, b);
}

TSNode InnermostLoop(TSNode n) {
  for (TSNode p = Parent(n); !ts_node_is_null(p); p = Parent(p)) {
    if (Is(p, "function_definition")) return {};
    if (Is(p, "for_statement") || Is(p, "while_statement")) return p;
  }
  return {};
}

// The identifier assigned by `name = <expr containing n>`, walking up to the
// statement.
std::string AssignedName(TSNode n, std::string_view src) {
  for (TSNode p = Parent(n); !ts_node_is_null(p); p = Parent(p)) {
    if (Is(p, "assignment")) {
      TSNode left = Field(p, "left");
      return Is(left, "identifier") ? std::string(NodeText(left, src)) : std::string();
    }
    if (Is(p, "expression_statement") || Is(p, "block")) break;
  }
  return {};
}

bool MentionsName(TSNode expr, std::string_view src, std::string_view name) {
  bool found = false;
  Walk(expr, [&](TSNode n) {
    if (found) return false;
    if (Is(n, "identifier") && NodeText(n, src) == name) found = true;
    return !found;
  });
  return found;
}

// A `return NAME` (alone) in the function's own body, not in a nested function.
bool ReturnsName(TSNode fn, std::string_view src, std::string_view name) {
  bool found = false;
  Walk(Field(fn, "body"), [&](TSNode n) {
    if (found || Is(n, "function_definition") || Is(n, "lambda")) return false;
    if (Is(n, "return_statement") && ts_node_named_child_count(n) == 1) {
      TSNode v = ts_node_named_child(n, 0);
      found = Is(v, "identifier") && NodeText(v, src) == name;
    }
    return !found;
  });
  return found;
}

}  // namespace

TimerRegions::TimerRegions(const ModuleIndex& index, const std::vector<std::string>& timers) {
  Build(index, timers);
}

// The difference is what the function measures: added to a running total, or returned as the
// elapsed time (`return time.perf_counter() - t0`, `elapsed = t1 - t0 ... return elapsed`),
// which its caller reports as the training time. A difference only printed or logged is not.
bool TimerRegions::Accumulated(const ModuleIndex& index, TSNode sub) const {
  std::string_view src = index.source();
  for (TSNode p = Parent(sub); !ts_node_is_null(p); p = Parent(p)) {
    if (Is(p, "augmented_assignment")) return NodeText(Field(p, "operator"), src) == "+=";
    if (Is(p, "return_statement")) return !ts_node_is_null(EnclosingFunction(sub));
    if (Is(p, "expression_statement") || Is(p, "block") || Is(p, "call")) break;
  }
  std::string var = AssignedName(sub, src);
  if (var.empty()) return false;
  TSNode scope = EnclosingFunction(sub);
  for (TSNode a : index.assignments()) {
    if (!Is(a, "augmented_assignment") || NodeText(Field(a, "operator"), src) != "+=") continue;
    if (!SameScope(EnclosingFunction(a), scope)) continue;
    if (MentionsName(Field(a, "right"), src, var)) return true;
  }
  return !ts_node_is_null(scope) && ReturnsName(scope, src, var);
}

void TimerRegions::Build(const ModuleIndex& index, const std::vector<std::string>& timers) {
  std::string_view src = index.source();
  std::vector<Read> reads;
  for (size_t ci = 0; ci < index.calls().size(); ++ci) {
    TSNode call = index.calls()[ci];
    bool candidate = false;
    for (const std::string& t : timers) {
      candidate = candidate || index.CalleeMayEndWith(ci, LastComponent(t));
    }
    if (!candidate) continue;
    std::string name = index.Resolve(Field(call, "function"));
    if (std::find(timers.begin(), timers.end(), name) == timers.end()) continue;
    Read r{call, {}, EnclosingFunction(call)};
    TSNode parent = Parent(call);
    if (Is(parent, "assignment") && Is(Field(parent, "left"), "identifier")) {
      r.var = std::string(NodeText(Field(parent, "left"), src));
    }
    reads.push_back(r);
  }
  if (reads.empty()) return;
  auto var_read_before = [&](const std::string& var, TSNode scope, uint32_t pos) -> const Read* {
    const Read* best = nullptr;
    for (const Read& r : reads) {
      if (r.var == var && SameScope(r.scope, scope) && ts_node_start_byte(r.call) < pos) best = &r;
    }
    return best;
  };
  // start var (and scope) -> stop positions
  std::vector<std::pair<std::pair<std::string, TSNode>, std::vector<uint32_t>>> pairs;
  for (TSNode sub : index.subtractions()) {
    TSNode left = Unparen(Field(sub, "left")), right = Unparen(Field(sub, "right"));
    if (!Is(right, "identifier")) continue;
    TSNode scope = EnclosingFunction(sub);
    std::string start_var(NodeText(right, src));
    if (var_read_before(start_var, scope, ts_node_end_byte(sub)) == nullptr &&
        std::none_of(reads.begin(), reads.end(), [&](const Read& r) {
          return r.var == start_var && SameScope(r.scope, scope);
        })) {
      continue;
    }
    const Read* stop_read = nullptr;
    for (const Read& r : reads) {
      if (ts_node_eq(r.call, left)) stop_read = &r;
    }
    if (stop_read == nullptr && Is(left, "identifier")) {
      stop_read =
          var_read_before(std::string(NodeText(left, src)), scope, ts_node_start_byte(sub));
    }
    if (stop_read == nullptr || !Accumulated(index, sub)) continue;
    uint32_t stop = ts_node_start_byte(stop_read->call);
    clock_differences_.push_back(sub);
    if (std::none_of(stop_reads_.begin(), stop_reads_.end(),
                     [&](TSNode n) { return ts_node_eq(n, stop_read->call); })) {
      stop_reads_.push_back(stop_read->call);
    }
    auto it = std::find_if(pairs.begin(), pairs.end(), [&](const auto& p) {
      return p.first.first == start_var && SameScope(p.first.second, scope);
    });
    if (it == pairs.end()) {
      pairs.push_back({{start_var, scope}, {}});
      it = pairs.end() - 1;
    }
    it->second.push_back(stop);
  }
  std::sort(stop_reads_.begin(), stop_reads_.end(), [](TSNode a, TSNode b) {
    return ts_node_start_byte(a) < ts_node_start_byte(b);
  });
  for (auto& [key, stops] : pairs) {
    std::sort(stops.begin(), stops.end());
    AddPair(reads, key.first, key.second, stops);
  }
}

void TimerRegions::AddPair(const std::vector<Read>& reads, const std::string& start_var,
                           TSNode scope, const std::vector<uint32_t>& stops) {
  for (const Read& r : reads) {
    if (r.var != start_var || !SameScope(r.scope, scope)) continue;
    uint32_t s = ts_node_start_byte(r.call);
    auto known = std::find_if(first_starts_.begin(), first_starts_.end(),
                              [&](const ScopeStart& f) { return SameScope(f.scope, scope); });
    if (known == first_starts_.end()) {
      first_starts_.push_back({scope, s});
    } else {
      known->first = std::min(known->first, s);
    }
    auto next = std::upper_bound(stops.begin(), stops.end(), s);
    TSNode loop = InnermostLoop(r.call);
    if (next != stops.end() && (ts_node_is_null(loop) || *next < ts_node_end_byte(loop))) {
      timed_.push_back({s, *next});
      continue;
    }
    if (ts_node_is_null(loop)) {
      timed_.push_back({s, ts_node_is_null(scope) ? UINT32_MAX : ts_node_end_byte(scope)});
      continue;
    }
    // Opened at the end of a loop body: timed to the end and from the loop's
    // start to its stop.
    timed_.push_back({s, ts_node_end_byte(loop)});
    TSNode body = Field(loop, "body");
    auto first = std::lower_bound(stops.begin(), stops.end(), ts_node_start_byte(body));
    if (first != stops.end() && *first < s) timed_.push_back({ts_node_start_byte(body), *first});
  }
  for (uint32_t stop : stops) {
    for (const Read& r : reads) {
      if (ts_node_start_byte(r.call) != stop) continue;
      TSNode loop = InnermostLoop(r.call);
      if (!ts_node_is_null(loop)) {
        TSNode body = Field(loop, "body");
        loops_with_stop_.push_back({ts_node_start_byte(body), ts_node_end_byte(body)});
      }
    }
  }
}

bool TimerRegions::IsClockDifference(TSNode sub) const {
  for (TSNode d : clock_differences_) {
    if (ts_node_eq(d, sub)) return true;
  }
  return false;
}

bool TimerRegions::InTimed(TSNode n) const {
  uint32_t b = ts_node_start_byte(n);
  for (const Range& r : timed_) {
    if (r.begin <= b && b < r.end) return true;
  }
  return false;
}

bool TimerRegions::InUntimedGap(TSNode n) const {
  if (InTimed(n)) return false;
  uint32_t b = ts_node_start_byte(n);
  for (const Range& r : loops_with_stop_) {
    if (r.begin <= b && b < r.end) return true;
  }
  return false;
}

bool TimerRegions::BeforeTimerStart(TSNode n) const {
  TSNode scope = EnclosingFunction(n);
  for (const ScopeStart& f : first_starts_) {
    if (SameScope(f.scope, scope)) return ts_node_start_byte(n) < f.first;
  }
  return false;
}

}  // namespace referee::analyzers::python
