// warmup-optimizer-kept: a warm-up that runs real optimizer steps and then restores the model's
// weights but not the optimizer's state (training-hacks.md §7 T5). modded-nanogpt's records
// warm the compiled kernels up with real steps and restore both the model and every optimizer
// afterwards; restoring only the model carries the Adam moments and Muon momentum of the
// untimed steps into the timed run — free optimisation that looks like the record's warm-up.
// Restoring (or re-creating) the optimizer too, and functions that never restore anything (a
// training loop), are not flagged.
#include "python/checks/check_util.h"
#include "python/checks/python_check.h"
#include "python/scopes.h"

namespace referee::analyzers::python {
namespace {

bool NamesOptimizer(std::string_view text) {
  return text.find("opt") != std::string_view::npos;  // optimizer(s), opt, muon_opt, adam_opt
}

// The nodes of `list` that may belong to `fn`: those inside it, or all for module code (a null
// `fn`). Scanning every call of the file for each function made the check quadratic.
std::vector<TSNode> InScope(const std::vector<TSNode>& list, TSNode fn) {
  return ts_node_is_null(fn) ? list : NodesIn(list, fn);
}

std::string_view Receiver(TSNode call, std::string_view src) {
  TSNode f = Unparen(Field(call, "function"));
  return Is(f, "attribute") ? NodeText(Field(f, "object"), src) : std::string_view();
}

// The optimizer's state is reset after `pos` in `fn`: its load_state_dict, a state clear, or
// the optimizer bound anew (`optimizer = torch.optim.AdamW(...)`).
bool OptimizerResetAfter(const FileContext& ctx, TSNode fn, uint32_t pos) {
  std::string_view src = ctx.source();
  for (TSNode call : InScope(ctx.index().calls(), fn)) {
    if (ts_node_start_byte(call) <= pos || !OwnedBy(call, fn)) continue;
    std::string_view last = CalleeLastName(call, src);
    if ((last == "load_state_dict" || last == "clear" || last == "zero_state") &&
        NamesOptimizer(Receiver(call, src))) {
      return true;
    }
  }
  for (TSNode a : InScope(ctx.index().assignments(), fn)) {
    if (ts_node_start_byte(a) <= pos || !OwnedBy(a, fn)) continue;
    if (NamesOptimizer(NodeText(Field(a, "left"), src))) return true;
  }
  return false;
}

bool InsideLoop(TSNode n) {
  for (TSNode p = Parent(n); !ts_node_is_null(p); p = Parent(p)) {
    if (Is(p, "function_definition")) return false;
    if (Is(p, "for_statement") || Is(p, "while_statement")) return true;
  }
  return false;
}

// The first restore of the model (a load_state_dict not on an optimizer, outside any loop: a
// rollback inside the training loop is not a warm-up) after optimizer steps in `fn`, when the
// optimizers are never reset after those steps.
TSNode PartialRestore(const FileContext& ctx, TSNode fn) {
  std::string_view src = ctx.source();
  uint32_t last_step = 0;
  bool stepped = false;
  for (TSNode call : InScope(ctx.index().calls(), fn)) {
    if (!OwnedBy(call, fn)) continue;
    std::string_view last = CalleeLastName(call, src);
    bool on_optimizer = NamesOptimizer(Receiver(call, src));
    if (last == "step" && on_optimizer) {
      stepped = true;
      last_step = std::max(last_step, ts_node_start_byte(call));
    } else if (stepped && last == "load_state_dict" && !on_optimizer && !InsideLoop(call)) {
      return OptimizerResetAfter(ctx, fn, last_step) ? TSNode{} : call;
    }
  }
  return {};
}

class WarmupRestoreCheck final : public PythonCheck {
 public:
  const char* name() const override { return "warmup-optimizer-kept"; }
  std::vector<CheckHit> Run(const FileContext& ctx,
                            const std::map<std::string, std::string>& options) const override {
    std::vector<CheckHit> hits;
    std::string_view src = ctx.source();
    if (src.find("load_state_dict") == std::string_view::npos) return hits;
    std::vector<TSNode> scopes = ctx.index().functions();
    scopes.push_back(TSNode{});  // module code
    for (TSNode fn : scopes) {
      TSNode restore = PartialRestore(ctx, fn);
      if (!ts_node_is_null(restore)) hits.push_back({restore, ""});
    }
    return hits;
  }
};

}  // namespace

std::unique_ptr<PythonCheck> MakeWarmupRestoreCheck() {
  return std::make_unique<WarmupRestoreCheck>();
}

}  // namespace referee::analyzers::python
