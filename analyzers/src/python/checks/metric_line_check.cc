// metric-line: the metric line the loop greps (`val_bpb: ...`) printed or
// written with a value that does not come from the sanctioned evaluator
// (training-hacks.md §7 H4, H8). Active when the file uses the evaluator
// (imports or calls it). The honest line prints a variable assigned only from
// the evaluator's return.
#include <regex>

#include "python/checks/check_util.h"
#include "python/checks/python_check.h"
#include "python/scopes.h"

namespace referee::analyzers::python {
namespace {

bool IsOutputCall(std::string_view last) {
  return last == "print" || last == "print0" || last == "write" || last == "info" ||
         last == "log" || last == "writelines" || last == "write_text" || last == "warning";
}

class MetricLineCheck final : public PythonCheck {
 public:
  const char* name() const override { return "metric-line"; }
  std::vector<CheckHit> Run(const FileContext& ctx,
                            const std::map<std::string, std::string>& options) const override {
    std::vector<CheckHit> hits;
    const AuditConfig& cfg = ctx.config();
    // A script that prints the task's metric line is reporting the result, whether or not it
    // calls the evaluator (the line may be forged without ever calling it); kernel code is not.
    if (cfg.evaluators.empty() || cfg.metrics.empty()) return hits;
    std::string_view text = ctx.source();
    bool mentions_metric = false;
    for (const std::string& m : cfg.metrics) {
      mentions_metric = mentions_metric || text.find(m) != std::string_view::npos;
    }
    if (!mentions_metric || ctx.submission().context() == rules::Context::kKernel) return hits;
    std::string alternatives;
    for (const std::string& m : cfg.metrics) alternatives += (alternatives.empty() ? "" : "|") + m;
    std::regex label("\\b(" + alternatives + ")\\b\\s*[:=]");
    std::string_view src = ctx.source();
    for (TSNode call : ctx.index().calls()) {
      if (!IsOutputCall(CalleeLastName(call, src))) continue;
      TSNode args = Field(call, "arguments");
      if (ts_node_is_null(args)) continue;
      uint32_t n = ts_node_named_child_count(args);
      for (uint32_t i = 0; i < n; ++i) {
        TSNode arg = ts_node_named_child(args, i);
        TSNode percent_value{};
        if (Is(arg, "binary_operator") && NodeText(Field(arg, "operator"), src) == "%") {
          percent_value = Unparen(Field(arg, "right"));  // "val_bpb: %f" % value
          if (Is(percent_value, "tuple") && ts_node_named_child_count(percent_value) > 0) {
            percent_value = ts_node_named_child(percent_value, 0);
          }
          arg = Field(arg, "left");
        }
        if (!Is(arg, "string")) continue;
        std::string_view text = NodeText(arg, src);
        std::cmatch m;
        if (!std::regex_search(text.begin(), text.end(), m, label)) continue;
        uint32_t label_end = ts_node_start_byte(arg) + m.position(0) + m.length(0);
        TSNode next = i + 1 < n ? ts_node_named_child(args, i + 1) : TSNode{};
        if (!ts_node_is_null(percent_value)) next = percent_value;
        TSNode value = ValueAfter(arg, label_end, next);
        if (ts_node_is_null(value) ||
            (!FromEvaluator(ctx, value) && !FromUncalledParameter(ctx, value, call) &&
             !SelfEvaluatedRecord(ctx, value))) {
          hits.push_back({call, ""});
        }
        break;
      }
    }
    return hits;
  }

 private:

  // The f-string interpolation after the label, else the next argument.
  static TSNode ValueAfter(TSNode str, uint32_t label_end, TSNode next_arg) {
    for (TSNode i : Descendants(str, "interpolation")) {
      if (ts_node_start_byte(i) >= label_end) {
        return ts_node_named_child_count(i) > 0 ? ts_node_named_child(i, 0) : TSNode{};
      }
    }
    return next_arg;
  }

