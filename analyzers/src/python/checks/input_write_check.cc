// input-write: the entry point writes into a tensor the harness passed in as an input
// (kernel-evaluators.md §7 #22; KernelBench PR #82; kernelbot cheat-input.py): zeroing the input
// makes a reference recomputed from it agree with a cheap output, and a swapped storage changes
// what every later reader sees. Writes are followed through views and aliases (`v = x.view(-1)`,
// `x.data`, `x.untyped_storage()`, tuple unpacking of a `data` argument) and into same-file helpers
// that write the parameter they receive:
//
//   x.zero_()  x.copy_(y)  x.set_(s)  x[...] = v  x[...] += v  x += v  x.data = v
//   torch.relu_(x)  torch.add(a, b, out=x)  helper(x) where helper writes its parameter
//
// Outputs may be written: parameters the trusted config lists as `outputs`, names such as out,
// output, dst, result (destination-passing style: SOL-ExecBench, pygpubench), and whatever the
// entry returns (gpu-mode's `a, b, c = data` with c returned). A copy (`x.clone()`, arithmetic)
// is the candidate's own. Only the entry points the task names are checked (a library module
// has none).
#include <regex>
#include <set>

#include "python/checks/check_util.h"
#include "python/checks/python_check.h"
#include "python/scopes.h"

namespace referee::analyzers::python {
namespace {

constexpr int kMaxHelperDepth = 3;

// Methods whose result shares the receiver's storage (or may: contiguous/to return self when
// nothing changes).
const std::set<std::string_view> kViewMethods = {
    "view",      "view_as",    "reshape",   "reshape_as", "flatten",  "squeeze",  "unsqueeze",
    "transpose", "permute",    "t",         "T",          "mT",       "expand",   "expand_as",
    "narrow",    "select",     "as_strided", "detach",    "contiguous", "to",     "float",
    "half",      "type",       "unflatten", "unfold",     "diagonal", "movedim",  "swapaxes",
    "real",      "imag",       "untyped_storage", "storage", "data",   "__getitem__", "split",
    "chunk",     "unbind",     "tensor_split", "view_as_real", "view_as_complex", "flip"};
const std::set<std::string_view> kNotWrites = {"requires_grad_", "share_memory_", "retain_grad",
                                                "record_stream"};

bool InPlaceName(std::string_view name) {
  return name.size() > 1 && name.back() == '_' && name.front() != '_' && !kNotWrites.count(name);
}

bool OutputName(std::string_view name, const std::vector<std::string>& configured) {
  if (!configured.empty()) {
    return std::find(configured.begin(), configured.end(), name) != configured.end();
  }
  static const std::regex kOut("^(out|output|outputs|dst|dest|result|results|res|ret|o|y_out|"
                               "out_\\w*|output_\\w*|\\w*_out|\\w*_output|dst_\\w*|result_\\w*)$");
  return std::regex_match(std::string(name), kOut);
}

class InputWriteCheck final : public PythonCheck {
 public:
  const char* name() const override { return "input-write"; }
  std::vector<CheckHit> Run(const FileContext& ctx,
                            const std::map<std::string, std::string>& options) const override {
    std::vector<CheckHit> hits;
    const SubmissionModel& model = ctx.submission();
    if (model.library_module() || model.context() == rules::Context::kTraining) return hits;
    for (TSNode fn : model.entries()) {
      std::set<std::string> outputs;
      std::set<std::string> inputs = Inputs(ctx, fn, &outputs);
      if (inputs.empty()) continue;
      for (const Write& w : WritesIn(ctx, fn, inputs, outputs, 0)) {
        hits.push_back({w.node, "writes into the input '" + w.input + "'"});
      }
    }
    return hits;
  }

 private:
  struct Write {
    TSNode node;
    std::string input;
  };

