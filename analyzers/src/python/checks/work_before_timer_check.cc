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

class WorkBeforeTimerCheck final : public PythonCheck {
 public:
  const char* name() const override { return "work-before-timer"; }
  std::vector<CheckHit> Run(const FileContext& ctx,
                            const std::map<std::string, std::string>& options) const override {
    std::vector<CheckHit> hits;
    const TimerRegions& timers = ctx.timers();
    if (!timers.has_timer()) return hits;
    std::string_view src = ctx.source();
    std::vector<TSNode> steps;
    uint32_t last_reset = 0;
    for (TSNode call : ctx.index().calls()) {
      if (!timers.BeforeTimerStart(call)) continue;
      std::string_view last = CalleeLastName(call, src);
      if (last == "load_state_dict" || last == "reset_parameters") {
        last_reset = std::max(last_reset, ts_node_start_byte(call));
      }
      if (IsTrainingStep(call, src)) steps.push_back(call);
    }
    for (TSNode s : steps) {
      if (ts_node_start_byte(s) > last_reset) hits.push_back({s, ""});
    }
    return hits;
  }
};

}  // namespace

std::unique_ptr<PythonCheck> MakeWorkBeforeTimerCheck() {
  return std::make_unique<WorkBeforeTimerCheck>();
}

}  // namespace referee::analyzers::python
