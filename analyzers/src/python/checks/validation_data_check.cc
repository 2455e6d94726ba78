// validation-data: validation data (config `validation_data` patterns:
// val_tokens, "val", VAL_FILENAME, the pinned shard) read outside the
// sanctioned evaluator (training-hacks.md §7 D1-D5). With `validation_reads:
// evaluator` (autoresearch) a read is sanctioned only inside the evaluator or
// as an argument of its call; with `untimed` (modded-nanogpt's inline
// validation with the clock stopped) also in untimed code. Declarations
// (`val_tokens: int = ...`, keyword names, parameters) are not reads.
#include "python/checks/check_util.h"
#include "python/checks/python_check.h"
#include "python/scopes.h"

namespace referee::analyzers::python {
namespace {

bool IsDeclaration(TSNode n) {
  TSNode parent = Parent(n);
  if (Is(parent, "assignment") && ts_node_eq(Field(parent, "left"), n)) return true;
  if (Is(parent, "augmented_assignment") && ts_node_eq(Field(parent, "left"), n)) return true;
  if (Is(parent, "keyword_argument") && ts_node_eq(Field(parent, "name"), n)) return true;
  if (Is(parent, "attribute") && ts_node_eq(Field(parent, "attribute"), n)) return true;
  if (Is(parent, "parameters") || Is(parent, "default_parameter") ||
      Is(parent, "typed_parameter") || Is(parent, "typed_default_parameter")) {
    return true;
  }
  if (Is(parent, "function_definition") || Is(parent, "class_definition")) return true;
  if (Is(parent, "dotted_name") || Is(parent, "aliased_import")) return true;  // imports
  return false;
}

// A string literal counts only as a call argument: `make_dataloader(...,
// "val")`.
bool IsStringArgument(TSNode n) {
  TSNode parent = Parent(n);
  if (Is(parent, "keyword_argument")) parent = Parent(parent);
  return Is(parent, "argument_list");
}

class ValidationDataCheck final : public PythonCheck {
 public:
  const char* name() const override { return "validation-data"; }
  std::vector<CheckHit> Run(const FileContext& ctx,
                            const std::map<std::string, std::string>& options) const override {
    std::vector<CheckHit> hits;
    if (ctx.config().validation_data.empty()) return hits;
    // Evaluator mode applies to scripts that use the evaluator (import the fixed module or call
    // it); untimed mode to scripts with a training clock.
    if (ctx.config().validation_reads == "evaluator" && !ctx.UsesEvaluator()) return hits;
    int last_line = -1;
    Walk(ctx.index().root(), [&](TSNode n) {
      bool candidate = false;
      if (Is(n, "string")) {
        candidate = IsStringArgument(n);
      } else if (Is(n, "identifier")) {
        candidate = !IsDeclaration(n);
      } else if (Is(n, "attribute")) {
        candidate = !IsDeclaration(n);
      }
      if (!candidate || !ctx.IsValidationData(n) || Sanctioned(ctx, n)) {
        return !Is(n, "string");
      }
      int line = static_cast<int>(ts_node_start_point(n).row);
      if (line != last_line) hits.push_back({n, ""});
      last_line = line;
      return false;
    });
    return hits;
  }

 private:
  bool Sanctioned(const FileContext& ctx, TSNode n) const {
    const AuditConfig& cfg = ctx.config();
    if (!cfg.evaluators.empty() && InsideFunction(n, ctx.source(), cfg.evaluators)) return true;
    for (TSNode p = Parent(n); !ts_node_is_null(p); p = Parent(p)) {
      if (Is(p, "call") &&
          NameOrSuffixInList(cfg.evaluators, ctx.index().Resolve(Field(p, "function")))) {
        return true;
      }
    }
    if (cfg.validation_reads == "untimed") {
      const TimerRegions& t = ctx.timers();
      return !t.has_timer() || !t.InTimed(n);
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<PythonCheck> MakeValidationDataCheck() {
  return std::make_unique<ValidationDataCheck>();
}

}  // namespace referee::analyzers::python
