#include "python/submission.h"

#include <algorithm>
#include <map>

namespace referee::analyzers::python {
namespace {

bool IsIdentifierText(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// The content of a plain string literal node (no interpolation), or "".
std::string_view StringContent(TSNode s, std::string_view src) {
  if (ts_node_named_child_count(s) != 3) return {};
  TSNode content = ts_node_named_child(s, 1);
  if (!Is(content, "string_content")) return {};
  return NodeText(content, src);
}

// The class whose body directly holds `fn` (through a decorated_definition), or null.
TSNode OwningClass(TSNode fn) {
  TSNode p = Parent(fn);
  if (Is(p, "decorated_definition")) p = Parent(p);
  if (!Is(p, "block")) return {};
  p = Parent(p);
  return Is(p, "class_definition") ? p : TSNode{};
}

bool AtModuleTop(TSNode def) {
  TSNode p = Parent(def);
  if (Is(p, "decorated_definition")) p = Parent(p);
  return Is(p, "module");
}

}  // namespace

bool IsMainGuard(TSNode if_statement, std::string_view src) {
  TSNode cond = Unparen(Field(if_statement, "condition"));
  if (!Is(cond, "comparison_operator") || ts_node_named_child_count(cond) != 2) return false;
  std::string_view a = NodeText(ts_node_named_child(cond, 0), src);
  std::string_view b = NodeText(ts_node_named_child(cond, 1), src);
  auto is_main = [](std::string_view s) { return s == "\"__main__\"" || s == "'__main__'"; };
  return (a == "__name__" && is_main(b)) || (b == "__name__" && is_main(a));
}

SubmissionModel::SubmissionModel(const ModuleIndex& index, const AuditConfig& config,
                                 bool training_signals)
    : index_(index) {
  CollectFunctions();
  CollectReferences();
  FindEntries(config.entry_functions);
  InferContext(config, training_signals);
  if (context_ == rules::Context::kTraining) {
    entries_.clear();
    library_ = false;
  } else if (entries_.empty()) {
    // A library module of the submission: any function can be called from an entry elsewhere.
    library_ = true;
    for (const Function& f : functions_) {
      TSNode klass = OwningClass(f.node);
      if (AtModuleTop(f.node) || (!ts_node_is_null(klass) && AtModuleTop(klass))) {
        entries_.push_back(f.node);
      }
    }
  }
  std::vector<int> roots;
  for (TSNode e : entries_) {
    for (size_t i = 0; i < functions_.size(); ++i) {
      if (ts_node_eq(functions_[i].node, e)) roots.push_back(int(i));
    }
  }
  // A decorated entry point is whatever its decorators return: the wrappers they build run on
  // every call (a memoizing or offloading decorator).
  std::vector<std::string_view> decorator_refs;
  for (TSNode e : entries_) {
    TSNode decorated = Parent(e);
    if (!Is(decorated, "decorated_definition")) continue;
    uint32_t n = ts_node_named_child_count(decorated);
    for (uint32_t i = 0; i < n; ++i) {
      TSNode d = ts_node_named_child(decorated, i);
      if (!Is(d, "decorator")) continue;
      Walk(d, [&](TSNode id) {
        if (Is(id, "identifier")) decorator_refs.push_back(NodeText(id, index_.source()));
        return true;
      });
    }
  }
  Propagate(roots, /*per_call=*/true, decorator_refs);
  Propagate(setup_, /*per_call=*/false, {});
}

void SubmissionModel::CollectFunctions() {
  std::string_view src = index_.source();
  std::map<uint32_t, int> class_at;  // class start byte -> classes_ index
  for (TSNode c : index_.classes()) {
    class_at[ts_node_start_byte(c)] = int(classes_.size());
    classes_.push_back({NodeText(Field(c, "name"), src), {}});
  }
  for (TSNode fn : index_.functions()) {
    Function f;
    f.node = fn;
    f.name = NodeText(Field(fn, "name"), src);
    TSNode klass = OwningClass(fn);
    if (!ts_node_is_null(klass)) {
      auto it = class_at.find(ts_node_start_byte(klass));
      if (it != class_at.end()) {
        f.klass = it->second;
        classes_[it->second].methods.push_back(int(functions_.size()));
      }
    }
    functions_.push_back(std::move(f));
  }
}

// One walk of the tree: every identifier, attribute name and identifier-like string literal is a
// reference of the innermost function around it (or of module-level code, or of the __main__
// block).
void SubmissionModel::CollectReferences() {
  std::string_view src = index_.source();
  TSNode root = index_.root();
  uint32_t count = ts_node_named_child_count(root);
  for (uint32_t i = 0; i < count; ++i) {
    TSNode stmt = ts_node_named_child(root, i);
    if (Is(stmt, "if_statement") && IsMainGuard(stmt, src)) {
      main_begin_ = ts_node_start_byte(stmt);
      main_end_ = ts_node_end_byte(stmt);
    }
  }
  std::vector<std::pair<uint32_t, int>> stack;  // (end byte, function index)
  size_t next_fn = 0;
  Walk(root, [&](TSNode n) {
    uint32_t begin = ts_node_start_byte(n);
    while (!stack.empty() && begin >= stack.back().first) stack.pop_back();
    const char* type = ts_node_type(n);
    if (std::strcmp(type, "function_definition") == 0) {
      while (next_fn < functions_.size() && ts_node_start_byte(functions_[next_fn].node) < begin) {
        ++next_fn;
      }
      if (next_fn < functions_.size() && ts_node_eq(functions_[next_fn].node, n)) {
        // Default values and annotations run where the def is; the body is the function's.
        stack.emplace_back(ts_node_end_byte(n), int(next_fn++));
      }
      return true;
    }
    std::string_view name;
    if (std::strcmp(type, "identifier") == 0) {
      name = NodeText(n, src);
    } else if (std::strcmp(type, "string") == 0) {
      name = StringContent(n, src);
      if (!IsIdentifierText(name)) name = {};
    }
    if (name.empty()) return true;
    if (!stack.empty()) {
      functions_[stack.back().second].refs.push_back(name);
    } else if (main_end_ > main_begin_ && begin >= main_begin_ && begin < main_end_) {
      main_refs_.push_back(name);
    } else {
      module_refs_.push_back(name);
    }
    return std::strcmp(type, "string") != 0;
  });
}

void SubmissionModel::FindEntries(const std::vector<std::string>& names) {
  auto named = [&](std::string_view n) {
    return std::find(names.begin(), names.end(), n) != names.end();
  };
  // A class the task names (ModelNew): the harness constructs it once (__init__: setup, like
  // import time) and calls it on every call (forward, __call__); its other methods are reached
  // from those.
  for (size_t c = 0; c < classes_.size(); ++c) {
    if (!named(classes_[c].name)) continue;
    entry_class_ = true;
    for (int m : classes_[c].methods) {
      std::string_view name = functions_[m].name;
      if (name == "forward" || name == "__call__") entries_.push_back(functions_[m].node);
      if (name == "__init__" || name == "__new__") setup_.push_back(m);
    }
  }
  for (const Function& f : functions_) {
    if (!named(f.name)) continue;
    TSNode klass = OwningClass(f.node);
    // A module-level function, or a method of a module-level class (ModelNew.forward).
    if (AtModuleTop(f.node) || (!ts_node_is_null(klass) && AtModuleTop(klass))) {
      entries_.push_back(f.node);
    }
  }
  std::sort(entries_.begin(), entries_.end(), [](TSNode a, TSNode b) {
    return ts_node_start_byte(a) < ts_node_start_byte(b);
  });
  entries_.erase(std::unique(entries_.begin(), entries_.end(),
                             [](TSNode a, TSNode b) { return ts_node_eq(a, b); }),
                 entries_.end());
}

void SubmissionModel::InferContext(const AuditConfig& config, bool training_signals) {
  if (config.context == "kernel") {
    context_ = rules::Context::kKernel;
  } else if (config.context == "training") {
    context_ = rules::Context::kTraining;
  } else if (config.context == "other") {
    context_ = rules::Context::kOther;
  } else if (training_signals) {
    context_ = rules::Context::kTraining;
  } else {
    // An entry point other than a bare forward/__call__ (every nn.Module has those) marks a
    // kernel submission, as does a GPU-kernel library.
    bool kernel = entry_class_;
    for (TSNode e : entries_) {
      std::string_view name = NodeText(Field(e, "name"), index_.source());
      kernel = kernel || (name != "forward" && name != "__call__");
    }
    for (const char* m : {"triton", "cupy", "torch.utils.cpp_extension", "cutlass",
                          "cuda.bindings", "cuda.cuda", "tilelang", "thunderkittens", "numba.cuda",
                          "pycuda"}) {
      kernel = kernel || index_.Imports(m);
    }
    context_ = kernel ? rules::Context::kKernel : rules::Context::kOther;
  }
}

void SubmissionModel::Propagate(std::vector<int> work, bool per_call,
                                const std::vector<std::string_view>& extra_refs) {
  std::map<std::string_view, std::vector<int>> by_name;  // functions and classes' methods
  for (size_t i = 0; i < functions_.size(); ++i) by_name[functions_[i].name].push_back(int(i));
  for (const Class& c : classes_) {
    for (int m : c.methods) by_name[c.name].push_back(m);
  }
  auto mark = [&](int i) {
    bool& flag = per_call ? functions_[i].per_call : functions_[i].import_time;
    if (flag) return;
    flag = true;
    work.push_back(i);
  };
  auto mention = [&](std::string_view name) {
    auto it = by_name.find(name);
    if (it == by_name.end()) return;
    for (int i : it->second) mark(i);
  };
  std::vector<int> roots = std::move(work);
  work.clear();
  for (int r : roots) mark(r);
  for (std::string_view n : extra_refs) mention(n);
  if (!per_call) {
    for (std::string_view n : module_refs_) mention(n);
    if (context_ != rules::Context::kKernel) {
      for (std::string_view n : main_refs_) mention(n);
    }
  }
  while (!work.empty()) {
    int i = work.back();
    work.pop_back();
    for (std::string_view n : functions_[i].refs) mention(n);
  }
}

int SubmissionModel::IndexOf(TSNode fn) const {
  uint32_t b = ts_node_start_byte(fn);
  auto it = std::lower_bound(functions_.begin(), functions_.end(), b,
                             [](const Function& f, uint32_t v) {
                               return ts_node_start_byte(f.node) < v;
                             });
  for (; it != functions_.end() && ts_node_start_byte(it->node) == b; ++it) {
    if (ts_node_eq(it->node, fn)) return int(it - functions_.begin());
  }
  return -1;
}

int SubmissionModel::InnermostFunction(TSNode n) const {
  for (TSNode p = Parent(n); !ts_node_is_null(p); p = Parent(p)) {
    if (Is(p, "function_definition")) return IndexOf(p);
  }
  return -1;
}

bool SubmissionModel::InMainBlock(TSNode n) const {
  uint32_t b = ts_node_start_byte(n);
  return main_end_ > main_begin_ && b >= main_begin_ && b < main_end_;
}

bool SubmissionModel::InScope(TSNode n) const {
  int f = InnermostFunction(n);
  if (f < 0) return context_ != rules::Context::kKernel || !InMainBlock(n);
  return functions_[f].per_call || functions_[f].import_time;
}

bool SubmissionModel::PerCall(TSNode n) const {
  int f = InnermostFunction(n);
  return f >= 0 && functions_[f].per_call;
}

bool SubmissionModel::InEntryPoint(TSNode n) const {
  if (library_) return false;
  int f = InnermostFunction(n);
  if (f < 0) return false;
  for (TSNode e : entries_) {
    if (ts_node_eq(e, functions_[f].node)) return true;
  }
  return false;
}

bool SubmissionModel::ImportTime(TSNode n) const {
  int f = InnermostFunction(n);
  if (f < 0) return context_ != rules::Context::kKernel || !InMainBlock(n);
  return functions_[f].import_time;
}

bool SubmissionModel::FunctionPerCall(TSNode fn) const {
  int i = IndexOf(fn);
  return i >= 0 && functions_[i].per_call;
}

bool SubmissionModel::FunctionImportTime(TSNode fn) const {
  int i = IndexOf(fn);
  return i >= 0 && functions_[i].import_time;
}

}  // namespace referee::analyzers::python
