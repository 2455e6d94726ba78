// output-cache: a result cache keyed on the identity, address, shape or content
// of the inputs, stored in the function and returned on a hit before any
// compute (kernel-evaluators.md §7 #14, #16, #18; CUDA-L1, reference-kernels
// #142/#160). Honest look-alikes it leaves alone: compiled kernel caches keyed
// on shape (the stored value is called, not returned), workspace buffers
// (looked up, written by a kernel, then returned), caches keyed on dtype or
// device only.
#include <regex>
#include <set>

#include "python/checks/check_util.h"
#include "python/checks/python_check.h"
#include "python/scopes.h"
#include "python/taint.h"

namespace referee::analyzers::python {
namespace {

const std::set<std::string_view> kIdentityMethods = {
    "data_ptr", "tobytes", "tolist",    "item",   "numpy",          "untyped_storage",    "storage",
    "size",     "stride",  "hexdigest", "digest", "storage_offset", "__array_interface__"};
const std::set<std::string_view> kIdentityFunctions = {"id", "hash"};
const std::set<std::string_view> kIdentityAttributes = {"shape", "_version",
                                                        "__cuda_array_interface__"};

class OutputCacheCheck final : public PythonCheck {
 public:
  const char* name() const override { return "output-cache"; }
  std::vector<CheckHit> Run(const FileContext& ctx,
                            const std::map<std::string, std::string>& options) const override {
    std::vector<CheckHit> hits;
    // Only functions that store into a subscript can hold a cache.
    std::vector<TSNode> candidates;
    for (TSNode a : ctx.index().assignments()) {
      if (!Is(a, "assignment") || !Is(Field(a, "left"), "subscript")) continue;
      TSNode fn = EnclosingFunction(a);
      if (ts_node_is_null(fn) || !Is(fn, "function_definition")) continue;
      bool seen = false;
      for (TSNode c : candidates) seen = seen || ts_node_eq(c, fn);
      if (!seen) candidates.push_back(fn);
    }
    for (TSNode fn : candidates) CheckFunction(ctx, fn, &hits);
    for (TSNode fn : ctx.index().functions()) {
      if (ctx.submission().FunctionPerCall(fn)) CheckIdentityGatedReturn(ctx, fn, &hits);
    }
    CheckPersistentStores(ctx, &hits);
    return hits;
  }

 private:
  // An expression derived from input identity, address, shape or content.
  bool IsIdentityKey(const FileContext& ctx, TSNode expr, const std::set<std::string>& key_vars,
                     std::string* why) const {
    std::string_view src = ctx.source();
    bool found = false;
    Walk(expr, [&](TSNode n) {
      if (found) return false;
      if (Is(n, "call")) {
        std::string_view last = CalleeLastName(n, src);
        std::string resolved = ctx.index().Resolve(Field(n, "function"));
        if (kIdentityMethods.count(last) && Is(Unparen(Field(n, "function")), "attribute")) {
          found = true, *why = std::string(last) + "()";
        } else if (kIdentityFunctions.count(resolved) || resolved.rfind("hashlib.", 0) == 0) {
          found = true, *why = resolved + "()";
        }
      } else if (Is(n, "attribute") &&
                 kIdentityAttributes.count(NodeText(Field(n, "attribute"), src))) {
        found = true, *why = "." + std::string(NodeText(Field(n, "attribute"), src));
      } else if (Is(n, "identifier") && key_vars.count(std::string(NodeText(n, src)))) {
        found = true, *why = "a key derived from the inputs";
      }
      return !found;
    });
    return found;
  }

  static bool IsParameter(TSNode fn, std::string_view name, std::string_view src) {
    TSNode params = Field(fn, "parameters");
    uint32_t n = ts_node_named_child_count(params);
    for (uint32_t i = 0; i < n; ++i) {
      TSNode p = ts_node_named_child(params, i);
      TSNode id = Is(p, "identifier") ? p : ts_node_named_child(p, 0);
      if (Is(id, "identifier") && NodeText(id, src) == name) return true;
    }
    return false;
  }

  // `C[...]` or `C.get(...)` for a cache expression text C.
  static bool IsLookupOf(TSNode expr, std::string_view src, std::string_view cache) {
    expr = Unparen(expr);
    if (Is(expr, "subscript")) return NodeText(Field(expr, "value"), src) == cache;
    if (Is(expr, "call")) {
      TSNode f = Unparen(Field(expr, "function"));
      return Is(f, "attribute") && NodeText(Field(f, "attribute"), src) == "get" &&
             NodeText(Field(f, "object"), src) == cache;
    }
    return false;
  }

  // A return of the cached value on a hit: `return C[k]`, `return C.get(k)`, or
  // `return v` where `v = C[k]` / `C.get(k)` and the return sits under an `if`
  // testing v or the cache.
  bool ReturnsCachedValue(const FileContext& ctx, TSNode fn, std::string_view cache) const {
    std::string_view src = ctx.source();
    std::set<std::string> lookup_vars;
    for (TSNode a : NodesIn(ctx.index().assignments(), fn)) {
      if (!Is(a, "assignment") || !OwnedBy(a, fn)) continue;
      TSNode left = Field(a, "left");
      if (Is(left, "identifier") && IsLookupOf(Field(a, "right"), src, cache)) {
        lookup_vars.emplace(NodeText(left, src));
      }
    }
    for (TSNode r : NodesIn(ctx.index().returns(), fn)) {
      if (!OwnedBy(r, fn) || ts_node_named_child_count(r) == 0) continue;
      TSNode value = Unparen(ts_node_named_child(r, 0));
      if (IsLookupOf(value, src, cache)) return true;
      if (!Is(value, "identifier") || !lookup_vars.count(std::string(NodeText(value, src)))) {
        continue;
      }
      for (TSNode p = Parent(r); !ts_node_is_null(p) && !ts_node_eq(p, fn); p = Parent(p)) {
        if (Is(p, "if_statement") &&
            MentionsText(Field(p, "condition"), src, NodeText(value, src))) {
          return true;
        }
      }
    }
    return false;
  }

