// library-patch: candidate code replaces an attribute of a module or class it imports — the
// timer, a synchronize, an event method, a comparison the checker calls — however the object and
// the name are reached (kernel-evaluators.md §7 #8 #9; reference-kernels #162; SOL-ExecBench
// evil_monkey_patch). Every write form is seen:
//
//   A.b = v   A.b += v   setattr(A, n, v)   delattr(A, n)   object.__setattr__(A, n, v)
//   vars(A)[n] = v   A.__dict__[n] = v   vars(A).update(...)   A.__dict__.update(...)
//
// where A is resolved through import aliases, getattr, importlib, sys.modules, vars/__dict__,
// type(x)/x.__class__, loop variables over literal tables and helper parameters at their call
// sites (ValueResolver::ResolveAll), and n is folded from constant strings ("_".join(...)).
// Options:
//   targets  regex over the patched canonical name ("torch.cuda.Event.elapsed_time"); only
//            those are reported (default: every attribute of an imported module)
//   exclude  regex of names not reported (another rule's targets)
//   values   "callable": only writes whose value is a function (lambda, a def of this file, a
//            wrapper call, another library function) — configuration flags such as
//            `torch.backends.cudnn.benchmark = True` are not patches
#include <map>
#include <memory>
#include <mutex>
#include <regex>
#include <set>

#include "python/checks/check_util.h"
#include "python/checks/python_check.h"
#include "python/scopes.h"

namespace referee::analyzers::python {
namespace {

// Modules a patch target may be rooted in without an import in this file (reached through
// sys.modules or importlib).
const std::set<std::string_view> kKnownModules = {
    "time",   "torch",  "triton",   "numpy",     "os",     "sys",   "builtins", "gc",
    "random", "math",   "functools", "threading", "ctypes", "inspect", "importlib", "cupy",
    "jax",    "timeit", "statistics", "traceback", "logging"};

struct Write {
  TSNode node;    // reported
  TSNode object;  // A
  TSNode name;    // the attribute-name expression (string) or null when `name_text` is set
  std::string name_text;
  TSNode value;   // null for deletions
};

class LibraryPatchCheck final : public PythonCheck {
 public:
  const char* name() const override { return "library-patch"; }
  std::vector<CheckHit> Run(const FileContext& ctx,
                            const std::map<std::string, std::string>& options) const override {
    std::shared_ptr<const std::regex> targets = OptionRegex(options, "targets");
    std::shared_ptr<const std::regex> exclude = OptionRegex(options, "exclude");
    auto values = options.find("values");
    bool callable_only = values != options.end() && values->second == "callable";
    std::vector<CheckHit> hits;
    for (const Write& w : CollectWrites(ctx)) {
      if (!ctx.submission().InScope(w.node)) continue;
      std::string attr = w.name_text;
      if (attr.empty() && !ts_node_is_null(w.name)) {
        std::optional<std::string> folded = ctx.values().ConstString(w.name);
        attr = folded ? *folded : "*";
      }
      if (attr.empty()) continue;
      for (const std::string& base : ctx.ResolveAll(w.object)) {
        if (!IsLibraryRooted(ctx, base)) continue;
        std::string target = base + "." + attr;
        if (targets && !std::regex_search(target, *targets)) continue;
        if (exclude && std::regex_search(target, *exclude)) continue;
        if (callable_only && !IsCallableValue(ctx, w.value)) break;
        hits.push_back({w.node, "replaces " + target});
        break;
      }
    }
    return hits;
  }

 private:
  // Compiled once per pattern and process: compiling std::regex on every file was 6% of the
  // Python audit's time. Null for no option or a pattern that does not compile (rules lint
  // compiles the options' regexes and reports those).
  static std::shared_ptr<const std::regex> OptionRegex(
      const std::map<std::string, std::string>& options, const char* key) {
    auto it = options.find(key);
    if (it == options.end() || it->second.empty()) return nullptr;
    static std::mutex mu;
    static auto* compiled = new std::map<std::string, std::shared_ptr<const std::regex>>;
    std::lock_guard<std::mutex> lock(mu);
    auto [slot, added] = compiled->try_emplace(it->second);
    if (added) {
      try {
        slot->second = std::make_shared<const std::regex>(it->second, std::regex::ECMAScript);
      } catch (const std::regex_error&) {
        slot->second = nullptr;
      }
    }
    return slot->second;
  }

