// Shared by the task readers (native/SOL-ExecBench JSON and KernelBench).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

#include "referee/harness/task.h"
#include "task/json_locator.h"

namespace referee::harness {

// The file being read and where its values are. Every field is read through the typed getters
// below (issue 20): a value of the wrong type is a located error, never nlohmann's type_error
// (which surfaced as "internal error", exit 3).
struct TaskContext {
  std::string dir;
  std::string path;  // the file being read
  const JsonLocator* where = nullptr;

  SourceLoc At(std::string_view pointer) const;
  Status Error(std::string_view pointer, std::string message) const;
  // `pointer`/`key`, escaped.
  static std::string Child(std::string_view pointer, std::string_view key);
  static std::string Child(std::string_view pointer, size_t index);

  // Absent (or null) keys give nullopt; a present key of another type is an error.
  Expected<std::optional<std::string>> OptString(const Json& object, std::string_view pointer,
                                                 const char* key) const;
  Expected<std::optional<double>> OptNumber(const Json& object, std::string_view pointer,
                                            const char* key) const;
  Expected<std::optional<bool>> OptBool(const Json& object, std::string_view pointer,
                                        const char* key) const;
  // Every key of the object at `pointer` is in `known` or `ignored` (issue 15: a misspelt key,
  // `tolerence`, silently left the default tolerance in force). The error is located at the key
  // and names the closest known key ("did you mean 'tolerance'?") where one is close.
  Status CheckKeys(const Json& object, std::string_view pointer,
                   std::initializer_list<std::string_view> known,
                   std::initializer_list<std::string_view> ignored = {}) const;
};

// `text` safe to print on one line: control bytes, DEL and non-ASCII bytes as \xNN, at most
// `max` bytes of it kept (task errors echoed raw bytes and NULs, issue 20).
std::string Printable(std::string_view text, size_t max = 200);

Expected<Tolerance> ParseTolerance(const Json& j, Tolerance base, const TaskContext& ctx,
                                   const std::string& pointer);
Expected<Workload> ParseWorkload(const Json& j, const TaskContext& ctx, const Task& task,
                                 size_t index, const std::string& pointer);
Status ResolveReference(const Json& j, const TaskContext& ctx, Task& task);
Expected<Task> LoadKernelBenchTask(const std::string& py_path, const TaskLimits& limits);
// One line of workload.jsonl (line 1-based; `index` names unnamed workloads); nullopt when blank.
Expected<std::optional<Workload>> ParseWorkloadLine(std::string_view row, const std::string& path,
                                                    int line, const Task& task, size_t index);
// One tensor of a safetensors file, checked against the definition's dtype and shape; the
// header's length and every offset bounded by the file's size before anything is allocated.
// Errors are located at the file, with the byte position in the message.
Expected<std::string> ReadSafetensorsTensor(const std::string& path, const std::string& key,
                                            DType dtype, const std::vector<long long>& shape,
                                            uint64_t max_bytes);
// Workloads of workload.jsonl, read line by line from the file (never whole into memory).
Expected<std::vector<Workload>> ReadWorkloadFile(const std::string& path, const Task& task);

}  // namespace referee::harness
