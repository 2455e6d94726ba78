// call-count-switch: a counter incremented on every call of an entry function
// (forward, run, ...) that is compared with a constant to pick what the call
// computes: honest for the first N checked calls, cheap afterwards
// (kernel-evaluators.md §7 #17; kernelboard "count to 15"). Honest look-alikes
// it leaves alone: counters only logged or used with `%` (periodic refresh),
// step counters of a training loop outside the entry functions, BatchNorm's
// num_batches_tracked.
#include <set>

#include "python/checks/check_util.h"
#include "python/checks/python_check.h"
#include "python/scopes.h"
#include "referee/base/strings.h"

namespace referee::analyzers::python {
namespace {

bool IsCounterTarget(TSNode left, TSNode fn, std::string_view src) {
  if (Is(left, "attribute") || Is(left, "subscript")) return true;  // self.n, state[0], f.calls
  if (!Is(left, "identifier")) return false;
  // A plain name only persists across calls when declared global/nonlocal.
  std::string_view name = NodeText(left, src);
  for (TSNode g : Descendants(fn, "global_statement")) {
    if (MentionsText(g, src, name)) return true;
  }
  for (TSNode g : Descendants(fn, "nonlocal_statement")) {
    if (MentionsText(g, src, name)) return true;
  }
  return false;
}

bool UnderModulo(TSNode n, TSNode stop) {
  for (TSNode p = Parent(n); !ts_node_is_null(p) && !ts_node_eq(p, stop); p = Parent(p)) {
    if (Is(p, "binary_operator") && ts_node_child_count(p) == 3 &&
        std::string_view(ts_node_type(ts_node_child(p, 1))) == "%") {
      return true;
    }
  }
  return false;
}

class CallCountSwitchCheck final : public PythonCheck {
 public:
  const char* name() const override { return "call-count-switch"; }
  std::vector<CheckHit> Run(const FileContext& ctx,
                            const std::map<std::string, std::string>& options) const override {
    std::vector<CheckHit> hits;
    std::string_view src = ctx.source();
    std::vector<std::string> entry = ctx.config().entry_functions;
    auto it = options.find("functions");
    if (it != options.end()) entry = StrSplit(it->second, ',');
    for (TSNode fn : ctx.index().functions()) {
      std::string fname(NodeText(Field(fn, "name"), src));
      if (std::find(entry.begin(), entry.end(), fname) == entry.end()) continue;
      std::set<std::string> counters;
      for (TSNode a : NodesIn(ctx.index().assignments(), fn)) {
        TSNode right = Unparen(Field(a, "right"));
        bool step = false;
        if (Is(a, "augmented_assignment")) {
          std::string_view op = NodeText(Field(a, "operator"), src);
          step = (op == "+=" || op == "-=") && Is(right, "integer");
        } else if (Is(right, "binary_operator")) {
          // `self.n = self.n + 1`, `self.n = getattr(self, "n", 0) + 1`
          std::string_view op = NodeText(Field(right, "operator"), src);
          std::string_view left = NodeText(Field(a, "left"), src);
          step = (op == "+" || op == "-") && Is(Unparen(Field(right, "right")), "integer") &&
                 (MentionsText(right, src, left) ||
                  NodeText(right, src).find("getattr") != std::string_view::npos);
        }
        if (step && IsCounterTarget(Field(a, "left"), fn, src)) {
          counters.emplace(NodeText(Field(a, "left"), src));
        }
      }
      if (counters.empty()) continue;
      for (TSNode cmp : Descendants(fn, "comparison_operator")) {
        for (const std::string& c : counters) {
          if (!MentionsText(cmp, src, c)) continue;
          bool all_modulo = true;
          Walk(cmp, [&](TSNode n) {
            if (NodeText(n, src) == c &&
                (Is(n, "identifier") || Is(n, "attribute") || Is(n, "subscript"))) {
              all_modulo = all_modulo && UnderModulo(n, cmp);
            }
            return true;
          });
          if (all_modulo) continue;
          hits.push_back({cmp, "counter '" + c + "' incremented in " + fname});
          break;
        }
      }
    }
    return hits;
  }
};

}  // namespace

std::unique_ptr<PythonCheck> MakeCallCountSwitchCheck() {
  return std::make_unique<CallCountSwitchCheck>();
}

}  // namespace referee::analyzers::python
