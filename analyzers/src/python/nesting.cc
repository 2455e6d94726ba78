#include "python/nesting.h"

#include <algorithm>

namespace referee::analyzers::python {

namespace {

bool HasGrandchildren(TSNode n) {
  uint32_t count = ts_node_child_count(n);
  for (uint32_t i = 0; i < count; ++i) {
    if (ts_node_child_count(ts_node_child(n, i)) > 0) return true;
  }
  return false;
}

}  // namespace

std::vector<Span> FindOversized(TSNode root, uint32_t max_depth, uint32_t max_error_children) {
  std::vector<Span> out;
  if (ts_node_is_null(root)) return out;
  // Only a tree with an error has ERROR nodes; otherwise only the cursor moves (this walk runs on
  // every file: issue #4's throughput).
  bool any_error = ts_node_has_error(root);
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  uint32_t depth = 0;
  while (true) {
    if (any_error || depth == max_depth) {
      TSNode n = ts_tree_cursor_current_node(&cursor);
      bool wide = any_error && ts_node_child_count(n) > max_error_children && Is(n, "ERROR");
      if (wide || (depth == max_depth && HasGrandchildren(n))) {
        out.push_back({ts_node_start_byte(n), ts_node_end_byte(n), ts_node_start_point(n), !wide});
      } else if (ts_tree_cursor_goto_first_child(&cursor)) {
        ++depth;
        continue;
      }
    } else if (ts_tree_cursor_goto_first_child(&cursor)) {
      ++depth;
      continue;
    }
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (depth == 0 || !ts_tree_cursor_goto_parent(&cursor)) {
        ts_tree_cursor_delete(&cursor);
        return out;
      }
      --depth;
    }
  }
}

std::string BlankSpans(std::string_view source, const std::vector<Span>& spans) {
  std::string out(source);
  for (const Span& s : spans) {
    uint32_t end = std::min<uint32_t>(s.end_byte, uint32_t(out.size()));
    for (uint32_t i = s.start_byte; i < end; ++i) {
      if (out[i] != '\n' && out[i] != '\r') out[i] = ' ';
    }
    // An atom in its place keeps what surrounds it well-formed: `x = - - <span>` would otherwise
    // take the next line as its operand, and that line's code would sink into the deep part.
    if (end >= s.start_byte + 3 && out.compare(s.start_byte, 3, "   ") == 0) {
      out.replace(s.start_byte, 3, "(0)");
    }
  }
  return out;
}

}  // namespace referee::analyzers::python
