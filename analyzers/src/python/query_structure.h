// Textual helpers over tree-sitter query source, so that the query rules compile with one
// ts_query_new (tens of milliseconds each for the Python grammar; issue #4, performance).
//
// PatternStructure: a pattern's text without predicates and comments, whitespace collapsed.
// Query rules whose patterns share a structure are matched once:
// `((call function: (_) @fn) @hit (#resolves-to? @fn "os.getenv"))` and
// `((call function: (_) @fn) @hit (#resolves-match? @fn "^subprocess\\."))` both become
// `((call function: (_) @fn) @hit )`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace referee::analyzers::python {

// `pattern` is one top-level pattern's text. Strings are kept verbatim, `(#...)` groups and `;`
// comments dropped.
std::string PatternStructure(std::string_view pattern);

// The pattern's `(#...)` predicate groups, in order, separated by spaces.
std::string PatternPredicates(std::string_view pattern);

// The top-level patterns of a query: each `( ... )`, `[ ... ]` or `"..."` with the quantifiers
// and captures after it. Offsets are where tree-sitter's ts_query_start_byte_for_pattern puts
// them. Nullopt for anything else (an unbalanced group, a bare `_`): the caller then compiles the
// query as written and lets tree-sitter report it.
struct PatternSpan {
  size_t offset = 0;
  size_t length = 0;
};
std::optional<std::vector<PatternSpan>> SplitPatterns(std::string_view query);

}  // namespace referee::analyzers::python