  // The entry's input names: parameters and names unpacked from them, minus outputs.
  static std::set<std::string> Inputs(const FileContext& ctx, TSNode fn,
                                      std::set<std::string>* outputs) {
    std::string_view src = ctx.source();
    std::set<std::string> params, returned;
    TSNode ps = Field(fn, "parameters");
    uint32_t count = ts_node_named_child_count(ps);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode p = ts_node_named_child(ps, i);
      if (!Is(p, "identifier") && !Is(p, "typed_parameter")) continue;  // defaults: scalars
      TSNode id = Is(p, "identifier") ? p : ts_node_named_child(p, 0);
      std::string_view name = NodeText(id, src);
      if (name != "self" && name != "cls") params.emplace(name);
    }
    for (TSNode r : NodesIn(ctx.index().returns(), fn)) {
      if (!OwnedBy(r, fn) || ts_node_named_child_count(r) == 0) continue;
      Walk(ts_node_named_child(r, 0), [&](TSNode n) {
        if (Is(n, "identifier")) returned.emplace(NodeText(n, src));
        return !Is(n, "call");
      });
    }
    // `a, b, c = data`: the unpacked names are the inputs (and outputs) the tuple held.
    std::set<std::string> names = params;
    for (TSNode a : NodesIn(ctx.index().assignments(), fn)) {
      if (!OwnedBy(a, fn) || !Is(a, "assignment")) continue;
      TSNode right = Unparen(Field(a, "right"));
      TSNode left = Field(a, "left");
      if (!Is(right, "identifier") || !params.count(std::string(NodeText(right, src)))) continue;
      if (!Is(left, "pattern_list") && !Is(left, "tuple_pattern") && !Is(left, "list_pattern")) {
        continue;
      }
      uint32_t n = ts_node_named_child_count(left);
      for (uint32_t i = 0; i < n; ++i) {
        TSNode t = ts_node_named_child(left, i);
        if (Is(t, "identifier")) names.emplace(NodeText(t, src));
      }
    }
    std::set<std::string> inputs;
    for (const std::string& n : names) {
      if (!OutputName(n, ctx.config().outputs) && !returned.count(n)) {
        inputs.insert(n);
      } else {
        outputs->insert(n);
      }
    }
    return inputs;
  }

  // Names in `fn` that alias one of `inputs` (views, `.data`, unpacking), with the input each
  // aliases.
  static std::map<std::string, std::string> Aliases(const FileContext& ctx, TSNode fn,
                                                    const std::set<std::string>& inputs,
                                                    const std::set<std::string>& outputs) {
    std::string_view src = ctx.source();
    std::map<std::string, std::string> alias;
    for (const std::string& i : inputs) alias[i] = i;
    for (int round = 0; round < 2; ++round) {
      for (TSNode a : NodesIn(ctx.index().assignments(), fn)) {
        if (!OwnedBy(a, fn) || !Is(a, "assignment")) continue;
        TSNode left = Field(a, "left");
        std::string of = AliasOf(ctx, Field(a, "right"), alias, 0);
        if (of.empty()) continue;
        if (Is(left, "identifier") && outputs.count(std::string(NodeText(left, src)))) continue;
        if (Is(left, "identifier")) {
          alias.emplace(std::string(NodeText(left, src)), of);
        } else if (Is(left, "pattern_list") || Is(left, "tuple_pattern")) {
          // x1, x2 = x.chunk(2) / a, b = data (the elements of an input tuple)
          uint32_t n = ts_node_named_child_count(left);
          for (uint32_t i = 0; i < n; ++i) {
            TSNode t = ts_node_named_child(left, i);
            if (Is(t, "identifier") && (inputs.count(std::string(NodeText(t, src))) ||
                                        outputs.count(std::string(NodeText(t, src))))) {
              continue;
            }
            if (Is(t, "identifier")) alias.emplace(std::string(NodeText(t, src)), of);
          }
        }
      }
    }
    return alias;
  }

