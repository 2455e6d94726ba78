#include "python/checks/python_check.h"

namespace referee::analyzers::python {

std::vector<std::unique_ptr<PythonCheck>> RegisterPythonChecks() {
  std::vector<std::unique_ptr<PythonCheck>> checks;
  checks.push_back(MakeOutputCacheCheck());
  checks.push_back(MakeSideStreamJoinCheck());
  checks.push_back(MakeValidationDataCheck());
  checks.push_back(MakeMetricLineCheck());
  checks.push_back(MakeWorkBeforeTimerCheck());
  checks.push_back(MakeWarmupRestoreCheck());
  checks.push_back(MakeClockScalingCheck());
  checks.push_back(MakeClockWithoutSyncCheck());
  checks.push_back(MakeSeedOverrideCheck());
  checks.push_back(MakeUnjoinedWorkerCheck());
  checks.push_back(MakeLibraryPatchCheck());
  checks.push_back(MakeStateGateCheck());
  checks.push_back(MakeInputWriteCheck());
  checks.push_back(MakeModeGateCheck());
  checks.push_back(MakeValidationGlobCheck());
  checks.push_back(MakeFilePersistenceCheck());
  checks.push_back(MakeUnlaunchedKernelCheck());
  return checks;
}

}  // namespace referee::analyzers::python