  // `if x.data_ptr() == self.last_ptr: return self.last_out` (or `x is self.last_x`, a shape or
  // id comparison) in an entry function: a stored result returned for a recognized input. A
  // return of a call (`return self.small_path(x)`) or of the input itself is not a stored result.
  void CheckIdentityGatedReturn(const FileContext& ctx, TSNode fn,
                                std::vector<CheckHit>* hits) const {
    static const std::regex kIs("\\bis\\s+(?!(not\\s+)?None\\b)");
    std::string_view src = ctx.source();
    for (TSNode r : NodesIn(ctx.index().returns(), fn)) {
      if (!OwnedBy(r, fn) || ts_node_named_child_count(r) == 0) continue;
      TSNode value = Unparen(ts_node_named_child(r, 0));
      if (!Is(value, "attribute") && !Is(value, "subscript")) continue;
      for (TSNode p = Parent(r); !ts_node_is_null(p) && !ts_node_eq(p, fn); p = Parent(p)) {
        if (!Is(p, "if_statement")) continue;
        TSNode cond = Field(p, "condition");
        std::string why;
        std::string cond_text(NodeText(cond, src));
        if (IsIdentityKey(ctx, cond, {}, &why) || std::regex_search(cond_text, kIs)) {
          if (why.empty()) why = "object identity (is)";
          hits->push_back({p, "returns a stored result when the input matches " + why});
          break;
        }
      }
    }
  }

  // Inter-procedural (issue 18): in code that runs on every call, a store into a container that
  // outlives the call (self/class attribute, module-level or closure variable, mutable default),
  // keyed on an input's identity or content and holding a value computed from the inputs; the
  // key may be built by a helper (`_signature(t)` returning `id(t), t._version`), and the store
  // may sit in a helper, a decorator's wrapper or a registry (kernel-evaluators.md §7 #14 #16
  // #18).
  static void CheckPersistentStores(const FileContext& ctx, std::vector<CheckHit>* hits) {
    std::string_view src = ctx.source();
    TaintAnalysis analysis(ctx);
    auto taint_of = [&](TSNode fn) -> const FunctionTaint& { return analysis.Of(fn); };
    auto report = [&](TSNode at, TSNode container, TSNode key, TSNode value, TSNode fn) {
      if (!IsPersistent(ctx, container, fn)) return;
      const FunctionTaint& t = taint_of(fn);
      if (t.Of(key) == kNoTaint || (t.Of(value) & kContent) == 0) return;
      for (const CheckHit& h : *hits) {
        if (ts_node_eq(h.node, at)) return;
      }
      hits->push_back({at, "'" + std::string(NodeText(container, src)) +
                               "' outlives the call and is keyed on the inputs"});
    };
    for (TSNode a : ctx.index().assignments()) {
      if (!Is(a, "assignment")) continue;
      TSNode left = Unparen(Field(a, "left"));
      if (!Is(left, "subscript")) continue;
      TSNode fn = EnclosingFunction(a);
      if (ts_node_is_null(fn) || !Is(fn, "function_definition")) continue;
      if (!ctx.submission().FunctionPerCall(fn)) continue;
      report(a, Field(left, "value"), Field(left, "subscript"), Field(a, "right"), fn);
    }
    for (TSNode call : ctx.index().calls()) {
      std::string_view last = CallName(call, src);
      if (last != "setdefault" && last != "__setitem__") continue;
      TSNode f = Unparen(Field(call, "function"));
      if (!Is(f, "attribute")) continue;
      TSNode fn = EnclosingFunction(call);
      if (ts_node_is_null(fn) || !Is(fn, "function_definition")) continue;
      if (!ctx.submission().FunctionPerCall(fn)) continue;
      report(call, Field(f, "object"), PositionalArg(call, 0), PositionalArg(call, 1), fn);
    }
  }

  void CheckFunction(const FileContext& ctx, TSNode fn, std::vector<CheckHit>* hits) const {
    std::string_view src = ctx.source();
    std::set<std::string> key_vars;
    std::vector<TSNode> assignments;
    for (TSNode a : NodesIn(ctx.index().assignments(), fn)) {
      if (Is(a, "assignment")) assignments.push_back(a);
    }
    for (TSNode a : assignments) {  // key variables: k = (x.data_ptr(), x.shape)
      std::string why;
      TSNode left = Field(a, "left");
      if (OwnedBy(a, fn) && Is(left, "identifier") &&
          IsIdentityKey(ctx, Field(a, "right"), key_vars, &why)) {
        key_vars.emplace(NodeText(left, src));
      }
    }
    for (TSNode a : assignments) {
      TSNode left = Field(a, "left");
      if (!OwnedBy(a, fn) || !Is(left, "subscript")) continue;
      std::string why;
      if (!IsIdentityKey(ctx, Field(left, "subscript"), key_vars, &why)) continue;
      std::string_view cache = NodeText(Field(left, "value"), src);
      // A dict handed in by the caller (`__deepcopy__(self, memo)`) is the caller's state.
      if (IsParameter(fn, cache, src)) continue;
      if (!ReturnsCachedValue(ctx, fn, cache)) continue;
      hits->push_back({a, "cache '" + std::string(cache) + "' keyed on " + why});
    }
  }
};

}  // namespace

std::unique_ptr<PythonCheck> MakeOutputCacheCheck() { return std::make_unique<OutputCacheCheck>(); }

}  // namespace referee::analyzers::python