  // The input `expr` is a view of, or "". A same-file helper returning a view of its parameter
  // (`def rows(t): return t.reshape(...)`) passes the view on.
  static std::string AliasOf(const FileContext& ctx, TSNode expr,
                             const std::map<std::string, std::string>& alias, int depth) {
    std::string_view src = ctx.source();
    expr = Unparen(expr);
    for (int i = 0; i < 32; ++i) {
      if (Is(expr, "identifier")) {
        auto it = alias.find(std::string(NodeText(expr, src)));
        return it == alias.end() ? "" : it->second;
      }
      if (Is(expr, "subscript")) {
        expr = Unparen(Field(expr, "value"));
      } else if (Is(expr, "attribute")) {
        std::string_view attr = NodeText(Field(expr, "attribute"), src);
        if (attr != "data" && attr != "T" && attr != "mT" && attr != "real" && attr != "imag") {
          return "";
        }
        expr = Unparen(Field(expr, "object"));
      } else if (Is(expr, "call")) {
        TSNode f = Unparen(Field(expr, "function"));
        if (Is(f, "attribute") && kViewMethods.count(NodeText(Field(f, "attribute"), src))) {
          expr = Unparen(Field(f, "object"));
          continue;
        }
        return depth < kMaxHelperDepth ? HelperReturnsView(ctx, expr, alias, depth) : "";
      } else {
        return "";
      }
    }
    return "";
  }

  static std::string HelperReturnsView(const FileContext& ctx, TSNode call,
                                       const std::map<std::string, std::string>& alias,
                                       int depth) {
    std::string_view src = ctx.source();
    std::string_view name = CallName(call, src);
    if (name.empty()) return "";
    for (TSNode helper : ctx.index().functions()) {
      if (NodeText(Field(helper, "name"), src) != name) continue;
      TSNode ps = Field(helper, "parameters");
      uint32_t count = ts_node_named_child_count(ps);
      for (uint32_t i = 0; i < count; ++i) {
        TSNode p = ts_node_named_child(ps, i);
        TSNode id = Is(p, "identifier") ? p : ts_node_named_child(p, 0);
        if (!Is(id, "identifier")) continue;
        TSNode arg = PositionalArg(call, int(i));
        std::string of = ts_node_is_null(arg) ? "" : AliasOf(ctx, arg, alias, depth + 1);
        if (of.empty()) continue;
        std::map<std::string, std::string> inner = {{std::string(NodeText(id, src)), of}};
        for (TSNode r : NodesIn(ctx.index().returns(), helper)) {
          if (!OwnedBy(r, helper) || ts_node_named_child_count(r) == 0) continue;
          if (!AliasOf(ctx, ts_node_named_child(r, 0), inner, depth + 1).empty()) return of;
        }
      }
    }
    return "";
  }

