#include "python/checks/check_util.h"

#include "python/scopes.h"

namespace referee::analyzers::python {

std::vector<TSNode> Descendants(TSNode root, const char* type) {
  std::vector<TSNode> out;
  Walk(root, [&](TSNode n) {
    if (Is(n, type)) out.push_back(n);
    return true;
  });
  return out;
}

bool MentionsText(TSNode root, std::string_view src, std::string_view name) {
  bool found = false;
  Walk(root, [&](TSNode n) {
    if (found) return false;
    if ((Is(n, "identifier") || Is(n, "attribute") || Is(n, "subscript")) &&
        NodeText(n, src) == name) {
      found = true;
    }
    return !found;
  });
  return found;
}

std::string_view CalleeLastName(TSNode call, std::string_view src) {
  TSNode f = Unparen(Field(call, "function"));
  if (Is(f, "attribute")) return NodeText(Field(f, "attribute"), src);
  if (Is(f, "identifier")) return NodeText(f, src);
  return {};
}

bool OwnedBy(TSNode n, TSNode fn) {
  TSNode enclosing = EnclosingFunction(n);
  if (ts_node_is_null(fn)) return ts_node_is_null(enclosing);
  return !ts_node_is_null(enclosing) && ts_node_eq(enclosing, fn);
}

TSNode ScopeNode(TSNode fn, const ModuleIndex& index) {
  return ts_node_is_null(fn) ? index.root() : fn;
}

}  // namespace referee::analyzers::python
