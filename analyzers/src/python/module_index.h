// One pass over a parsed Python module: imports and alias assignments (name
// resolution), classes, functions, calls and module-level assignments, shared
// by the query predicates and the checks.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "python/ts_util.h"

namespace referee::analyzers::python {

// The node kinds the index records. kModuleAssignment is an assignment directly in a module-level
// expression statement.
enum class IndexKind : uint8_t {
  kModuleAssignment,  // before kAssignment: see ModuleIndex(source, root, nodes)
  kAssignment,
  kAugmentedAssignment,
  kCall,
  kClass,
  kFunction,
  kImport,
  kImportFrom,
  kReturn,
  kWithItem,
  kBinaryOperator,
  kFor,
};
struct IndexNode {
  IndexKind kind;
  TSNode node;
};

class ModuleIndex {
 public:
  // Walks the tree.
  ModuleIndex(std::string_view source, TSNode root);
  // From the nodes of the recorded kinds, collected by the caller's own traversal (the query
  // rules' cursor: one traversal per file, issue #4 performance), in any order. A module-level
  // assignment comes both as kModuleAssignment and kAssignment. Same index as the walk.
  ModuleIndex(std::string_view source, TSNode root, std::vector<IndexNode> nodes);

  std::string_view source() const { return source_; }
  TSNode root() const { return root_; }

  // The canonical dotted name of an identifier, attribute chain or call (its
  // callee), through `import x as y`, `from x import y as z` and alias
  // assignments `S = torch.cuda.Stream`: `t.cuda.Stream` ->
  // "torch.cuda.Stream". A call inside a chain is written "f()"
  // (`torch.cuda.current_stream().wait_stream`). Empty when `expr` is not a
  // name chain.
  std::string Resolve(TSNode expr) const;
  // The canonical name an identifier resolves to (itself when unbound).
  std::string ResolveName(std::string_view name) const;

  // The value of a module-level name assigned exactly once (for embedded
  // sources), or null.
  TSNode SingleModuleAssignment(std::string_view name) const;
  // True when `class_def` derives (transitively, within this file) from
  // torch.nn.Module.
  bool IsNnModuleClass(TSNode class_def) const;
  // True when the module imports `module` or something under it (import or
  // from-import).
  bool Imports(std::string_view module) const;
  // A cheap filter before Resolve: can the callee of `call` resolve to a name whose last
  // component is `last`? (Aliases only rewrite a chain's root, so an attribute keeps its last
  // name; a bare identifier may be an alias.)
  // `call_index` indexes calls(); the callee's last name is computed once in the index pass.
  bool CalleeMayEndWith(size_t call_index, std::string_view last) const;

  const std::vector<TSNode>& calls() const { return calls_; }
  const std::vector<TSNode>& functions() const { return functions_; }
  const std::vector<TSNode>& classes() const { return classes_; }
  const std::vector<TSNode>& assignments() const { return assignments_; }  // incl. augmented
  const std::vector<TSNode>& subtractions() const { return subtractions_; }
  const std::vector<TSNode>& returns() const { return returns_; }
  const std::vector<TSNode>& with_items() const { return with_items_; }
  const std::vector<TSNode>& for_statements() const { return for_statements_; }

 private:
  void Visit(TSNode n);
  void Record(IndexKind kind, TSNode n);
  void AddCall(TSNode n);
  void AddImport(TSNode n);
  void AddImportFrom(TSNode n);
  void AddAssignment(TSNode n, bool module_level);
  bool IsNnModuleClassDepth(TSNode class_def, int depth) const;

  std::string_view source_;
  TSNode root_;
  std::map<std::string, std::string, std::less<>> aliases_;  // local name -> canonical
  std::vector<std::string> imported_modules_;
  std::map<std::string, std::vector<TSNode>, std::less<>> module_assignments_;
  std::map<std::string, TSNode, std::less<>> class_by_name_;
  struct CallName {
    std::string_view last;  // attribute name or identifier; empty for other callees
    bool identifier = false;
  };
  std::vector<CallName> call_names_;  // parallel to calls_
  std::vector<TSNode> calls_, functions_, classes_, assignments_, subtractions_, returns_,
      with_items_, for_statements_;
};

// The nodes of `list` (document order) inside `scope`'s byte range.
std::vector<TSNode> NodesIn(const std::vector<TSNode>& list, TSNode scope);

// The last name of a call's callee without resolving it: `a.b.c()` -> "c", `f()` -> "f".
std::string_view CallName(TSNode call, std::string_view src);
// The last dotted component of a canonical name: "time.perf_counter" -> "perf_counter".
std::string_view LastComponent(std::string_view name);

// Strips parentheses around an expression.
TSNode Unparen(TSNode n);

}  // namespace referee::analyzers::python
