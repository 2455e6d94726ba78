#include "python/values.h"

#include <algorithm>

#include "python/scopes.h"

namespace referee::analyzers::python {
namespace {

// One budget bounds both kinds of recursion: a step into a sub-expression costs 1 (an attribute
// chain of hostile length stops at 64 levels), following a binding or a call site costs
// kBindingCost (at most 5 hops).
constexpr int kMaxDepth = 64;
constexpr int kBindingCost = 12;
constexpr size_t kMaxValues = 16;

uint64_t NodeKey(TSNode n) {
  return (uint64_t{ts_node_start_byte(n)} << 32) ^ ts_node_end_byte(n) ^
         (uint64_t{ts_node_symbol(n)} << 48);
}

void AddUnique(std::vector<std::string>* out, std::string v) {
  if (v.empty() || out->size() >= kMaxValues) return;
  if (std::find(out->begin(), out->end(), v) == out->end()) out->push_back(std::move(v));
}

TSNode FunctionOf(TSNode n) { return EnclosingFunctionDefinition(n); }

bool IsContainerLiteral(TSNode n) {
  return Is(n, "list") || Is(n, "tuple") || Is(n, "set") || Is(n, "expression_list");
}

// The i-th element of a tuple/list literal (or expression_list), or null.
TSNode Element(TSNode literal, uint32_t i) {
  if (!IsContainerLiteral(literal)) return {};
  return i < ts_node_named_child_count(literal) ? ts_node_named_child(literal, i) : TSNode{};
}

}  // namespace

std::optional<std::string> PlainStringText(TSNode string, std::string_view src) {
  if (!Is(string, "string")) return std::nullopt;
  std::string out;
  uint32_t n = ts_node_named_child_count(string);
  for (uint32_t i = 0; i < n; ++i) {
    TSNode c = ts_node_named_child(string, i);
    if (Is(c, "interpolation")) return std::nullopt;
    if (Is(c, "string_content")) out += NodeText(c, src);
  }
  return out;
}

void ValueResolver::IndexBindings() const {
  if (indexed_) return;
  indexed_ = true;
  for (TSNode a : index_.assignments()) {
    if (!Is(a, "assignment")) continue;
    TSNode right = Field(a, "right");
    if (ts_node_is_null(right)) continue;
    AddTarget(Field(a, "left"), right, FunctionOf(a), false);
  }
  for (TSNode f : index_.for_statements()) {
    AddTarget(Field(f, "left"), Field(f, "right"), FunctionOf(f), true);
  }
  std::string_view src = index_.source();
  for (TSNode fn : index_.functions()) {
    TSNode params = Field(fn, "parameters");
    uint32_t count = ts_node_named_child_count(params);
    int position = 0;
    for (uint32_t i = 0; i < count; ++i) {
      TSNode p = ts_node_named_child(params, i);
      TSNode id = Is(p, "identifier") ? p : ts_node_named_child(p, 0);
      if (Is(p, "default_parameter") || Is(p, "typed_default_parameter")) id = Field(p, "name");
      bool star = Is(p, "list_splat_pattern") || Is(p, "dictionary_splat_pattern");
      if (Is(p, "keyword_separator")) position = -1000;
      if (!Is(id, "identifier") || star) {
        ++position;
        continue;
      }
      Binding b;
      b.scope = fn;
      b.parameter = fn;
      b.position = position < 0 ? -1 : position;
      if (Is(p, "default_parameter") || Is(p, "typed_default_parameter")) {
        b.value = Field(p, "value");  // the default, used by Fold when nothing else binds it
        id = Field(p, "name");
      }
      bindings_[NodeText(id, src)].push_back(b);
      ++position;
    }
  }
  for (TSNode call : index_.calls()) {
    std::string_view name = CallName(call, src);
    if (!name.empty()) calls_by_name_[name].push_back(call);
  }
}

void ValueResolver::AddTarget(TSNode target, TSNode value, TSNode scope, bool loop) const {
  std::string_view src = index_.source();
  if (Is(target, "identifier")) {
    bindings_[NodeText(target, src)].push_back({value, scope, {}, -1, loop, false});
    return;
  }
  if (!Is(target, "pattern_list") && !Is(target, "tuple_pattern") &&
      !Is(target, "list_pattern")) {
    return;
  }
  uint32_t n = ts_node_named_child_count(target);
  for (uint32_t i = 0; i < n; ++i) {
    TSNode t = ts_node_named_child(target, i);
    if (!Is(t, "identifier")) continue;
    Binding b{value, scope, {}, int(i), loop, true};
    bindings_[NodeText(t, src)].push_back(b);
  }
}

std::vector<const ValueResolver::Binding*> ValueResolver::BindingsOf(std::string_view name,
                                                                    TSNode at) const {
  IndexBindings();
  std::vector<const Binding*> out;
  auto it = bindings_.find(name);
  if (it == bindings_.end()) return out;
  // The innermost function that binds the name, else module level (Python's scoping, without
  // global/nonlocal declarations).
  for (TSNode fn = FunctionOf(at);; fn = FunctionOf(fn)) {
    for (const Binding& b : it->second) {
      if (ts_node_is_null(fn) ? ts_node_is_null(b.scope)
                              : (!ts_node_is_null(b.scope) && ts_node_eq(b.scope, fn))) {
        out.push_back(&b);
      }
    }
    if (!out.empty() || ts_node_is_null(fn)) break;
  }
  return out;
}

std::string ValueResolver::Resolve(TSNode expr) const {
  expr = Unparen(expr);
  uint64_t key = NodeKey(expr);
  auto it = one_memo_.find(key);
  if (it != one_memo_.end()) return it->second;
  std::vector<std::string> values;
  TSNode target = expr;
  if (Is(expr, "call")) {
    std::vector<std::string> special;
    SpecialCall(expr, 0, false, &special);
    if (special.empty()) target = Field(expr, "function");
  }
  Values(target, 0, false, &values);
  std::string out = values.empty() ? std::string() : values.front();
  one_memo_.emplace(key, out);
  return out;
}

std::vector<std::string> ValueResolver::ResolveAll(TSNode expr) const {
  expr = Unparen(expr);
  uint64_t key = NodeKey(expr);
  auto it = all_memo_.find(key);
  if (it != all_memo_.end()) return it->second;
  std::vector<std::string> values;
  std::string first = Resolve(expr);
  AddUnique(&values, first);
  TSNode target = expr;
  if (Is(expr, "call")) {
    std::vector<std::string> special;
    SpecialCall(expr, 0, true, &special);
    if (special.empty()) target = Field(expr, "function");
  }
  Values(target, 0, true, &values);
  all_memo_.emplace(key, values);
  return values;
}

void ValueResolver::Values(TSNode expr, int depth, bool all, std::vector<std::string>* out) const {
  expr = Unparen(expr);
  if (ts_node_is_null(expr) || depth > kMaxDepth || out->size() >= kMaxValues) return;
  std::string_view src = index_.source();
  if (Is(expr, "identifier")) {
    std::string_view name = NodeText(expr, src);
    std::string resolved = index_.ResolveName(name);
    bool imported = resolved != name || index_.Imports(name);
    if (imported || name == "self" || name == "cls") {
      AddUnique(out, resolved);
      return;
    }
    std::vector<const Binding*> bindings = BindingsOf(name, expr);
    size_t before = out->size();
    if (all) {
      for (const Binding* b : bindings) BindingValues(*b, expr, depth, all, out);
    } else if (bindings.size() == 1 && bindings[0]->parameter.id == nullptr &&
               !bindings[0]->loop && !bindings[0]->unpack) {
      BindingValues(*bindings[0], expr, depth, all, out);
    }
    if (out->size() == before) AddUnique(out, resolved);
    return;
  }
  if (Is(expr, "attribute")) {
    std::string attr(NodeText(Field(expr, "attribute"), src));
    TSNode object = Unparen(Field(expr, "object"));
    std::vector<std::string> bases;
    Values(object, depth + 1, all, &bases);
    for (std::string& b : bases) {
      if (attr == "__class__") {  // x.__class__: the class x was made from
        if (b.size() > 2 && b.compare(b.size() - 2, 2, "()") == 0) {
          AddUnique(out, b.substr(0, b.size() - 2));
        }
        continue;
      }
      AddUnique(out, b + "." + attr);
    }
    return;
  }
  if (Is(expr, "call")) {
    // A call's value: the special ones (a module, an attribute), else "callee()".
    size_t before = out->size();
    SpecialCall(expr, depth, all, out);
    if (out->size() > before) return;
    std::vector<std::string> callee;
    Values(Field(expr, "function"), depth + 1, all, &callee);
    for (std::string& c : callee) AddUnique(out, c + "()");
    return;
  }
  if (Is(expr, "boolean_operator") || Is(expr, "conditional_expression")) {
    // `sys.modules.get("m") or importlib.import_module("m")`: either operand's value
    uint32_t n = ts_node_named_child_count(expr);
    for (uint32_t i = 0; i < n; ++i) {
      if (Is(expr, "conditional_expression") && i == 1) continue;  // the condition
      Values(ts_node_named_child(expr, i), depth + 1, all, out);
      if (!all && !out->empty()) return;
    }
    return;
  }
  if (Is(expr, "subscript")) {
    TSNode value = Unparen(Field(expr, "value"));
    std::optional<std::string> key = Fold(Field(expr, "subscript"), depth + 1, false);
    if (!key) return;
    // sys.modules["m"], globals()["name"], vars(x)["name"], x.__dict__["name"]
    if (Is(value, "call")) {
      std::string callee = Resolve(Field(value, "function"));
      if (callee == "globals" || callee == "locals") {
        AddUnique(out, index_.ResolveName(*key));
        return;
      }
      if (callee == "vars") {
        std::vector<std::string> bases;
        Values(PositionalArg(value, 0), depth + 1, all, &bases);
        for (const std::string& b : bases) AddUnique(out, b + "." + *key);
        return;
      }
    }
    std::vector<std::string> bases;
    if (Is(value, "attribute") && NodeText(Field(value, "attribute"), src) == "__dict__") {
      Values(Field(value, "object"), depth + 1, all, &bases);
      for (const std::string& b : bases) AddUnique(out, b + "." + *key);
      return;
    }
    Values(value, depth + 1, all, &bases);
    for (const std::string& b : bases) {
      if (b == "sys.modules") AddUnique(out, *key);
    }
  }
}

void ValueResolver::SpecialCall(TSNode call, int depth, bool all,
                                std::vector<std::string>* out) const {
  TSNode fn = Unparen(Field(call, "function"));
  std::string_view last = CallName(call, index_.source());
  if (last != "import_module" && last != "__import__" && last != "getattr" && last != "get" &&
      last != "type" && last != "vars") {
    return;
  }
  std::string callee = index_.Resolve(fn);
  if (callee == "importlib.import_module" || callee == "importlib.__import__" ||
      callee == "__import__") {
    std::optional<std::string> name = Fold(PositionalArg(call, 0), depth + 1, false);
    if (!name) return;
    bool fromlist = !ts_node_is_null(PositionalArg(call, 3)) ||
                    !ts_node_is_null(KeywordArg(call, index_.source(), "fromlist"));
    if (callee != "importlib.import_module" && !fromlist) *name = name->substr(0, name->find('.'));
    AddUnique(out, *name);
  } else if (callee == "getattr") {
    std::optional<std::string> name = Fold(PositionalArg(call, 1), depth + 1, false);
    if (!name) return;
    std::vector<std::string> bases;
    Values(PositionalArg(call, 0), depth + 1, all, &bases);
    for (const std::string& b : bases) AddUnique(out, b + "." + *name);
  } else if (callee == "type") {
    std::vector<std::string> bases;
    Values(PositionalArg(call, 0), depth + 1, all, &bases);
    for (const std::string& b : bases) {
      if (b.size() > 2 && b.compare(b.size() - 2, 2, "()") == 0) {
        AddUnique(out, b.substr(0, b.size() - 2));
      }
    }
  } else if (Is(fn, "attribute") && last == "get") {
    std::vector<std::string> bases;
    Values(Field(fn, "object"), depth + 1, all, &bases);
    if (std::find(bases.begin(), bases.end(), "sys.modules") == bases.end()) return;
    std::optional<std::string> name = Fold(PositionalArg(call, 0), depth + 1, false);
    if (name) AddUnique(out, *name);
  }
}

void ValueResolver::BindingValues(const Binding& b, TSNode use, int depth, bool all,
                                  std::vector<std::string>* out) const {
  if (b.parameter.id != nullptr) {
    // A helper's parameter: what its call sites in this file pass.
    std::string_view src = index_.source();
    std::string_view fname = NodeText(Field(b.parameter, "name"), src);
    auto it = calls_by_name_.find(fname);
    if (it == calls_by_name_.end()) return;
    std::string_view pname;
    TSNode params = Field(b.parameter, "parameters");
    bool method = false;
    if (ts_node_named_child_count(params) > 0) {
      TSNode first = ts_node_named_child(params, 0);
      method = NodeText(first, src) == "self" || NodeText(first, src) == "cls";
    }
    for (TSNode call : it->second) {
      if (out->size() >= kMaxValues) return;
      int pos = b.position;
      if (method && Is(Unparen(Field(call, "function")), "attribute")) --pos;
      TSNode arg = pos >= 0 ? PositionalArg(call, pos) : TSNode{};
      if (ts_node_is_null(arg) && b.position >= 0) {
        TSNode p = ts_node_named_child(params, uint32_t(b.position));
        TSNode id = Is(p, "identifier") ? p : ts_node_named_child(p, 0);
        pname = NodeText(id, src);
        arg = KeywordArg(call, src, pname);
      }
      Values(arg, depth + kBindingCost, all, out);
    }
    return;
  }
  TSNode value = Unparen(b.value);
  if (b.loop) {
    // for x in (a, b, c) / for k, v in {...}.items() / for a, b in [(x, y), ...]
    TSNode items = value;
    bool dict_items = false;
    if (Is(items, "call") && CallName(items, index_.source()) == "items") {
      TSNode obj = Unparen(Field(Field(items, "function"), "object"));
      if (Is(obj, "identifier")) {
        std::vector<const Binding*> bs = BindingsOf(NodeText(obj, index_.source()), use);
        if (bs.size() == 1 && !ts_node_is_null(bs[0]->value)) obj = Unparen(bs[0]->value);
      }
      items = obj;
      dict_items = Is(items, "dictionary");
    }
    if (Is(items, "identifier")) {
      std::vector<const Binding*> bs = BindingsOf(NodeText(items, index_.source()), use);
      if (bs.size() == 1 && !ts_node_is_null(bs[0]->value)) items = Unparen(bs[0]->value);
    }
    uint32_t n = ts_node_named_child_count(items);
    for (uint32_t i = 0; i < n && (IsContainerLiteral(items) || dict_items); ++i) {
      TSNode element = ts_node_named_child(items, i);
      if (dict_items) {
        if (!Is(element, "pair")) continue;
        element = Field(element, b.unpack && b.position == 1 ? "value" : "key");
      } else if (b.unpack) {
        element = Element(Unparen(element), uint32_t(b.position));
      }
      Values(element, depth + kBindingCost, all, out);
    }
    return;
  }
  if (b.unpack) {
    Values(Element(value, uint32_t(b.position)), depth + kBindingCost, all, out);
    return;
  }
  Values(value, depth + kBindingCost, all, out);
}

std::optional<std::string> ValueResolver::ConstString(TSNode expr) const {
  return Fold(expr, 0, false);
}

std::optional<std::string> ValueResolver::StringShape(TSNode expr) const {
  return Fold(expr, 0, true);
}

std::optional<std::string> ValueResolver::Fold(TSNode expr, int depth, bool shape) const {
  expr = Unparen(expr);
  std::optional<std::string> none = shape ? std::optional<std::string>("{}") : std::nullopt;
  if (ts_node_is_null(expr) || depth > kMaxDepth) return none;
  std::string_view src = index_.source();
  if (Is(expr, "string")) {
    std::string out;
    uint32_t n = ts_node_named_child_count(expr);
    for (uint32_t i = 0; i < n; ++i) {
      TSNode c = ts_node_named_child(expr, i);
      if (Is(c, "string_content")) out += NodeText(c, src);
      if (Is(c, "interpolation")) {
        std::optional<std::string> part = Fold(ts_node_named_child(c, 0), depth + 1, shape);
        if (!part) return std::nullopt;
        out += *part;
      }
    }
    return out;
  }
  if (Is(expr, "concatenated_string")) {
    std::string out;
    uint32_t n = ts_node_named_child_count(expr);
    for (uint32_t i = 0; i < n; ++i) {
      std::optional<std::string> part = Fold(ts_node_named_child(expr, i), depth + 1, shape);
      if (!part) return std::nullopt;
      out += *part;
    }
    return out;
  }
  if (Is(expr, "binary_operator")) {
    std::string_view op = NodeText(Field(expr, "operator"), src);
    if (op != "+" && op != "/" && op != "%") return none;
    std::optional<std::string> l = Fold(Field(expr, "left"), depth + 1, shape);
    if (op == "%") return shape ? l : std::nullopt;
    std::optional<std::string> r = Fold(Field(expr, "right"), depth + 1, shape);
    if (!l || !r) return none;
    return op == "/" ? *l + "/" + *r : *l + *r;  // pathlib's `/`
  }
  if (Is(expr, "identifier")) {
    // A name bound once (a parameter by its default: `path="results.tsv"`).
    std::vector<const Binding*> bindings = BindingsOf(NodeText(expr, src), expr);
    if (bindings.size() == 1 && !ts_node_is_null(bindings[0]->value) && !bindings[0]->loop &&
        !bindings[0]->unpack) {
      return Fold(bindings[0]->value, depth + kBindingCost, shape);
    }
    return none;
  }
  if (Is(expr, "subscript")) {
    // "lav"[::-1]
    TSNode index = Field(expr, "subscript");
    if (Is(index, "slice") && NodeText(index, src) == "::-1") {
      std::optional<std::string> v = Fold(Field(expr, "value"), depth + 1, false);
      if (v) return std::string(v->rbegin(), v->rend());
    }
    return none;
  }
  if (Is(expr, "call")) {
    TSNode fn = Unparen(Field(expr, "function"));
    std::string_view last = CallName(expr, src);
    TSNode args = Field(expr, "arguments");
    if (last == "join" && Is(fn, "attribute")) {
      std::string callee = index_.Resolve(fn);
      std::vector<std::string> parts;
      std::optional<std::string> sep;
      TSNode list;
      if (callee == "os.path.join" || callee == "posixpath.join") {
        sep = "/";
        list = args;
      } else {
        sep = Fold(Field(fn, "object"), depth + 1, false);
        list = Unparen(PositionalArg(expr, 0));
        if (!IsContainerLiteral(list)) {
          // "".join(reversed("lav")): joining the characters of a string
          std::optional<std::string> chars = Fold(list, depth + 1, false);
          if (!chars || !sep) return none;
          std::string out;
          for (size_t i = 0; i < chars->size(); ++i) out += (i ? *sep : "") + chars->substr(i, 1);
          return out;
        }
      }
      if (!sep) return none;
      uint32_t n = ts_node_named_child_count(list);
      for (uint32_t i = 0; i < n; ++i) {
        std::optional<std::string> part = Fold(ts_node_named_child(list, i), depth + 1, shape);
        if (!part) return std::nullopt;
        parts.push_back(*part);
      }
      std::string out;
      for (size_t i = 0; i < parts.size(); ++i) out += (i ? *sep : "") + parts[i];
      return out;
    }
    if (last == "format" && Is(fn, "attribute")) {
      return shape ? Fold(Field(fn, "object"), depth + 1, shape) : std::nullopt;
    }
    // Calls that return their (path) argument's text, possibly normalised.
    if ((last == "Path" || last == "PurePath" || last == "str" || last == "expanduser" ||
         last == "expandvars" || last == "abspath" || last == "realpath" || last == "normpath" ||
         last == "fspath" || last == "PosixPath") &&
        ts_node_named_child_count(args) == 1) {
      return Fold(ts_node_named_child(args, 0), depth + 1, shape);
    }
    if ((last == "expanduser" || last == "resolve" || last == "absolute") && Is(fn, "attribute") &&
        ts_node_named_child_count(args) == 0) {
      return Fold(Field(fn, "object"), depth + 1, shape);  // Path("~/x").expanduser()
    }
    if (last == "joinpath" && Is(fn, "attribute")) {
      std::optional<std::string> out = Fold(Field(fn, "object"), depth + 1, shape);
      uint32_t n = ts_node_named_child_count(args);
      for (uint32_t i = 0; i < n && out; ++i) {
        std::optional<std::string> part = Fold(ts_node_named_child(args, i), depth + 1, shape);
        out = part ? std::optional<std::string>(*out + "/" + *part) : std::nullopt;
      }
      return out ? out : none;
    }
    if (last == "reversed" && Is(fn, "identifier") && ts_node_named_child_count(args) == 1) {
      std::optional<std::string> v = Fold(ts_node_named_child(args, 0), depth + 1, false);
      if (v) return std::string(v->rbegin(), v->rend());
      return none;
    }
    return none;
  }
  return none;
}

}  // namespace referee::analyzers::python
