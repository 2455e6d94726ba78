// Scope questions about a node, answered by walking its ancestors (issue #4,
// Referee predicates): inside a function named X, inside an nn.Module class,
// inside a loop, inside an @triton.jit function, at module level, inside a try
// body or an except handler.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "python/module_index.h"

namespace referee::analyzers::python {

// The innermost function_definition or lambda around `n` (excluding `n`
// itself), or null.
TSNode EnclosingFunction(TSNode n);
// The innermost function_definition around `n` (excluding `n`; lambdas skipped), or null.
TSNode EnclosingFunctionDefinition(TSNode n);
// True when some enclosing function's name is in `names` (any function when
// `names` is empty).
bool InsideFunction(TSNode n, std::string_view src, const std::vector<std::string>& names);
// True when the innermost enclosing class (between `n` and the module) derives
// from nn.Module.
bool InsideNnModule(TSNode n, const ModuleIndex& index);
// Inside the body of a for/while loop (or a comprehension) of the same
// function.
bool InsideLoop(TSNode n);
// Inside a function decorated with triton.jit (or triton.autotune/heuristics
// over it).
bool InsideTritonJit(TSNode n, const ModuleIndex& index);
// Not inside any function or lambda (class bodies run at import time and count
// as module level).
bool AtModuleLevel(TSNode n);
// Inside the body of a try statement (not its handlers).
bool InsideTryBody(TSNode n);
// Inside an except clause.
bool InsideExcept(TSNode n);
// Inside a class named one of `names`.
bool InsideClass(TSNode n, std::string_view src, const std::vector<std::string>& names);

}  // namespace referee::analyzers::python
