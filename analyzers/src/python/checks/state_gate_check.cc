// state-gate: state that outlives a call, written on every call, decides what a later call does
// (kernel-evaluators.md §7 #17 #18 #34 #39; kernelboard "count to 15"; pygpubench warm-up
// detection; reference-kernels #104 batch-and-skip). Across the whole per-call code of the file
// (SubmissionModel: the entry points and every helper, wrapper and method they reach):
//
//   state: counter   a persistent counter stepped by a constant (`self.n += 1`,
//                    `global calls; calls += 1`, `f.count = f.count + 1`)
//   state: identity  a persistent value or container holding an input's identity or content
//                    (`_last_ptr = inp.data_ptr()`, `_seen.add(id(x))`, `self.prev = x`)
//
// is read by a condition (if/elif/while, a conditional expression) in per-call code, directly or
// through a local computed from it (`is_warmup = ptr == _last_ptr or calls <= 2`). Not flagged:
// counters only used modulo a period (periodic logging), state tested only against None (lazy
// initialisation), state set up in __init__ or at import, training scripts (no per-call code).
#include <set>

#include "python/checks/check_util.h"
#include "python/checks/python_check.h"
#include "python/scopes.h"
#include "python/taint.h"
#include "referee/base/strings.h"

namespace referee::analyzers::python {
namespace {

bool UnderModulo(TSNode n, TSNode stop) {
  for (TSNode p = Parent(n); !ts_node_is_null(p) && !ts_node_eq(p, stop); p = Parent(p)) {
    if (Is(p, "binary_operator") && ts_node_child_count(p) == 3 &&
        std::string_view(ts_node_type(ts_node_child(p, 1))) == "%") {
      return true;
    }
  }
  return false;
}

// `n` is an operand of `... is None` / `... is not None`.
bool ComparedWithNone(TSNode n, std::string_view src) {
  TSNode p = Parent(n);
  if (!Is(p, "comparison_operator")) return false;
  std::string_view text = NodeText(p, src);
  return text.find("None") != std::string_view::npos &&
         (text.find(" is ") != std::string_view::npos || text.find("==") != std::string_view::npos ||
          text.find("!=") != std::string_view::npos);
}

struct State {
  std::string text;  // `self.n`, `_seen`, `calls`
  std::string where;
};

class StateGateCheck final : public PythonCheck {
 public:
  const char* name() const override { return "state-gate"; }
  std::vector<CheckHit> Run(const FileContext& ctx,
                            const std::map<std::string, std::string>& options) const override {
    auto it = options.find("state");
    bool counters = it == options.end() || it->second == "counter";
    std::vector<TSNode> per_call;
    for (TSNode fn : ctx.index().functions()) {
      if (ctx.submission().FunctionPerCall(fn)) per_call.push_back(fn);
    }
    if (per_call.empty()) return {};
    TaintAnalysis analysis(ctx);
    std::vector<State> states;
    for (TSNode fn : per_call) {
      if (counters) {
        CollectCounters(ctx, fn, &states);
      } else {
        CollectIdentityState(ctx, analysis, fn, &states);
      }
    }
    std::vector<CheckHit> hits;
    if (states.empty()) return hits;
    // Helpers that return something computed from the state (`def checking(cls): return
    // cls.seen <= 15`): a condition calling them reads the state too.
    std::vector<State> readers;
    for (TSNode fn : per_call) {
      for (TSNode r : NodesIn(ctx.index().returns(), fn)) {
        if (!OwnedBy(r, fn) || ts_node_named_child_count(r) == 0) continue;
        for (const State& s : states) {
          if (Mentions(ts_node_named_child(r, 0), s.text, ctx.source(), counters)) {
            readers.push_back({std::string(NodeText(Field(fn, "name"), ctx.source())), s.where});
            break;
          }
        }
      }
    }
    for (TSNode fn : per_call) FindGates(ctx, fn, states, readers, counters, &hits);
    return hits;
  }

 private:
  static void Add(std::vector<State>* states, std::string_view text, TSNode fn,
                  std::string_view src) {
    for (const State& s : *states) {
      if (s.text == text) return;
    }
    states->push_back({std::string(text), std::string(NodeText(Field(fn, "name"), src))});
  }

  static void CollectCounters(const FileContext& ctx, TSNode fn, std::vector<State>* states) {
    std::string_view src = ctx.source();
    for (TSNode a : NodesIn(ctx.index().assignments(), fn)) {
      if (!OwnedBy(a, fn)) continue;
      TSNode left = Unparen(Field(a, "left"));
      TSNode right = Unparen(Field(a, "right"));
      bool step = false;
      if (Is(a, "augmented_assignment")) {
        std::string_view op = NodeText(Field(a, "operator"), src);
        step = (op == "+=" || op == "-=") && Is(right, "integer");
      } else if (Is(right, "binary_operator")) {
        std::string_view op = NodeText(Field(right, "operator"), src);
        step = (op == "+" || op == "-") && Is(Unparen(Field(right, "right")), "integer") &&
               (MentionsText(right, src, NodeText(left, src)) ||
                NodeText(right, src).find("getattr") != std::string_view::npos);
      }
      if (step && !Is(left, "subscript") && IsPersistent(ctx, left, fn)) {
        Add(states, NodeText(left, src), fn, src);
      }
    }
  }

