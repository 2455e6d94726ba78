#include "python/scopes.h"

#include <algorithm>

namespace referee::analyzers::python {
namespace {

bool IsFunction(TSNode n) { return Is(n, "function_definition") || Is(n, "lambda"); }

bool NameIn(std::string_view name, const std::vector<std::string>& names) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

// EnclosingFunction's answers for the current tree. The checks ask it for every call and
// assignment of a function (OwnedBy), once per function: the walk up is shared by memoizing every
// node passed on the way.
thread_local TreeMemo<TSNode> enclosing_functions;

TSNode EnclosingFunction(TSNode n) {
  if (ts_node_is_null(n)) return {};
  NodeMemo<TSNode>& memo = enclosing_functions.For(n);
  if (const TSNode* known = memo.Find(n)) return *known;
  // The nodes from `n` up to the answer (a function, a node already answered, or the root) all
  // have that answer.
  thread_local std::vector<TSNode> chain;
  chain.assign(1, n);
  TSNode found{};
  for (TSNode p = Parent(n); !ts_node_is_null(p); p = Parent(p)) {
    if (IsFunction(p)) {
      found = p;
      break;
    }
    if (const TSNode* known = memo.Find(p)) {
      found = *known;
      break;
    }
    chain.push_back(p);
  }
  for (TSNode c : chain) memo.Insert(c, found);
  return found;
}

TSNode EnclosingFunctionDefinition(TSNode n) {
  // EnclosingFunction's chain is every function and lambda around `n`, innermost first.
  TSNode fn = EnclosingFunction(n);
  while (Is(fn, "lambda")) fn = EnclosingFunction(fn);
  return fn;
}

bool InsideFunction(TSNode n, std::string_view src, const std::vector<std::string>& names) {
  for (TSNode p = Parent(n); !ts_node_is_null(p); p = Parent(p)) {
    if (!Is(p, "function_definition")) continue;
    if (names.empty() || NameIn(NodeText(Field(p, "name"), src), names)) return true;
  }
  return false;
}

bool InsideNnModule(TSNode n, const ModuleIndex& index) {
  for (TSNode p = Parent(n); !ts_node_is_null(p); p = Parent(p)) {
    if (Is(p, "class_definition")) return index.IsNnModuleClass(p);
  }
  return false;
}

bool InsideLoop(TSNode n) {
  TSNode child = n;
  for (TSNode p = Parent(n); !ts_node_is_null(p); child = p, p = Parent(p)) {
    if (IsFunction(p) || Is(p, "class_definition")) return false;
    if (Is(p, "for_statement") || Is(p, "while_statement")) {
      // The loop's body (and else) repeat; its iterable/condition header does
      // not count.
      TSNode body = Field(p, "body");
      if (!ts_node_is_null(body) && Contains(body, child)) return true;
    }
    if (Is(p, "list_comprehension") || Is(p, "set_comprehension") ||
        Is(p, "dictionary_comprehension") || Is(p, "generator_expression")) {
      return true;
    }
  }
  return false;
}

bool InsideTritonJit(TSNode n, const ModuleIndex& index) {
  for (TSNode p = Parent(n); !ts_node_is_null(p); p = Parent(p)) {
    if (!Is(p, "decorated_definition")) continue;
    uint32_t count = ts_node_named_child_count(p);
    for (uint32_t i = 0; i < count; ++i) {
      TSNode d = ts_node_named_child(p, i);
      if (!Is(d, "decorator") || ts_node_named_child_count(d) == 0) continue;
      std::string name = index.Resolve(ts_node_named_child(d, 0));
      if (name == "triton.jit" || name.rfind("triton.jit", 0) == 0 ||
          name == "triton.language.jit") {
        return true;
      }
    }
  }
  return false;
}

bool AtModuleLevel(TSNode n) { return ts_node_is_null(EnclosingFunction(n)); }

bool InsideTryBody(TSNode n) {
  TSNode child = n;
  for (TSNode p = Parent(n); !ts_node_is_null(p); child = p, p = Parent(p)) {
    if (IsFunction(p)) return false;
    if (Is(p, "try_statement")) {
      TSNode body = Field(p, "body");
      if (!ts_node_is_null(body) && Contains(body, child)) return true;
    }
  }
  return false;
}

bool InsideExcept(TSNode n) {
  for (TSNode p = Parent(n); !ts_node_is_null(p); p = Parent(p)) {
    if (IsFunction(p)) return false;
    if (Is(p, "except_clause") || Is(p, "except_group_clause")) return true;
  }
  return false;
}

bool InsideClass(TSNode n, std::string_view src, const std::vector<std::string>& names) {
  for (TSNode p = Parent(n); !ts_node_is_null(p); p = Parent(p)) {
    if (Is(p, "class_definition") &&
        (names.empty() || NameIn(NodeText(Field(p, "name"), src), names))) {
      return true;
    }
  }
  return false;
}

}  // namespace referee::analyzers::python
