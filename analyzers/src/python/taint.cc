#include "python/taint.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "python/checks/check_util.h"
#include "python/scopes.h"

namespace referee::analyzers::python {
namespace {

constexpr int kMaxHelperDepth = 3;

const std::set<std::string_view> kIdentityMethods = {
    "data_ptr", "untyped_storage", "storage", "_storage", "storage_offset", "tobytes", "tolist",
    "item",     "__hash__",        "_cdata",  "hexdigest", "digest"};
const std::set<std::string_view> kMetadataMethods = {
    "size",  "dim",      "numel",         "stride",       "element_size", "is_contiguous",
    "nelement", "ndimension", "get_device", "is_floating_point", "is_complex", "type",
    "__len__"};
const std::set<std::string_view> kMetadataAttributes = {
    "shape", "dtype", "device", "ndim", "layout", "is_cuda", "requires_grad", "names",
    "itemsize", "nbytes", "is_sparse", "is_quantized"};
const std::set<std::string_view> kIdentityAttributes = {"_version", "__cuda_array_interface__",
                                                        "__array_interface__"};
// Constructors that read only shape, dtype and device.
const std::set<std::string_view> kMetadataConstructors = {
    "empty",     "empty_like", "zeros",     "zeros_like", "ones",      "ones_like",
    "full",      "full_like",  "empty_strided", "new_empty", "new_zeros", "new_ones",
    "new_full",  "arange",     "eye",       "rand",       "randn",     "randint",
    "rand_like", "randn_like", "linspace"};
const std::set<std::string_view> kMetadataBuiltins = {"len", "isinstance", "type", "callable",
                                                      "hasattr", "issubclass"};

bool IsSelfName(std::string_view n) { return n == "self" || n == "cls"; }

TSNode FunctionOfNode(TSNode n) { return EnclosingFunctionDefinition(n); }

void AddTargetNames(TSNode target, std::string_view src, std::vector<std::string>* out) {
  target = Unparen(target);
  if (Is(target, "identifier")) {
    out->emplace_back(NodeText(target, src));
    return;
  }
  if (Is(target, "pattern_list") || Is(target, "tuple_pattern") || Is(target, "list_pattern") ||
      Is(target, "expression_list") || Is(target, "tuple") || Is(target, "list")) {
    uint32_t n = ts_node_named_child_count(target);
    for (uint32_t i = 0; i < n; ++i) AddTargetNames(ts_node_named_child(target, i), src, out);
  }
}

// Walks `fn`'s own code (not nested functions, lambdas or classes).
template <typename Visit>
void WalkOwn(TSNode fn, Visit&& visit) {
  Walk(Field(fn, "body"), [&](TSNode n) {
    if (Is(n, "function_definition") || Is(n, "class_definition") || Is(n, "lambda")) {
      return false;
    }
    visit(n);
    return true;
  });
}

}  // namespace

std::vector<std::string> LocalNames(TSNode fn, std::string_view src) {
  std::vector<std::string> names, declared;
  TSNode params = Field(fn, "parameters");
  uint32_t count = ts_node_named_child_count(params);
  for (uint32_t i = 0; i < count; ++i) {
    TSNode p = ts_node_named_child(params, i);
    TSNode id = Is(p, "identifier") ? p : ts_node_named_child(p, 0);
    if (Is(id, "identifier")) names.emplace_back(NodeText(id, src));
  }
  WalkOwn(fn, [&](TSNode n) {
    if (Is(n, "assignment") || Is(n, "augmented_assignment")) {
      AddTargetNames(Field(n, "left"), src, &names);
    } else if (Is(n, "for_statement")) {
      AddTargetNames(Field(n, "left"), src, &names);
    } else if (Is(n, "as_pattern_target")) {
      AddTargetNames(ts_node_named_child(n, 0), src, &names);
    } else if (Is(n, "global_statement") || Is(n, "nonlocal_statement")) {
      uint32_t k = ts_node_named_child_count(n);
      for (uint32_t i = 0; i < k; ++i) declared.emplace_back(NodeText(ts_node_named_child(n, i), src));
    }
  });
  std::vector<std::string> out;
  for (std::string& n : names) {
    if (std::find(declared.begin(), declared.end(), n) == declared.end()) out.push_back(std::move(n));
  }
  return out;
}

bool IsPersistent(const FileContext& ctx, TSNode target, TSNode fn) {
  std::string_view src = ctx.source();
  TSNode root = Unparen(target);
  bool through_attribute = false;
  for (int i = 0; i < 64; ++i) {
    if (Is(root, "subscript")) {
      root = Unparen(Field(root, "value"));
    } else if (Is(root, "attribute")) {
      through_attribute = true;
      root = Unparen(Field(root, "object"));
    } else if (Is(root, "call")) {
      // type(self).x, self.__class__ / vars(x): reached through a call, a class or namespace
      return through_attribute && CallName(root, src) == "type";
    } else {
      break;
    }
  }
  if (!Is(root, "identifier")) return false;
  std::string_view name = NodeText(root, src);
  if (IsSelfName(name)) return through_attribute;
  if (ctx.index().Imports(name) || ctx.index().ResolveName(name) != name) return false;
  const std::vector<std::string>* found = ctx.FindLocalNames(fn);
  const std::vector<std::string>& locals =
      found != nullptr ? *found : ctx.StoreLocalNames(fn, LocalNames(fn, src));
  if (std::find(locals.begin(), locals.end(), name) == locals.end()) return true;  // free name
  // A parameter with a mutable default keeps its object across calls.
  TSNode params = Field(fn, "parameters");
  uint32_t count = ts_node_named_child_count(params);
  for (uint32_t i = 0; i < count; ++i) {
    TSNode p = ts_node_named_child(params, i);
    if (!Is(p, "default_parameter") && !Is(p, "typed_default_parameter")) continue;
    if (NodeText(Field(p, "name"), src) != name) continue;
    TSNode v = Unparen(Field(p, "value"));
    return Is(v, "dictionary") || Is(v, "list") || Is(v, "set") ||
           (Is(v, "call") && (CallName(v, src) == "dict" || CallName(v, src) == "list" ||
                              CallName(v, src) == "set" || CallName(v, src) == "OrderedDict"));
  }
  return false;
}

FunctionTaint::FunctionTaint(TaintAnalysis& analysis, TSNode fn, int depth)
    : analysis_(analysis), fn_(fn), depth_(depth) {
  std::string_view src = analysis_.ctx().source();
  TSNode params = Field(fn, "parameters");
  uint32_t count = ts_node_named_child_count(params);
  for (uint32_t i = 0; i < count; ++i) {
    TSNode p = ts_node_named_child(params, i);
    TSNode id = Is(p, "identifier") ? p : ts_node_named_child(p, 0);
    if (Is(p, "default_parameter") || Is(p, "typed_default_parameter")) id = Field(p, "name");
    if (!Is(id, "identifier") || IsSelfName(NodeText(id, src))) continue;
    unsigned t = Is(p, "identifier") || Is(p, "default_parameter") ||
                         Is(p, "typed_parameter") || Is(p, "typed_default_parameter")
                     ? analysis_.ParamTaint(fn, int(i), depth_)
                     : unsigned(kContent);  // *args, **kwargs
    if (t != kNoTaint) names_[std::string(NodeText(id, src))] = t;
  }
  Propagate();
}

void FunctionTaint::Propagate() {
  const ModuleIndex& index = analysis_.ctx().index();
  std::string_view src = analysis_.ctx().source();
  std::vector<TSNode> assignments, loops;
  for (TSNode a : NodesIn(index.assignments(), fn_)) {
    if (OwnedBy(a, fn_)) assignments.push_back(a);
  }
  for (TSNode f : NodesIn(index.for_statements(), fn_)) {
    if (OwnedBy(f, fn_)) loops.push_back(f);
  }
  std::vector<TSNode> calls;
  for (TSNode c : NodesIn(index.calls(), fn_)) {
    if (OwnedBy(c, fn_)) calls.push_back(c);
  }
  for (int round = 0; round < 2; ++round) {  // a second round for loop-carried names
    // A buffer handed to a call together with the inputs may be written with their values
    // (an out= argument, a kernel launch's output, y.copy_(x)).
    for (TSNode c : calls) {
      TSNode f = Unparen(Field(c, "function"));
      unsigned in = Eval(Field(c, "arguments"), nullptr);
      if (Is(f, "attribute") && (in & kContent)) {
        TSNode obj = Unparen(Field(f, "object"));
        if (Is(obj, "identifier")) NoteWrite(NodeText(obj, src), c);
      }
      if ((in & kContent) == 0) continue;
      TSNode args = Field(c, "arguments");
      uint32_t n = ts_node_named_child_count(args);
      for (uint32_t i = 0; i < n; ++i) {
        TSNode a = ts_node_named_child(args, i);
        if (Is(a, "keyword_argument")) a = Field(a, "value");
        a = Unparen(a);
        if (Is(a, "identifier")) NoteWrite(NodeText(a, src), c);
      }
    }
    for (TSNode a : assignments) {
      unsigned t = Eval(Field(a, "right"), nullptr);
      if (t == kNoTaint) continue;
      std::vector<std::string> targets;
      AddTargetNames(Field(a, "left"), src, &targets);
      for (const std::string& n : targets) names_[n] |= t;
    }
    for (TSNode f : loops) {
      unsigned t = Eval(Field(f, "right"), nullptr);
      if (t == kNoTaint) continue;
      std::vector<std::string> targets;
      AddTargetNames(Field(f, "left"), src, &targets);
      for (const std::string& n : targets) names_[n] |= t;
    }
  }
}

void FunctionTaint::NoteWrite(std::string_view name, TSNode call) {
  uint32_t at = ts_node_start_byte(call);
  auto it = writes_.find(name);
  if (it == writes_.end()) {
    writes_.emplace(std::string(name), at);
  } else {
    it->second = std::min(it->second, at);
  }
}

unsigned FunctionTaint::OfName(std::string_view name) const {
  auto it = names_.find(name);
  unsigned t = it == names_.end() ? kNoTaint : it->second;
  // Written with the inputs' values by a call before the point of use (flow-sensitive: a
  // workspace stored at creation and filled afterwards holds no result when it is stored).
  auto w = writes_.find(name);
  if (w != writes_.end() && w->second < at_) t |= kContent;
  return t;
}

unsigned FunctionTaint::Of(TSNode expr) const {
  at_ = ts_node_start_byte(expr);
  unsigned t = Eval(expr, nullptr);
  at_ = UINT32_MAX;
  return t;
}

unsigned FunctionTaint::Returns() const {
  unsigned t = kNoTaint;
  const ModuleIndex& index = analysis_.ctx().index();
  for (TSNode r : NodesIn(index.returns(), fn_)) {
    if (!OwnedBy(r, fn_) || ts_node_named_child_count(r) == 0) continue;
    t |= Eval(ts_node_named_child(r, 0), nullptr);
  }
  return t;
}

unsigned FunctionTaint::Comprehension(TSNode comp, Overrides* overrides) const {
  Overrides local = overrides ? *overrides : Overrides{};
  std::string_view src = analysis_.ctx().source();
  uint32_t n = ts_node_named_child_count(comp);
  for (uint32_t i = 0; i < n; ++i) {
    TSNode c = ts_node_named_child(comp, i);
    if (!Is(c, "for_in_clause")) continue;
    unsigned t = Eval(Field(c, "right"), &local);
    std::vector<std::string> targets;
    AddTargetNames(Field(c, "left"), src, &targets);
    for (const std::string& name : targets) {
      // The views point into the source, which outlives the evaluation.
      TSNode left = Field(c, "left");
      size_t at = NodeText(left, src).find(name);
      if (at != std::string_view::npos) {
        local.emplace_back(NodeText(left, src).substr(at, name.size()), t);
      }
    }
  }
  unsigned t = kNoTaint;
  for (uint32_t i = 0; i < n; ++i) {
    TSNode c = ts_node_named_child(comp, i);
    if (!Is(c, "for_in_clause")) t |= Eval(c, &local);
  }
  return t;
}

unsigned FunctionTaint::Eval(TSNode expr, Overrides* overrides) const {
  expr = Unparen(expr);
  if (ts_node_is_null(expr)) return kNoTaint;
  std::string_view src = analysis_.ctx().source();
  const char* type = ts_node_type(expr);
  if (std::strcmp(type, "identifier") == 0) {
    std::string_view name = NodeText(expr, src);
    if (overrides != nullptr) {
      for (auto it = overrides->rbegin(); it != overrides->rend(); ++it) {
        if (it->first == name) return it->second;
      }
    }
    return OfName(name);
  }
  if (std::strcmp(type, "call") == 0) return CallTaint(expr, overrides);
  if (std::strcmp(type, "attribute") == 0) {
    std::string_view attr = NodeText(Field(expr, "attribute"), src);
    unsigned object = Eval(Field(expr, "object"), overrides);
    if (kMetadataAttributes.count(attr)) return kNoTaint;
    if (kIdentityAttributes.count(attr)) return object ? unsigned(kIdentity) : kNoTaint;
    return object;
  }
  if (std::strcmp(type, "subscript") == 0) return Eval(Field(expr, "value"), overrides);
  if (std::strcmp(type, "lambda") == 0 || std::strcmp(type, "string") == 0 ||
      std::strcmp(type, "integer") == 0 || std::strcmp(type, "float") == 0) {
    return kNoTaint;
  }
  if (std::strcmp(type, "list_comprehension") == 0 ||
      std::strcmp(type, "generator_expression") == 0 ||
      std::strcmp(type, "set_comprehension") == 0 ||
      std::strcmp(type, "dictionary_comprehension") == 0) {
    return Comprehension(expr, overrides);
  }
  unsigned t = kNoTaint;
  uint32_t n = ts_node_named_child_count(expr);
  for (uint32_t i = 0; i < n; ++i) t |= Eval(ts_node_named_child(expr, i), overrides);
  return t;
}

unsigned FunctionTaint::CallTaint(TSNode call, Overrides* overrides) const {
  const FileContext& ctx = analysis_.ctx();
  std::string_view src = ctx.source();
  TSNode f = Unparen(Field(call, "function"));
  std::string_view last = CallName(call, src);
  unsigned args = Eval(Field(call, "arguments"), overrides);
  unsigned object = Is(f, "attribute") ? Eval(Field(f, "object"), overrides) : kNoTaint;
  unsigned in = args | object;
  if (Is(f, "identifier") && kMetadataBuiltins.count(last)) return kNoTaint;
  if (Is(f, "identifier") && (last == "id" || last == "hash")) {
    return in ? unsigned(kIdentity) : kNoTaint;
  }
  if (Is(f, "attribute") && kIdentityMethods.count(last)) return in ? unsigned(kIdentity) : kNoTaint;
  if (Is(f, "attribute") && kMetadataMethods.count(last)) return kNoTaint;
  if (kMetadataConstructors.count(last)) return kNoTaint;
  const std::string& resolved = ctx.Resolve(f);
  if (resolved.rfind("hashlib.", 0) == 0 || resolved.rfind("xxhash.", 0) == 0 ||
      resolved == "zlib.crc32" || resolved == "pickle.dumps") {
    return in ? unsigned(kIdentity) : kNoTaint;
  }
  if (in == kNoTaint) return kNoTaint;
  unsigned helper = analysis_.HelperReturns(last, depth_ + 1);
  if (helper != kNoTaint) return helper;
  return in;
}

const FunctionTaint& TaintAnalysis::Of(TSNode fn, int depth) {
  auto it = functions_.find(ts_node_start_byte(fn));
  if (it != functions_.end()) return *it->second;
  auto t = std::make_unique<FunctionTaint>(*this, fn, depth);
  if (depth > 0) {
    // Built while another summary was in progress (and cut short by it): not memoized.
    scratch_.push_back(std::move(t));
    return *scratch_.back();
  }
  std::unique_ptr<FunctionTaint>& slot = functions_[ts_node_start_byte(fn)];
  slot = std::move(t);
  return *slot;
}

unsigned TaintAnalysis::ParamTaint(TSNode fn, int position, int depth) {
  std::string_view src = ctx_.source();
  if (depth > kMaxHelperDepth) return kContent;
  for (TSNode e : ctx_.submission().entries()) {
    if (ts_node_eq(e, fn) && !ctx_.submission().library_module()) return kContent;
  }
  if (ctx_.submission().library_module()) return kContent;
  if (Is(Parent(fn), "decorated_definition")) return kContent;
  std::pair<uint32_t, int> key{ts_node_start_byte(fn), position};
  auto memo = param_memo_.find(key);
  if (memo != param_memo_.end()) return memo->second;
  param_memo_[key] = kContent;  // a recursive call: assume the worst
  std::string_view name = NodeText(Field(fn, "name"), src);
  TSNode params = Field(fn, "parameters");
  TSNode param = ts_node_named_child(params, uint32_t(position));
  TSNode param_id = Is(param, "identifier") ? param : Field(param, "name");
  if (Is(param, "typed_parameter")) param_id = ts_node_named_child(param, 0);
  bool method = ts_node_named_child_count(params) > 0 &&
                IsSelfName(NodeText(ts_node_named_child(params, 0), src));
  unsigned t = kNoTaint;
  bool any_call = false;
  for (TSNode call : ctx_.index().calls()) {
    TSNode args = Field(call, "arguments");
    if (CallName(call, src) != name) {
      // Handed to another call as a value (a callback, a thread target, a registry): unknown
      // callers.
      std::string_view text = NodeText(args, src);
      size_t at = text.find(name);
      if (at != std::string_view::npos) {
        auto name_char = [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
        };
        bool word = (at == 0 || !name_char(text[at - 1])) &&
                    (at + name.size() >= text.size() || !name_char(text[at + name.size()]));
        if (word) t |= kContent;
      }
      continue;
    }
    any_call = true;
    int pos = position;
    if (method && Is(Unparen(Field(call, "function")), "attribute")) --pos;
    TSNode arg = pos >= 0 ? PositionalArg(call, pos) : TSNode{};
    if (ts_node_is_null(arg) && Is(param_id, "identifier")) {
      arg = KeywordArg(call, src, NodeText(param_id, src));
    }
    if (ts_node_is_null(arg)) {
      // Passed through *args/**kwargs, or the default.
      if (NodeText(args, src).find('*') != std::string_view::npos) t |= kContent;
      continue;
    }
    TSNode caller = FunctionOfNode(call);
    if (ts_node_is_null(caller)) continue;  // module level: not an input
    t |= Of(caller, depth + 1).Of(arg);
  }
  if (!any_call) t = kContent;
  param_memo_[key] = t;
  return t;
}

unsigned TaintAnalysis::HelperReturns(std::string_view name, int depth) {
  if (name.empty() || depth > kMaxHelperDepth) return kNoTaint;
  auto it = helper_memo_.find(name);
  if (it != helper_memo_.end()) return it->second;
  helper_memo_[std::string(name)] = kNoTaint;  // cuts recursion
  unsigned t = kNoTaint;
  for (TSNode fn : ctx_.index().functions()) {
    if (NodeText(Field(fn, "name"), ctx_.source()) != name) continue;
    t |= FunctionTaint(*this, fn, depth).Returns();
  }
  helper_memo_[std::string(name)] = t;
  return t;
}

}  // namespace referee::analyzers::python
