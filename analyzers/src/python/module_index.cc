#include "python/module_index.h"

#include <algorithm>
#include <optional>

namespace referee::analyzers::python {
namespace {

bool IsNameChain(TSNode n) { return Is(n, "identifier") || Is(n, "attribute"); }

}  // namespace

std::vector<TSNode> NodesIn(const std::vector<TSNode>& list, TSNode scope) {
  std::vector<TSNode> out;
  uint32_t b = ts_node_start_byte(scope), e = ts_node_end_byte(scope);
  auto first = std::lower_bound(list.begin(), list.end(), b,
                                [](TSNode n, uint32_t v) { return ts_node_start_byte(n) < v; });
  for (auto it = first; it != list.end() && ts_node_start_byte(*it) < e; ++it) {
    if (ts_node_end_byte(*it) <= e) out.push_back(*it);
  }
  return out;
}

namespace {

std::string_view ComputeCallName(TSNode call, std::string_view src) {
  TSNode f = Unparen(Field(call, "function"));
  if (Is(f, "attribute")) return NodeText(Field(f, "attribute"), src);
  if (Is(f, "identifier")) return NodeText(f, src);
  return {};
}

}  // namespace

std::string_view CallName(TSNode call, std::string_view src) {
  // Memoized per node as (offset, length) into the source: the checks, the taint analysis and
  // the value resolver each ask it of every call (ts_node_child_by_field_id is not cheap).
  thread_local TreeMemo<std::pair<uint32_t, uint32_t>> names;
  if (ts_node_is_null(call)) return {};
  NodeMemo<std::pair<uint32_t, uint32_t>>& memo = names.For(call);
  if (const auto* known = memo.Find(call)) {
    if (known->first <= src.size() && known->second <= src.size() - known->first) {
      return src.substr(known->first, known->second);
    }
  }
  std::string_view name = ComputeCallName(call, src);
  uint32_t offset = name.empty() ? 0 : static_cast<uint32_t>(name.data() - src.data());
  memo.Insert(call, {offset, static_cast<uint32_t>(name.size())});
  return name;
}

std::string_view LastComponent(std::string_view name) {
  size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

TSNode Unparen(TSNode n) {
  while (Is(n, "parenthesized_expression") && ts_node_named_child_count(n) == 1) {
    n = ts_node_named_child(n, 0);
  }
  return n;
}

ModuleIndex::ModuleIndex(std::string_view source, TSNode root) : source_(source), root_(root) {
  ResetParentCache();
  Walk(root, [this](TSNode n) {
    Visit(n);
    return true;
  });
}

ModuleIndex::ModuleIndex(std::string_view source, TSNode root, std::vector<IndexNode> nodes)
    : source_(source), root_(root) {
  ResetParentCache();
  // Document (pre-)order: the walk's order, which the alias pass and NodesIn rely on. Nodes of
  // one kind never share a span, so (start, longer first, kind) is a total order here.
  auto before = [](const IndexNode& a, const IndexNode& b) {
    uint32_t as = ts_node_start_byte(a.node), bs = ts_node_start_byte(b.node);
    if (as != bs) return as < bs;
    uint32_t ae = ts_node_end_byte(a.node), be = ts_node_end_byte(b.node);
    if (ae != be) return ae > be;
    return a.kind < b.kind;
  };
  if (!std::is_sorted(nodes.begin(), nodes.end(), before)) {
    std::sort(nodes.begin(), nodes.end(), before);
  }
  const void* module_assignment = nullptr;
  for (const IndexNode& n : nodes) {
    if (n.kind == IndexKind::kModuleAssignment) module_assignment = n.node.id;
    if (n.kind == IndexKind::kAssignment && n.node.id == module_assignment) continue;
    Record(n.kind, n.node);
  }
}

void ModuleIndex::Visit(TSNode n) {
  const char* type = ts_node_type(n);
  std::optional<IndexKind> kind;
  switch (type[0]) {
    case 'c':
      if (std::strcmp(type, "call") == 0) kind = IndexKind::kCall;
      if (std::strcmp(type, "class_definition") == 0) kind = IndexKind::kClass;
      break;
    case 'f':
      if (std::strcmp(type, "function_definition") == 0) kind = IndexKind::kFunction;
      if (std::strcmp(type, "for_statement") == 0) kind = IndexKind::kFor;
      break;
    case 'i':
      if (std::strcmp(type, "import_statement") == 0) kind = IndexKind::kImport;
      if (std::strcmp(type, "import_from_statement") == 0) kind = IndexKind::kImportFrom;
      break;
    case 'a':
      if (std::strcmp(type, "assignment") == 0) {
        // Module level: the parent chain is expression_statement -> module.
        TSNode parent = Parent(n);
        kind = Is(parent, "expression_statement") && Is(Parent(parent), "module")
                   ? IndexKind::kModuleAssignment
                   : IndexKind::kAssignment;
      }
      if (std::strcmp(type, "augmented_assignment") == 0) kind = IndexKind::kAugmentedAssignment;
      break;
    case 'r':
      if (std::strcmp(type, "return_statement") == 0) kind = IndexKind::kReturn;
      break;
    case 'w':
      if (std::strcmp(type, "with_item") == 0) kind = IndexKind::kWithItem;
      break;
    case 'b':
      if (std::strcmp(type, "binary_operator") == 0) kind = IndexKind::kBinaryOperator;
      break;
    default:
      break;
  }
  if (kind) Record(*kind, n);
}

void ModuleIndex::Record(IndexKind kind, TSNode n) {
  switch (kind) {
    case IndexKind::kCall:
      AddCall(n);
      return;
    case IndexKind::kClass:
      classes_.push_back(n);
      class_by_name_.emplace(std::string(NodeText(Field(n, "name"), source_)), n);
      return;
    case IndexKind::kFunction:
      functions_.push_back(n);
      return;
    case IndexKind::kImport:
      AddImport(n);
      return;
    case IndexKind::kImportFrom:
      AddImportFrom(n);
      return;
    case IndexKind::kModuleAssignment:
    case IndexKind::kAssignment:
      AddAssignment(n, kind == IndexKind::kModuleAssignment);
      return;
    case IndexKind::kAugmentedAssignment:
      assignments_.push_back(n);
      return;
    case IndexKind::kReturn:
      returns_.push_back(n);
      return;
    case IndexKind::kWithItem:
      with_items_.push_back(n);
      return;
    case IndexKind::kBinaryOperator:
      if (NodeText(Field(n, "operator"), source_) == "-") subtractions_.push_back(n);
      return;
    case IndexKind::kFor:
      for_statements_.push_back(n);
      return;
  }
}

void ModuleIndex::AddCall(TSNode n) {
  calls_.push_back(n);
  TSNode f = Unparen(Field(n, "function"));
  if (Is(f, "attribute")) {
    call_names_.push_back({NodeText(Field(f, "attribute"), source_), false});
  } else {
    call_names_.push_back(
        {Is(f, "identifier") ? NodeText(f, source_) : std::string_view(), Is(f, "identifier")});
  }
}

void ModuleIndex::AddImport(TSNode n) {
  uint32_t count = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < count; ++i) {
    TSNode c = ts_node_named_child(n, i);
    if (Is(c, "dotted_name")) {
      imported_modules_.emplace_back(NodeText(c, source_));
    } else if (Is(c, "aliased_import")) {
      std::string name(NodeText(Field(c, "name"), source_));
      imported_modules_.push_back(name);
      aliases_[std::string(NodeText(Field(c, "alias"), source_))] = name;
    }
  }
}

void ModuleIndex::AddImportFrom(TSNode n) {
  TSNode module_node = Field(n, "module_name");
  std::string module(NodeText(module_node, source_));
  imported_modules_.push_back(module);
  std::string prefix = module;
  if (!prefix.empty() && prefix.back() != '.') prefix += '.';
  uint32_t count = ts_node_named_child_count(n);
  for (uint32_t i = 0; i < count; ++i) {
    TSNode c = ts_node_named_child(n, i);
    if (ts_node_eq(c, module_node)) continue;
    if (Is(c, "dotted_name")) {
      std::string name(NodeText(c, source_));
      aliases_[name] = prefix + name;
    } else if (Is(c, "aliased_import")) {
      aliases_[std::string(NodeText(Field(c, "alias"), source_))] =
          prefix + std::string(NodeText(Field(c, "name"), source_));
    }
  }
}

void ModuleIndex::AddAssignment(TSNode n, bool module_level) {
  assignments_.push_back(n);
  TSNode left = Field(n, "left");
  TSNode right = Field(n, "right");
  if (!Is(left, "identifier") || ts_node_is_null(right)) return;
  std::string name(NodeText(left, source_));
  if (module_level) module_assignments_[name].push_back(right);
  // Alias assignments: `S = torch.cuda.Stream`, `pc = time.perf_counter` (one
  // pass, in order).
  right = Unparen(right);
  if (!IsNameChain(right)) return;
  std::string resolved = Resolve(right);
  if (resolved.empty() || resolved == name) return;
  std::string_view root_name = NodeText(right, source_);
  root_name = root_name.substr(0, root_name.find('.'));
  bool from_import = aliases_.count(root_name) > 0;
  for (const std::string& m : imported_modules_) {
    from_import = from_import || m == root_name || m.rfind(std::string(root_name) + ".", 0) == 0;
  }
  if (from_import) aliases_[name] = resolved;
}

std::string ModuleIndex::ResolveName(std::string_view name) const {
  auto it = aliases_.find(name);
  return it == aliases_.end() ? std::string(name) : it->second;
}

std::string ModuleIndex::Resolve(TSNode expr) const {
  // Iterative, and bounded: a chain of 30,000 attributes or calls is hostile input, not a name
  // (issue 20: the recursive form overflowed the stack and was quadratic).
  constexpr size_t kMaxChain = 64;
  std::vector<std::string_view> suffixes;  // innermost last: ".attr" parts and "()"
  TSNode n = expr;
  for (size_t steps = 0;; ++steps) {
    n = Unparen(n);
    for (; Is(n, "call") && steps < kMaxChain; ++steps) n = Unparen(Field(n, "function"));
    if (Is(n, "identifier")) break;
    if (!Is(n, "attribute") || steps >= kMaxChain) return {};
    suffixes.push_back(NodeText(Field(n, "attribute"), source_));
    TSNode object = Unparen(Field(n, "object"));
    if (Is(object, "call")) {
      suffixes.push_back("()");
      object = Field(object, "function");
    }
    n = object;
  }
  std::string out = ResolveName(NodeText(n, source_));
  if (out.empty()) return {};
  for (auto it = suffixes.rbegin(); it != suffixes.rend(); ++it) {
    if (*it != "()") out += '.';
    out += *it;
  }
  return out;
}

TSNode ModuleIndex::SingleModuleAssignment(std::string_view name) const {
  auto it = module_assignments_.find(name);
  if (it == module_assignments_.end() || it->second.size() != 1) return {};
  return it->second.front();
}

bool ModuleIndex::IsNnModuleClass(TSNode class_def) const {
  return IsNnModuleClassDepth(class_def, 0);
}

bool ModuleIndex::IsNnModuleClassDepth(TSNode class_def, int depth) const {
  if (depth > 8) return false;
  TSNode supers = Field(class_def, "superclasses");
  if (ts_node_is_null(supers)) return false;
  uint32_t count = ts_node_named_child_count(supers);
  for (uint32_t i = 0; i < count; ++i) {
    TSNode s = ts_node_named_child(supers, i);
    if (!IsNameChain(s)) continue;
    std::string r = Resolve(s);
    if (r == "torch.nn.Module" || r == "torch.nn.modules.module.Module") return true;
    if (Is(s, "identifier")) {
      auto it = class_by_name_.find(NodeText(s, source_));
      if (it != class_by_name_.end() && !ts_node_eq(it->second, class_def) &&
          IsNnModuleClassDepth(it->second, depth + 1)) {
        return true;
      }
    }
  }
  return false;
}

bool ModuleIndex::CalleeMayEndWith(size_t call_index, std::string_view last) const {
  const CallName& c = call_names_[call_index];
  if (c.last == last) return true;
  return c.identifier && aliases_.find(c.last) != aliases_.end();
}

bool ModuleIndex::Imports(std::string_view module) const {
  for (const std::string& m : imported_modules_) {
    if (m == module || (m.size() > module.size() && m.compare(0, module.size(), module) == 0 &&
                        m[module.size()] == '.')) {
      return true;
    }
  }
  return false;
}

}  // namespace referee::analyzers::python
