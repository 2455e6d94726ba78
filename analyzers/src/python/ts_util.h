// Thin RAII and navigation helpers over the tree-sitter C API for the Python
// grammar.
#pragma once

#include <tree_sitter/api.h>

#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace referee::analyzers::python {

struct TreeDeleter {
  void operator()(TSTree* t) const { ts_tree_delete(t); }
};
struct ParserDeleter {
  void operator()(TSParser* p) const { ts_parser_delete(p); }
};
struct QueryDeleter {
  void operator()(TSQuery* q) const { ts_query_delete(q); }
};
struct QueryCursorDeleter {
  void operator()(TSQueryCursor* c) const { ts_query_cursor_delete(c); }
};
using TreePtr = std::unique_ptr<TSTree, TreeDeleter>;
using ParserPtr = std::unique_ptr<TSParser, ParserDeleter>;
using QueryPtr = std::unique_ptr<TSQuery, QueryDeleter>;
using QueryCursorPtr = std::unique_ptr<TSQueryCursor, QueryCursorDeleter>;

const TSLanguage* PythonLanguage();

// Parses `source` as Python; null only when the parse ran past `timeout_micros` (0: no limit) or
// the source is 4 GiB or more.
TreePtr ParsePython(std::string_view source, uint64_t timeout_micros = 0);

// tree-sitter's accessors dereference the node: on a null node (an absent field, such as the
// value of `x: int`) they crash. These helpers take null nodes (empty text, false).
inline std::string_view NodeText(TSNode n, std::string_view src) {
  if (ts_node_is_null(n)) return {};
  uint32_t b = ts_node_start_byte(n), e = ts_node_end_byte(n);
  if (b > src.size() || e > src.size() || e < b) return {};
  return src.substr(b, e - b);
}
// Node types and field names are compared by id: ts_node_type + strcmp and
// ts_node_child_by_field_name's scan of the field names ran for every test of every check
// (issue #4 throughput). The ids of a type or field name are looked up once per thread and
// string (keyed by the string's address, the same literal at every call of a call site).
// True when `symbol` (of the Python grammar) is named `type`, as strcmp(ts_node_type) tests.
bool SymbolIsType(TSSymbol symbol, const char* type);
// ts_language_field_id_for_name for the Python grammar (0: no such field).
TSFieldId FieldId(const char* name);

inline bool Is(TSNode n, const char* type) {
  return !ts_node_is_null(n) && SymbolIsType(ts_node_symbol(n), type);
}
inline TSNode Field(TSNode n, const char* name) {
  if (ts_node_is_null(n)) return n;
  return ts_node_child_by_field_id(n, FieldId(name));
}
inline bool Contains(TSNode outer, TSNode inner) {
  if (ts_node_is_null(outer) || ts_node_is_null(inner)) return false;
  return ts_node_start_byte(outer) <= ts_node_start_byte(inner) &&
         ts_node_end_byte(inner) <= ts_node_end_byte(outer);
}
inline bool SameNode(TSNode a, TSNode b) { return ts_node_eq(a, b); }

// A memo from the nodes of one tree to values: open addressing on the node's identity (its
// subtree pointer, unique per node of a tree). The hot memos (Parent, EnclosingFunction) were
// std::unordered_maps, a visible share of the audit's time (issue #4 throughput).
template <typename V>
class NodeMemo {
 public:
  const V* Find(TSNode n) const {
    if (size_ == 0) return nullptr;
    uint64_t key = Key(n);
    for (size_t i = Slot(key);; i = (i + 1) & (keys_.size() - 1)) {
      if (keys_[i] == key) return &values_[i];
      if (keys_[i] == 0) return nullptr;
    }
  }
  void Insert(TSNode n, const V& v) {
    if ((size_ + 1) * 2 > keys_.size()) Grow(keys_.empty() ? 256 : keys_.size() * 2);
    uint64_t key = Key(n);
    size_t i = Slot(key);
    for (; keys_[i] != 0 && keys_[i] != key; i = (i + 1) & (keys_.size() - 1)) {
    }
    if (keys_[i] == 0) ++size_;
    keys_[i] = key;
    values_[i] = v;
  }
  // Room for `count` entries without growing.
  void Reserve(size_t count) {
    size_t slots = 256;
    while (slots < count * 2) slots *= 2;
    if (slots > keys_.size()) Grow(slots);
  }
  void Clear() {
    keys_.clear();
    values_.clear();
    size_ = 0;
  }