  static void CollectIdentityState(const FileContext& ctx, TaintAnalysis& analysis, TSNode fn,
                                   std::vector<State>* states) {
    std::string_view src = ctx.source();
    const FunctionTaint* taint = nullptr;
    auto of = [&](TSNode e) {
      if (taint == nullptr) taint = &analysis.Of(fn);
      return taint->Of(e);
    };
    for (TSNode a : NodesIn(ctx.index().assignments(), fn)) {
      if (!OwnedBy(a, fn) || !Is(a, "assignment")) continue;
      TSNode left = Unparen(Field(a, "left"));
      TSNode target = Is(left, "subscript") ? Unparen(Field(left, "value")) : left;
      if (!Is(target, "identifier") && !Is(target, "attribute")) continue;
      if (!IsPersistent(ctx, target, fn)) continue;
      unsigned t = of(Field(a, "right"));
      if (Is(left, "subscript")) t |= of(Field(left, "subscript")) ? unsigned(kIdentity) : 0;
      // The input object itself kept (`self.prev = x`) names it as much as its address.
      if ((t & kIdentity) ||
          (!Is(left, "subscript") && IsBareInput(ctx, taint, Field(a, "right")))) {
        Add(states, NodeText(target, src), fn, src);
      }
    }
    for (TSNode call : NodesIn(ctx.index().calls(), fn)) {
      if (!OwnedBy(call, fn)) continue;
      std::string_view last = CallName(call, src);
      if (last != "add" && last != "append" && last != "setdefault" && last != "update") continue;
      TSNode f = Unparen(Field(call, "function"));
      if (!Is(f, "attribute")) continue;
      TSNode target = Unparen(Field(f, "object"));
      if (!IsPersistent(ctx, target, fn)) continue;
      if (of(Field(call, "arguments")) != kNoTaint) Add(states, NodeText(target, src), fn, src);
    }
  }

  // `x` where x is a parameter (the input object itself, not a value computed from it).
  static bool IsBareInput(const FileContext& ctx, const FunctionTaint* taint, TSNode value) {
    value = Unparen(value);
    return taint && Is(value, "identifier") &&
           taint->OfName(NodeText(value, ctx.source())) != kNoTaint &&
           NodeText(value, ctx.source()) != "None";
  }

  static void FindGates(const FileContext& ctx, TSNode fn, const std::vector<State>& states,
                        const std::vector<State>& readers, bool counters,
                        std::vector<CheckHit>* hits) {
    std::string_view src = ctx.source();
    // Locals computed from state: `is_warmup = (ptr == _last_ptr) or (_calls <= 2)`.
    std::vector<std::pair<std::string, const State*>> derived;
    for (TSNode a : NodesIn(ctx.index().assignments(), fn)) {
      if (!OwnedBy(a, fn) || !Is(a, "assignment")) continue;
      TSNode left = Unparen(Field(a, "left"));
      if (!Is(left, "identifier")) continue;
      for (const State& s : states) {
        if (Mentions(Field(a, "right"), s.text, src, counters)) {
          derived.emplace_back(std::string(NodeText(left, src)), &s);
          break;
        }
      }
    }
    for (TSNode cond : Conditions(fn)) {
      const State* gate = nullptr;
      for (const State& s : states) {
        if (Mentions(cond, s.text, src, counters)) gate = &s;
      }
      for (const auto& [name, s] : derived) {
        if (gate == nullptr && MentionsText(cond, src, name)) gate = s;
      }
      for (const State& r : readers) {
        if (gate == nullptr && CallsNamed(cond, r.text, src)) gate = &r;
      }
      if (gate == nullptr) continue;
      hits->push_back({cond, StrFormat("'%s' is %s in %s and read by this condition",
                                       gate->text.c_str(),
                                       counters ? "stepped on every call" : "set from the inputs",
                                       gate->where.c_str())});
    }
  }

  // `root` mentions `text` other than modulo a period (counters) or against None (identity).
  static bool Mentions(TSNode root, const std::string& text, std::string_view src,
                       bool counters) {
    bool found = false;
    Walk(root, [&](TSNode n) {
      if (found) return false;
      if ((Is(n, "identifier") || Is(n, "attribute") || Is(n, "subscript")) &&
          NodeText(n, src) == text) {
        found = counters ? !UnderModulo(n, root) : !ComparedWithNone(n, src);
        return false;
      }
      return true;
    });
    return found;
  }

  static bool CallsNamed(TSNode root, const std::string& name, std::string_view src) {
    bool found = false;
    Walk(root, [&](TSNode n) {
      if (found) return false;
      if (Is(n, "call") && CallName(n, src) == name) found = true;
      return !found;
    });
    return found;
  }

  // The conditions of the function's own if/elif/while statements and conditional expressions.
  static std::vector<TSNode> Conditions(TSNode fn) {
    std::vector<TSNode> out;
    Walk(Field(fn, "body"), [&](TSNode n) {
      if (Is(n, "function_definition") || Is(n, "class_definition")) return false;
      if (Is(n, "if_statement") || Is(n, "elif_clause") || Is(n, "while_statement")) {
        out.push_back(Field(n, "condition"));
      } else if (Is(n, "conditional_expression") && ts_node_named_child_count(n) == 3) {
        out.push_back(ts_node_named_child(n, 1));
      }
      return true;
    });
    return out;
  }
};

}  // namespace

std::unique_ptr<PythonCheck> MakeStateGateCheck() { return std::make_unique<StateGateCheck>(); }

}  // namespace referee::analyzers::python
