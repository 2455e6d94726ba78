// The task readers (issue 20): a definition.json, then (after a line '---') a workload.jsonl,
// read as `referee eval` reads them, every workload instantiated against the default budget
// (sizes only: nothing is allocated by Instantiate). The same bytes are also offered to the
// KernelBench reader as a problem file.
#include <unistd.h>

#include <cstdint>
#include <string>

#include "referee/base/file.h"
#include "referee/harness/task.h"

using namespace referee;
using namespace referee::harness;

namespace {

void ReadKernelBench(std::string_view bytes) {
  static const std::string path = [] {
    char dir[] = "/tmp/referee-task-fuzzer-XXXXXX";
    return std::string(mkdtemp(dir)) + "/problem.py";
  }();
  if (!WriteFile(path, bytes).ok()) return;
  Expected<Task> task = LoadTask(path);
  if (task) (void)Instantiate(*task, task->workloads.front());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  size_t split = text.find("\n---\n");
  std::string definition = text.substr(0, split);
  Expected<Task> task = ParseTaskText(definition, "/nonexistent", "definition.json");
  if (task) {
    if (split != std::string::npos) {
      Expected<std::vector<Workload>> more =
          ParseWorkloadJsonl(text.substr(split + 5), "workload.jsonl", *task);
      if (more) task->workloads.insert(task->workloads.end(), more->begin(), more->end());
    }
    for (const Workload& w : task->workloads) (void)Instantiate(*task, w);
  }
  if (size < 4096) ReadKernelBench(text);
  return 0;
}
