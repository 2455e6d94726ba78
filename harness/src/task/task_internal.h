// Shared by the task readers (native/SOL-ExecBench JSON and KernelBench).
#pragma once

#include <string>

#include "referee/harness/task.h"

namespace referee::harness {

struct TaskContext {
  std::string dir;
  std::string path;  // the file being read
  std::string text;  // its text, to locate keys for line:col
};

SourceLoc LocateKey(const std::string& text, const std::string& path, const std::string& key);
Expected<Tolerance> ParseTolerance(const Json& j, Tolerance base, const TaskContext& ctx);
Status ResolveReference(const Json& j, const TaskContext& ctx, Task& task);
Expected<Task> LoadKernelBenchTask(const std::string& py_path);

}  // namespace referee::harness
