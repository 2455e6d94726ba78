// clock-scaling: the training clock's accumulated time is scaled or reduced, so the budget
// check sees less time than passed (training-hacks.md §7 T2): `total += dt * 0.5`,
// `dt = (t1 - t0) / 2`, `total -= 30`, `total *= 0.9`. Unit conversions (x1000, /1e3, ...)
// are honest (modded-nanogpt: `1000 * (perf_counter() - t0)`).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <set>

#include "python/checks/check_util.h"
#include "python/checks/python_check.h"
#include "python/scopes.h"

namespace referee::analyzers::python {
namespace {

bool IsUnitFactor(double v) {
  static const double kUnits[] = {1.0, 60.0, 3600.0, 1e3, 1e6, 1e9, 1e-3, 1e-6, 1e-9};
  for (double u : kUnits) {
    if (std::fabs(v - u) <= 1e-12 * std::max(1.0, u)) return true;
  }
  return false;
}

// A `*` or `/` by a numeric literal that is not a unit conversion, anywhere in `expr`.
bool ScalesByConstant(TSNode expr, std::string_view src) {
  bool found = false;
  Walk(expr, [&](TSNode n) {
    if (found) return false;
    if (!Is(n, "binary_operator")) return true;
    std::string_view op = NodeText(Field(n, "operator"), src);
    if (op != "*" && op != "/" && op != "//") return true;
    for (const char* side : {"left", "right"}) {
      TSNode v = Unparen(Field(n, side));
      if (!Is(v, "integer") && !Is(v, "float")) continue;
      std::string text(NodeText(v, src));
      text.erase(std::remove(text.begin(), text.end(), '_'), text.end());
      if (!IsUnitFactor(std::strtod(text.c_str(), nullptr))) found = true;
    }
    return !found;
  });
  return found;
}

class ClockScalingCheck final : public PythonCheck {
 public:
  const char* name() const override { return "clock-scaling"; }
  std::vector<CheckHit> Run(const FileContext& ctx,
                            const std::map<std::string, std::string>& options) const override {
    std::vector<CheckHit> hits;
    const TimerRegions& timers = ctx.timers();
    if (!timers.has_timer()) return hits;
    std::string_view src = ctx.source();
    // Accumulators: `X += <expr with a timer difference or a dt variable>`.
    std::set<std::string> accumulators, deltas;
    for (TSNode sub : ctx.index().subtractions()) {
      if (!timers.IsClockDifference(sub)) continue;
      TSNode p = Parent(sub);
      while (!ts_node_is_null(p) && !Is(p, "assignment") && !Is(p, "augmented_assignment") &&
             !Is(p, "expression_statement") && !Is(p, "block")) {
        p = Parent(p);
      }
      if (Is(p, "assignment") || Is(p, "augmented_assignment")) {
        if (ScalesByConstant(Field(p, "right"), src))
          hits.push_back({p, "scaled clock difference"});
        std::string target(NodeText(Field(p, "left"), src));
        (Is(p, "assignment") ? deltas : accumulators).insert(target);
      }
    }
    for (TSNode a : ctx.index().assignments()) {
      if (!Is(a, "augmented_assignment")) continue;
      std::string target(NodeText(Field(a, "left"), src));
      std::string_view op = NodeText(Field(a, "operator"), src);
      bool mentions_delta = false;
      for (const std::string& d : deltas) mentions_delta |= MentionsText(Field(a, "right"), src, d);
      if (op == "+=" && mentions_delta) {
        accumulators.insert(target);
        if (ScalesByConstant(Field(a, "right"), src)) hits.push_back({a, "scaled time increment"});
      }
    }
    for (TSNode a : ctx.index().assignments()) {
      if (!Is(a, "augmented_assignment")) continue;
      std::string target(NodeText(Field(a, "left"), src));
      std::string_view op = NodeText(Field(a, "operator"), src);
      if (accumulators.count(target) && op != "+=") {
        hits.push_back({a, "training time reduced with " + std::string(op)});
      }
    }
    return hits;
  }
};

}  // namespace

std::unique_ptr<PythonCheck> MakeClockScalingCheck() {
  return std::make_unique<ClockScalingCheck>();
}

}  // namespace referee::analyzers::python
