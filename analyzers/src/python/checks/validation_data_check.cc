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

// `n` folds to a constant string (ValueResolver::ConstString) that names validation data while
// its literal pieces do not.
bool IsComputedValidationName(const FileContext& ctx, TSNode n) {
  std::optional<std::string> value = ctx.values().ConstString(n);
  if (!value || value->empty() || value->size() > 128) return false;
  for (const FastRegex& re : ctx.validation_patterns()) {
    if (re.Search(*value) && !re.Search(NodeText(n, ctx.source()))) return true;
  }
  return false;
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
      if ((Is(n, "call") || Is(n, "binary_operator") || Is(n, "concatenated_string") ||
           (Is(n, "subscript") && Is(Field(n, "value"), "string"))) &&
          IsComputedValidationName(ctx, n) && !Sanctioned(ctx, n)) {
        // A split name built at run time ("".join(reversed("lav")), "va" + "l"): an
        // indirection that names validation data wherever it sits (a registry, a default).
        int line = static_cast<int>(ts_node_start_point(n).row);
        if (line != last_line) hits.push_back({n, "the name is built at run time"});
        last_line = line;
        return false;
      }
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
  // `name != VAL_FILENAME`, `"val" not in path`, `files.remove(VAL)`: the validation data named to
  // keep it out (an exclusion), not read.
  static bool Excluded(const FileContext& ctx, TSNode n) {
    std::string_view src = ctx.source();
    for (TSNode p = Parent(n); !ts_node_is_null(p); p = Parent(p)) {
      if (Is(p, "comparison_operator")) {
        std::string_view text = NodeText(p, src);
        return text.find("!=") != std::string_view::npos ||
               text.find("not in") != std::string_view::npos;
      }
      if (Is(p, "call")) {
        std::string_view last = CallName(p, src);
        return last == "remove" || last == "discard" || last == "filterfalse" ||
               last == "exclude";
      }
      if (Is(p, "block") || Is(p, "module")) return false;
    }
    return false;
  }

  bool Sanctioned(const FileContext& ctx, TSNode n) const {
    const AuditConfig& cfg = ctx.config();
    if (Excluded(ctx, n)) return true;
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