  static std::vector<Write> WritesIn(const FileContext& ctx, TSNode fn,
                                     const std::set<std::string>& inputs,
                                     const std::set<std::string>& outputs, int depth) {
    std::string_view src = ctx.source();
    std::map<std::string, std::string> alias = Aliases(ctx, fn, inputs, outputs);
    std::vector<Write> out;
    std::vector<TSNode> bindings;
    for (TSNode a : NodesIn(ctx.index().assignments(), fn)) {
      if (OwnedBy(a, fn) && Is(a, "assignment")) bindings.push_back(a);
    }
    // The input `e` views at its position: a name rebound to a copy before it (`x = x.clone()`)
    // is no longer the input.
    auto target = [&](TSNode e) -> std::string {
      std::string of = AliasOf(ctx, e, alias, 0);
      if (of.empty()) return of;
      TSNode root = Unparen(e);
      for (int i = 0; i < 32 && !Is(root, "identifier"); ++i) {
        if (Is(root, "subscript") || Is(root, "attribute")) {
          root = Unparen(Field(root, "value").id ? Field(root, "value") : Field(root, "object"));
        } else if (Is(root, "call")) {
          root = Unparen(Field(Unparen(Field(root, "function")), "object"));
        } else {
          break;
        }
      }
      if (!Is(root, "identifier")) return of;
      std::string_view name = NodeText(root, src);
      TSNode last{};
      for (TSNode b : bindings) {
        if (ts_node_start_byte(b) >= ts_node_start_byte(e)) break;
        if (NodeText(Field(b, "left"), src) == name) last = b;
      }
      if (last.id != nullptr && AliasOf(ctx, Field(last, "right"), alias, 0).empty()) return "";
      return of;
    };
    for (TSNode a : NodesIn(ctx.index().assignments(), fn)) {
      if (!OwnedBy(a, fn)) continue;
      TSNode left = Unparen(Field(a, "left"));
      std::string of;
      if (Is(left, "subscript")) of = target(Field(left, "value"));
      if (Is(left, "attribute") && NodeText(Field(left, "attribute"), src) == "data") {
        of = target(Field(left, "object"));
      }
      if (Is(a, "augmented_assignment") && Is(left, "identifier")) of = target(left);
      if (Is(a, "augmented_assignment") && Is(left, "attribute")) of = target(left);
      if (!of.empty()) out.push_back({a, of});
    }
    for (TSNode call : NodesIn(ctx.index().calls(), fn)) {
      if (!OwnedBy(call, fn)) continue;
      TSNode f = Unparen(Field(call, "function"));
      std::string_view last = CallName(call, src);
      std::string of;
      if (Is(f, "attribute") && (InPlaceName(last) || last == "__setitem__")) {
        of = target(Field(f, "object"));
      }
      if (of.empty() && InPlaceName(last) && ctx.Resolve(f).rfind("torch.", 0) == 0) {
        of = target(PositionalArg(call, 0));  // torch.relu_(x)
      }
      if (of.empty() && (last == "setattr" || last == "__setattr__")) {
        // setattr(x, "data", ...): the storage swapped for another one
        std::optional<std::string> attr = ctx.values().ConstString(PositionalArg(call, 1));
        if (attr && *attr == "data") of = target(PositionalArg(call, 0));
      }
      if (of.empty()) {
        TSNode o = KeywordArg(call, src, "out");
        if (!ts_node_is_null(o)) of = target(o);
      }
      if (of.empty() && depth < kMaxHelperDepth) of = HelperWrites(ctx, call, target, depth);
      if (!of.empty()) out.push_back({call, of});
    }
    return out;
  }

  // `helper(x)` where a same-file function named like the callee writes the parameter x lands
  // in: the input it writes, or "".
  template <typename Target>
  static std::string HelperWrites(const FileContext& ctx, TSNode call, Target& target,
                                  int depth) {
    std::string_view src = ctx.source();
    std::string_view name = CallName(call, src);
    if (name.empty()) return "";
    for (TSNode helper : ctx.index().functions()) {
      if (NodeText(Field(helper, "name"), src) != name) continue;
      TSNode ps = Field(helper, "parameters");
      uint32_t count = ts_node_named_child_count(ps);
      bool method = count > 0 && (NodeText(ts_node_named_child(ps, 0), src) == "self" ||
                                  NodeText(ts_node_named_child(ps, 0), src) == "cls");
      bool bound = method && Is(Unparen(Field(call, "function")), "attribute");
      for (uint32_t i = bound ? 1 : 0; i < count; ++i) {
        TSNode p = ts_node_named_child(ps, i);
        TSNode id = Is(p, "identifier") ? p : ts_node_named_child(p, 0);
        if (!Is(id, "identifier")) continue;
        TSNode arg = PositionalArg(call, int(i) - (bound ? 1 : 0));
        if (ts_node_is_null(arg)) arg = KeywordArg(call, src, NodeText(id, src));
        std::string of = ts_node_is_null(arg) ? "" : target(arg);
        if (of.empty()) continue;
        if (!WritesIn(ctx, helper, {std::string(NodeText(id, src))}, {}, depth + 1).empty()) {
          return of;
        }
      }
    }
    return "";
  }
};

}  // namespace

std::unique_ptr<PythonCheck> MakeInputWriteCheck() {
  return std::make_unique<InputWriteCheck>();
}

}  // namespace referee::analyzers::python