 private:
  static uint64_t Key(TSNode n) { return reinterpret_cast<uintptr_t>(n.id); }
  size_t Slot(uint64_t key) const {
    return static_cast<size_t>((key * 0x9e3779b97f4a7c15ULL) >> 20) & (keys_.size() - 1);
  }
  void Grow(size_t slots) {
    std::vector<uint64_t> keys = std::move(keys_);
    std::vector<V> values = std::move(values_);
    keys_.assign(slots, 0);
    values_.assign(keys_.size(), V{});
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i] == 0) continue;
      size_t j = Slot(keys[i]);
      while (keys_[j] != 0) j = (j + 1) & (keys_.size() - 1);
      keys_[j] = keys[i];
      values_[j] = values[i];
    }
  }

  std::vector<uint64_t> keys_;  // 0: an empty slot (no node has a null id)
  std::vector<V> values_;
  size_t size_ = 0;
};

// Advanced by ResetParentCache (below) for each new tree.
uint64_t TreeGeneration();

// A NodeMemo of the tree being analysed, per thread: emptied when a new tree comes (another
// tree, or ResetParentCache), as Parent's own memo is.
template <typename V>
class TreeMemo {
 public:
  NodeMemo<V>& For(TSNode n) {
    if (generation_ != TreeGeneration() || tree_ != n.tree) {
      memo_.Clear();
      generation_ = TreeGeneration();
      tree_ = n.tree;
    }
    return memo_;
  }

 private:
  NodeMemo<V> memo_;
  uint64_t generation_ = 0;
  const TSTree* tree_ = nullptr;
};

// ts_node_parent descends from the root in tree-sitter 0.20 (O(depth x width)). Parent() takes
// the parents of a tree's named nodes from one cursor walk on its first call for the tree (per
// thread), and asks ts_node_parent only of the rest (zero-width nodes, where the two may differ,
// and anonymous tokens), memoized. ResetParentCache() is called for each new tree (ModuleIndex
// does); it also advances TreeGeneration(), which the other per-tree memos (TreeMemo) compare.
TSNode Parent(TSNode n);
void ResetParentCache();

// The first ERROR or MISSING node in document order; when there is none but `root` has an
// error, the innermost node that has one; a null node when `root` has no error.
TSNode FirstErrorNode(TSNode root);

// Pre-order walk over named and anonymous nodes; `visit(node)` returns false to
// skip children.
template <typename Visit>
void Walk(TSNode root, Visit&& visit) {
  if (ts_node_is_null(root)) return;
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  bool descend = true;
  while (true) {
    if (descend) {
      if (visit(ts_tree_cursor_current_node(&cursor)) && ts_tree_cursor_goto_first_child(&cursor)) {
        continue;
      }
    }
    if (ts_tree_cursor_goto_next_sibling(&cursor)) {
      descend = true;
      continue;
    }
    descend = false;
    if (!ts_tree_cursor_goto_parent(&cursor)) break;
  }
  ts_tree_cursor_delete(&cursor);
}

// 1-based line and byte column of a byte offset.
struct LineCol {
  int line = 1;
  int col = 1;
};
inline LineCol PointToLineCol(TSPoint p) {
  return {static_cast<int>(p.row) + 1, static_cast<int>(p.column) + 1};
}

// The text of the source line (1-based), without its newline.
std::string LineText(std::string_view src, int line);

// The string value of a call's keyword argument `name`, or a null node.
TSNode KeywordArg(TSNode call, std::string_view src, std::string_view name);
// The `index`-th positional argument of a call, or a null node.
TSNode PositionalArg(TSNode call, int index);

}  // namespace referee::analyzers::python
