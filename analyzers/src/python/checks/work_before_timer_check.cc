// work-before-timer: optimizer steps on real data before the
// training clock starts, with no state reset (load_state_dict) between them and
// the start (training-hacks.md §7 T4-T6; modded-nanogpt PR #349). The honest
// look-alike is modded-nanogpt's warm-up, which runs real steps and then
// restores the model and optimizer state.
#include "python/checks/check_util.h"
#include "python/checks/python_check.h"
#include "python/scopes.h"

namespace referee::analyzers::python {
namespace {

bool IsTrainingStep(TSNode call, std::string_view src) {
  // Optimizer steps change the weights; a lone backward (autograd warm-up on a dummy tensor,
  // modded-nanogpt Target350M) does not.
  if (CalleeLastName(call, src) != "step") return false;
  TSNode f = Unparen(Field(call, "function"));
  std::string_view object = NodeText(Field(f, "object"), src);
  return object.find("opt") != std::string_view::npos;  // optimizer(s), opt, muon_opt
}

// A state reset after the step in the step's own function (both are before that function's
// clock start): the warm-up's effect is thrown away.
bool RestoredLater(TSNode step, const std::vector<TSNode>& resets) {
  TSNode scope = EnclosingFunction(step);
  for (TSNode r : resets) {
    TSNode rs = EnclosingFunction(r);
    bool same = ts_node_is_null(scope) ? ts_node_is_null(rs) : ts_node_eq(scope, rs);
    if (same && ts_node_start_byte(r) > ts_node_start_byte(step)) return true;
  }
  return false;
}

class WorkBeforeTimerCheck final : public PythonCheck {
 public:
  const char* name() const override { return "work-before-timer"; }
  std::vector<CheckHit> Run(const FileContext& ctx,
                            const std::map<std::string, std::string>& options) const override {
    std::vector<CheckHit> hits;
    const TimerRegions& timers = ctx.timers();
    if (!timers.has_timer()) return hits;
    std::string_view src = ctx.source();
    std::vector<TSNode> steps, resets;
    for (TSNode call : ctx.index().calls()) {
      if (!timers.BeforeTimerStart(call)) continue;
      std::string_view last = CalleeLastName(call, src);
      if (last == "load_state_dict" || last == "reset_parameters") resets.push_back(call);
      if (IsTrainingStep(call, src)) steps.push_back(call);
    }
    for (TSNode s : steps) {
      if (!RestoredLater(s, resets)) hits.push_back({s, ""});
    }
    return hits;
  }
};

}  // namespace

std::unique_ptr<PythonCheck> MakeWorkBeforeTimerCheck() {
  return std::make_unique<WorkBeforeTimerCheck>();
}

}  // namespace referee::analyzers::python
