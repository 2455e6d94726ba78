// Thin RAII and navigation helpers over the tree-sitter C API for the Python
// grammar.
#pragma once

#include <tree_sitter/api.h>

#include <cstring>
#include <memory>
#include <string>
#include <string_view>

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
inline bool Is(TSNode n, const char* type) {
  return !ts_node_is_null(n) && std::strcmp(ts_node_type(n), type) == 0;
}
inline TSNode Field(TSNode n, const char* name) {
  if (ts_node_is_null(n)) return n;
  return ts_node_child_by_field_name(n, name, static_cast<uint32_t>(std::strlen(name)));
}
inline bool Contains(TSNode outer, TSNode inner) {
  if (ts_node_is_null(outer) || ts_node_is_null(inner)) return false;
  return ts_node_start_byte(outer) <= ts_node_start_byte(inner) &&
         ts_node_end_byte(inner) <= ts_node_end_byte(outer);
}
inline bool SameNode(TSNode a, TSNode b) { return ts_node_eq(a, b); }

// ts_node_parent descends from the root in tree-sitter 0.20 (O(depth x width)); Parent() memoizes
// it per thread and tree. ResetParentCache() is called for each new tree (ModuleIndex does).
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
