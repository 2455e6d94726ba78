// The structural part of a tree-sitter query pattern: its text without
// predicates and comments, whitespace collapsed. Query rules whose patterns
// share a structure are matched once (issue #4, performance): `((call function:
// (_) @fn) @hit (#resolves-to? @fn "os.getenv"))` and
// `((call function: (_) @fn) @hit (#resolves-match? @fn "^subprocess\\."))`
// both become
// `((call function: (_) @fn) @hit )`.
#pragma once

#include <string>
#include <string_view>

namespace referee::analyzers::python {

// `pattern` is one top-level pattern's text (as ts_query_start_byte_for_pattern
// delimits it). Strings are kept verbatim, `(#...)` groups and `;` comments
// dropped.
std::string PatternStructure(std::string_view pattern);

} // namespace referee::analyzers::python
