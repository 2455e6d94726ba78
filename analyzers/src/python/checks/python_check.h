// Built-in Python checks (issue #4): one class per check for what a tree-sitter
// query cannot express (data flow within a function, ordering, joins). A rule
// names a check with `check:`; the check reports nodes and the rule supplies
// id, severity and message.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "python/file_context.h"

namespace referee::analyzers::python {

struct CheckHit {
  TSNode node;
  std::string detail;  // appended to the rule's message when non-empty
};

class PythonCheck {
 public:
  virtual ~PythonCheck() = default;
  virtual const char* name() const = 0;
  virtual std::vector<CheckHit> Run(const FileContext& ctx,
                                    const std::map<std::string, std::string>& options) const = 0;
};

// Every built-in check, in a fixed order (explicit registration; no static
// registries).
std::vector<std::unique_ptr<PythonCheck>> RegisterPythonChecks();

std::unique_ptr<PythonCheck> MakeOutputCacheCheck();
std::unique_ptr<PythonCheck> MakeSideStreamJoinCheck();
std::unique_ptr<PythonCheck> MakeValidationDataCheck();
std::unique_ptr<PythonCheck> MakeMetricLineCheck();
std::unique_ptr<PythonCheck> MakeWorkBeforeTimerCheck();
std::unique_ptr<PythonCheck> MakeWarmupRestoreCheck();
std::unique_ptr<PythonCheck> MakeClockScalingCheck();
std::unique_ptr<PythonCheck> MakeClockWithoutSyncCheck();
std::unique_ptr<PythonCheck> MakeSeedOverrideCheck();
std::unique_ptr<PythonCheck> MakeUnjoinedWorkerCheck();
std::unique_ptr<PythonCheck> MakeLibraryPatchCheck();
std::unique_ptr<PythonCheck> MakeStateGateCheck();
std::unique_ptr<PythonCheck> MakeInputWriteCheck();
std::unique_ptr<PythonCheck> MakeModeGateCheck();
std::unique_ptr<PythonCheck> MakeValidationGlobCheck();
std::unique_ptr<PythonCheck> MakeFilePersistenceCheck();
std::unique_ptr<PythonCheck> MakeUnlaunchedKernelCheck();

}  // namespace referee::analyzers::python
