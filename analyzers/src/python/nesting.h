// The shapes of tree a Python file may have (issue 20). Hostile files nest far deeper than any
// program CPython accepts (it refuses more than 200 nested brackets, 100 indentation levels and
// expression chains about 3,000 deep), and parts of the audit walk trees recursively; a syntax
// error over tens of thousands of tokens makes one flat ERROR node, over which tree-sitter 0.20.7's
// tree cursor is quadratic (ts_tree_cursor_current_status scans the later siblings of each child:
// 65,535 brackets took 10 s). Such subtrees are reported (`path:line:col: error: nesting too deep`)
// and blanked out of the text (an atom `(0)` and spaces, line breaks kept, so every position is
// unchanged), which is parsed again: the rest of the file is still analysed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "python/ts_util.h"

namespace referee::analyzers::python {

// Visible nodes from the root. No Python file of torch's 1,141 or of this repository is 150 deep;
// CPython compiles chains up to ~2,990 (`1+1+...`), but past 1,000 a chain of calls keeps so
// many query matches in progress that tree-sitter's cursor slows to seconds per file.
inline constexpr uint32_t kMaxTreeDepth = 1000;
// Children of one ERROR node.
inline constexpr uint32_t kMaxErrorChildren = 4096;

struct Span {
  uint32_t start_byte = 0;
  uint32_t end_byte = 0;
  TSPoint start{};
  bool deep = true;  // a node at the depth limit with grandchildren; else an ERROR node too wide
};

// The subtrees to blank: nodes at depth `max_depth` that have grandchildren (so that the `(0)` left
// in their place is not too deep itself) and ERROR nodes with more than `max_error_children`
// children, outermost only, in document order; empty when there are none. Iterative: a tree
// cursor, no recursion.
std::vector<Span> FindOversized(TSNode root, uint32_t max_depth = kMaxTreeDepth,
                                uint32_t max_error_children = kMaxErrorChildren);

// `source` with the bytes of each span replaced by `(0)` and spaces, line breaks kept.
std::string BlankSpans(std::string_view source, const std::vector<Span>& spans);

}  // namespace referee::analyzers::python
