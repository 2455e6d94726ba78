// What an expression may denote, beyond ModuleIndex's import aliases (issue 18): the objects a
// hack reaches through `getattr`, `importlib.import_module`, `__import__`, `sys.modules`,
// `vars()`/`__dict__`, `type(x)`/`x.__class__`, through names bound to those, loop variables
// over literal tables (registries), and the arguments a helper's parameter receives at its call
// sites in the file (decorators, patch helpers); and the constant strings a name is built from
// ("elapsed" + "_time", "_".join(...), f-strings, os.path.join).
//
//   ValueResolver values(index);
//   values.Resolve(n)      // one canonical name, deterministic bindings only ("" if none)
//   values.ResolveAll(n)   // every name it may hold (bounded), Resolve(n) first when non-empty
//   values.ConstString(n)  // "perf_counter" for `"perf_" + "counter"`
//   values.StringShape(n)  // "/proc/{}/mem" for f"/proc/{pid}/mem": non-constant parts as {}
//
// Everything is memoized per node; one resolver serves one file (not thread-safe).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "python/module_index.h"

namespace referee::analyzers::python {

class ValueResolver {
 public:
  explicit ValueResolver(const ModuleIndex& index) : index_(index) {}

  std::string Resolve(TSNode expr) const;
  std::vector<std::string> ResolveAll(TSNode expr) const;
  std::optional<std::string> ConstString(TSNode expr) const;
  std::optional<std::string> StringShape(TSNode expr) const;

 private:
  struct Binding {
    TSNode value;       // the bound expression; null for a parameter
    TSNode scope;       // enclosing function_definition (null: module)
    TSNode parameter;   // the function a parameter belongs to (null otherwise)
    int position = -1;  // the parameter's position (-1: keyword-only or *args)
    bool loop = false;  // a for-loop target over `value`
    bool unpack = false;  // a target inside a tuple/list pattern
  };
  void IndexBindings() const;
  void AddTarget(TSNode target, TSNode value, TSNode scope, bool loop) const;
  // The bindings of `name` visible from `at` (its function's own, else the module's).
  std::vector<const Binding*> BindingsOf(std::string_view name, TSNode at) const;
  void Values(TSNode expr, int depth, bool all, std::vector<std::string>* out) const;
  void BindingValues(const Binding& b, TSNode use, int depth, bool all,
                     std::vector<std::string>* out) const;
  void SpecialCall(TSNode call, int depth, bool all, std::vector<std::string>* out) const;
  std::optional<std::string> Fold(TSNode expr, int depth, bool shape) const;

  const ModuleIndex& index_;
  mutable bool indexed_ = false;
  mutable std::map<std::string_view, std::vector<Binding>, std::less<>> bindings_;
  mutable std::map<std::string_view, std::vector<TSNode>, std::less<>> calls_by_name_;
  mutable std::unordered_map<uint64_t, std::vector<std::string>> all_memo_;
  mutable std::unordered_map<uint64_t, std::string> one_memo_;
};

// The text of a string literal without interpolations, decoded enough for names and paths
// (escapes kept as written), or nullopt (an f-string with placeholders, bytes are fine).
std::optional<std::string> PlainStringText(TSNode string, std::string_view src);

}  // namespace referee::analyzers::python