  static bool IsLibraryRooted(const FileContext& ctx, const std::string& name) {
    std::string_view root = std::string_view(name).substr(0, name.find_first_of(".("));
    // Module and class attributes only: an object a library call returned (`torch.compile(m)`,
    // an event instance) belongs to the candidate.
    if (root.empty() || root == "self" || root == "cls" || name.find("()") != std::string::npos) {
      return false;
    }
    if (kKnownModules.count(root)) return true;
    // Imported by this file: the module itself or a name from it (`from torch import cuda`).
    return ctx.index().Imports(root) || ctx.index().ResolveName(root) != root;
  }

  // A function or something that makes one: a lambda, a def of this file, a call (a wrapper,
  // functools.partial/wraps), or a name resolving to another module's function.
  static bool IsCallableValue(const FileContext& ctx, TSNode value) {
    value = Unparen(value);
    if (ts_node_is_null(value)) return true;  // a deletion
    if (Is(value, "lambda") || Is(value, "call")) return true;
    if (!Is(value, "identifier") && !Is(value, "attribute")) return false;
    std::string_view text = NodeText(value, ctx.source());
    for (TSNode fn : ctx.index().functions()) {
      if (NodeText(Field(fn, "name"), ctx.source()) == text) return true;
    }
    const std::string& r = ctx.Resolve(value);
    return r != text && !r.empty();
  }

  static std::vector<Write> CollectWrites(const FileContext& ctx) {
    std::vector<Write> out;
    std::string_view src = ctx.source();
    for (TSNode a : ctx.index().assignments()) {
      TSNode left = Unparen(Field(a, "left"));
      TSNode right = Field(a, "right");
      if (Is(left, "attribute")) {
        out.push_back({a, Field(left, "object"), {},
                       std::string(NodeText(Field(left, "attribute"), src)), right});
      } else if (Is(left, "subscript")) {
        TSNode dict = DictOf(ctx, Field(left, "value"));
        if (!ts_node_is_null(dict)) out.push_back({a, dict, Field(left, "subscript"), "", right});
      }
    }
    for (TSNode call : ctx.index().calls()) {
      std::string_view last = CallName(call, src);
      if (last == "setattr" || last == "delattr" || last == "__setattr__" ||
          last == "__delattr__") {
        TSNode f = Unparen(Field(call, "function"));
        bool set = last == "setattr" || last == "__setattr__";
        TSNode object = PositionalArg(call, 0), name = PositionalArg(call, 1);
        TSNode value = set ? PositionalArg(call, 2) : TSNode{};
        if (Is(f, "attribute") && last[0] == '_') {
          // A.__setattr__(n, v), unless it is object.__setattr__(A, n, v) / type.__setattr__
          std::string_view owner = NodeText(Field(f, "object"), src);
          if (owner != "object" && owner != "type") {
            object = Field(f, "object"), name = PositionalArg(call, 0);
            value = set ? PositionalArg(call, 1) : TSNode{};
          }
        }
        if (!ts_node_is_null(object) && !ts_node_is_null(name)) {
          out.push_back({call, object, name, "", value});
        }
      } else if (last == "update") {
        TSNode f = Unparen(Field(call, "function"));
        TSNode dict = DictOf(ctx, Field(f, "object"));
        if (ts_node_is_null(dict)) continue;
        TSNode arg = Unparen(PositionalArg(call, 0));
        if (Is(arg, "dictionary")) {
          uint32_t n = ts_node_named_child_count(arg);
          for (uint32_t i = 0; i < n; ++i) {
            TSNode pair = ts_node_named_child(arg, i);
            if (Is(pair, "pair")) {
              out.push_back({call, dict, Field(pair, "key"), "", Field(pair, "value")});
            }
          }
        } else {
          out.push_back({call, dict, {}, "*", arg});
        }
      }
    }
    return out;
  }

  // For `vars(A)` or `A.__dict__`: A; else null.
  static TSNode DictOf(const FileContext& ctx, TSNode expr) {
    expr = Unparen(expr);
    if (Is(expr, "call") && CallName(expr, ctx.source()) == "vars" &&
        Is(Unparen(Field(expr, "function")), "identifier")) {
      return PositionalArg(expr, 0);
    }
    if (Is(expr, "attribute") && NodeText(Field(expr, "attribute"), ctx.source()) == "__dict__") {
      return Field(expr, "object");
    }
    return {};
  }
};

}  // namespace

std::unique_ptr<PythonCheck> MakeLibraryPatchCheck() {
  return std::make_unique<LibraryPatchCheck>();
}

}  // namespace referee::analyzers::python
