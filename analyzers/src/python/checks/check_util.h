// Small tree queries shared by the built-in checks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "python/module_index.h"

namespace referee::analyzers::python {

// Every descendant of `root` (inclusive) of node type `type`, in document
// order.
std::vector<TSNode> Descendants(TSNode root, const char* type);
// True when some identifier or attribute chain under `root` has exactly the
// text `name`.
bool MentionsText(TSNode root, std::string_view src, std::string_view name);
// The attribute name of a call's callee (`x.data_ptr()` -> "data_ptr"), or its
// identifier.
std::string_view CalleeLastName(TSNode call, std::string_view src);
// The nodes of `fn` that belong to it and not to nested functions or classes.
bool OwnedBy(TSNode n, TSNode fn);
// Module-level statements stand in for a function when `fn` is null.
TSNode ScopeNode(TSNode fn, const ModuleIndex& index);

}  // namespace referee::analyzers::python