  // A script with no sanctioned evaluator to call (it neither uses one nor imports a fixed
  // module: a modded-nanogpt record, which validates inline with the clock stopped) printing a
  // value computed only from validation data (`val_loss = sum(model(*next(val_loader)) ...)`).
  // Such a record's own line is not the score (the harness computes that); a value derived from
  // the training loss, a constant or a scaled number still is flagged, and so is any line in a
  // script that could have called the evaluator.
  static bool SelfEvaluatedRecord(const FileContext& ctx, TSNode value) {
    if (ctx.UsesEvaluator()) return false;
    std::string_view src = ctx.source();
    for (const std::string& m : ctx.config().fixed_modules) {
      if (src.find("import " + m) != std::string_view::npos ||
          src.find("from " + m + " ") != std::string_view::npos) {
        return false;
      }
    }
    value = Unparen(value);
    if (Is(value, "call")) value = Unparen(Field(value, "function"));
    if (Is(value, "attribute")) value = Unparen(Field(value, "object"));  // val_loss.item()
    if (!Is(value, "identifier")) return false;
    std::string_view name = NodeText(value, src);
    int sources = 0;
    for (TSNode a : ctx.index().assignments()) {
      if (NodeText(Field(a, "left"), src) != name) continue;
      if (Is(a, "augmented_assignment") || !ReadsValidationData(ctx, Field(a, "right"))) {
        return false;
      }
      ++sources;
    }
    return sources > 0;
  }

  static bool ReadsValidationData(const FileContext& ctx, TSNode expr) {
    bool found = false;
    Walk(expr, [&](TSNode n) {
      if (found) return false;
      if (Is(n, "identifier") && ctx.IsValidationData(n)) found = true;
      return !found;
    });
    return found;
  }

  // The value comes from a parameter of the function printing it (the value itself, or the
  // result of calling it: `val_bpb = train_and_eval()`) and nothing in this file calls that
  // function: its caller, elsewhere, decides what the value is, so nothing here shows it is not
  // the evaluator's. Where this file calls the function, the value stays unproven and flagged.
  static bool FromUncalledParameter(const FileContext& ctx, TSNode value, TSNode printed_at) {
    std::string_view src = ctx.source();
    TSNode fn = EnclosingFunction(printed_at);
    if (ts_node_is_null(fn) || !Is(fn, "function_definition")) return false;
    std::string_view fn_name = NodeText(Field(fn, "name"), src);
    for (TSNode c : ctx.index().calls()) {
      if (CalleeLastName(c, src) == fn_name) return false;  // called here: its arguments decide
    }
    auto is_parameter = [&](std::string_view name) {
      TSNode params = Field(fn, "parameters");
      uint32_t n = ts_node_named_child_count(params);
      for (uint32_t i = 0; i < n; ++i) {
        TSNode p = ts_node_named_child(params, i);
        TSNode id = Is(p, "identifier") ? p : Field(p, "name");
        if (!ts_node_is_null(id) && NodeText(id, src) == name) return true;
      }
      return false;
    };
    value = Unparen(value);
    if (Is(value, "call")) value = Unparen(Field(value, "function"));
    if (Is(value, "attribute")) value = Unparen(Field(value, "object"));  // val_bpb.item()
    if (!Is(value, "identifier")) return false;
    std::string_view name = NodeText(value, src);
    if (is_parameter(name)) return true;
    // A local every assignment of which calls a parameter (`val_bpb = train_and_eval()`).
    int sources = 0;
    for (TSNode a : ctx.index().assignments()) {
      if (EnclosingFunction(a).id != fn.id || NodeText(Field(a, "left"), src) != name) continue;
      TSNode right = Unparen(Field(a, "right"));
      if (!Is(right, "call")) return false;
      TSNode callee = Unparen(Field(right, "function"));
      if (!Is(callee, "identifier") || !is_parameter(NodeText(callee, src))) return false;
      ++sources;
    }
    return sources > 0;
  }

  // The value is the evaluator's call, or a name every assignment of which is
  // such a call.
  static bool FromEvaluator(const FileContext& ctx, TSNode value) {
    value = Unparen(value);
    auto is_eval_call = [&](TSNode e) {
      bool found = false;
      Walk(e, [&](TSNode n) {
        if (found) return false;
        if (Is(n, "call") && NameOrSuffixInList(ctx.config().evaluators,
                                                ctx.index().Resolve(Field(n, "function")))) {
          found = true;
        }
        return !found;
      });
      return found;
    };
    if (Is(value, "call")) return is_eval_call(value);
    if (!Is(value, "identifier")) return false;
    std::string_view name = NodeText(value, ctx.source());
    int sources = 0;
    for (TSNode a : ctx.index().assignments()) {
      if (NodeText(Field(a, "left"), ctx.source()) != name) continue;
      if (Is(a, "augmented_assignment") || !is_eval_call(Field(a, "right"))) return false;
      ++sources;
    }
    return sources > 0;
  }
};

}  // namespace

std::unique_ptr<PythonCheck> MakeMetricLineCheck() { return std::make_unique<MetricLineCheck>(); }

}  // namespace referee::analyzers::python
