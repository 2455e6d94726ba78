// The candidate-code model of one Python file (issue 18). Every audited file is candidate code;
// what differs is its context and which of its code runs:
//
//   - context: kernel submission, training script or other candidate code (a helper module of a
//     submission, a file the task says nothing about), from the trusted config (`context:`) or
//     inferred: a training script calls the sanctioned evaluator, imports the fixed harness or
//     keeps a training clock; a kernel submission defines an entry point the task names
//     (SOL-ExecBench `run`, KernelBench `ModelNew`, gpu-mode `custom_kernel`, pygpubench
//     `kernel`, `--entry NAME`) or uses a GPU-kernel library.
//   - scope: module-level code (run at import; class bodies and decorators included; the
//     `if __name__ == "__main__":` block only where the file is run as a script, i.e. not in a
//     kernel submission) and every function reachable from it or from an entry point. Calls are
//     followed by name, conservatively: a function is reachable when reachable code mentions its
//     name at all (a call, a reference handed to a decorator, a registry, a thread, `getattr`
//     with a string), and a class mentioned makes all of its methods reachable. A module with no
//     entry point of its own is a library of the submission: its functions can be called from an
//     entry in another file, so all of them are treated as called on every harness call.
//   - per call: the code reachable from an entry point, which runs on every harness call (as
//     opposed to once, at import).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "python/module_index.h"
#include "referee/analyzers/audit_config.h"
#include "referee/rules/rule.h"

namespace referee::analyzers::python {

class SubmissionModel {
 public:
  // `training_signals`: the file uses the evaluator, the fixed harness or a training clock
  // (FileContext knows; passed in to keep this independent of the timer analysis).
  SubmissionModel(const ModuleIndex& index, const AuditConfig& config, bool training_signals);

  rules::Context context() const { return context_; }
  // The entry functions found in this file (function_definition nodes); empty in a training
  // script. In a library module, every module-level function and method.
  const std::vector<TSNode>& entries() const { return entries_; }
  bool library_module() const { return library_; }

  // Runs when the candidate is imported or called (see above).
  bool InScope(TSNode n) const;
  // Inside a function reachable from an entry point: runs on every harness call.
  bool PerCall(TSNode n) const;
  // Directly inside an entry point the task names (not in a library module, where every
  // function is one).
  bool InEntryPoint(TSNode n) const;
  // Module-level code run at import, or a function reachable from it.
  bool ImportTime(TSNode n) const;
  // The function_definition `fn` is reachable from an entry point / from import-time code.
  bool FunctionPerCall(TSNode fn) const;
  bool FunctionImportTime(TSNode fn) const;
  // Inside the module's `if __name__ == "__main__":` block.
  bool InMainBlock(TSNode n) const;

 private:
  struct Function {
    TSNode node;
    std::string_view name;
    int klass = -1;                    // index into classes_ when a method
    std::vector<std::string_view> refs;  // names its own code mentions
    bool per_call = false, import_time = false;
  };
  struct Class {
    std::string_view name;
    std::vector<int> methods;
  };
  void CollectFunctions();
  void CollectReferences();
  void FindEntries(const std::vector<std::string>& names);
  void InferContext(const AuditConfig& config, bool training_signals);
  void Propagate(std::vector<int> work, bool per_call,
                 const std::vector<std::string_view>& extra_refs);
  // The innermost function (index into functions_) containing `n`, or -1 at module level.
  int InnermostFunction(TSNode n) const;
  // The index of the function_definition `fn` in functions_, or -1.
  int IndexOf(TSNode fn) const;

  const ModuleIndex& index_;
  rules::Context context_ = rules::Context::kOther;
  bool library_ = false;
  bool entry_class_ = false;  // a class the task names (ModelNew) is defined here
  std::vector<Function> functions_;  // document order, parallel to index.functions()
  std::vector<Class> classes_;
  std::vector<std::string_view> module_refs_, main_refs_;
  uint32_t main_begin_ = 0, main_end_ = 0;  // the __main__ block's bytes (empty: none)
  std::vector<TSNode> entries_;
  std::vector<int> setup_;  // constructors of entry classes: run once, with import-time code
};

// True when `if_statement` is `if __name__ == "__main__":` (either operand order).
bool IsMainGuard(TSNode if_statement, std::string_view src);

}  // namespace referee::analyzers::python
