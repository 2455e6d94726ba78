// Runs tasks in child processes so that whatever a hostile input still does to an analysis — a
// crash, a hang, a memory blow-up — ends that one task and not the run (issue 20).
//
// `jobs` children are forked from the caller (after the analyzers are prepared: they inherit the
// compiled rules copy-on-write) and each runs tasks one at a time, on a large stack, until the
// pool ends. A child that dies, runs a task past `seconds` or grows past `memory_bytes` of
// resident memory is killed and replaced; its task fails with a one-line reason and every other
// task's result is kept. What children write to stderr is passed on, each distinct line once.
//
//   std::vector<TaskResult> results = RunInChildren(files.size(), jobs, limits,
//       [&](int i) { return Encode(Analyze(files[i])); }, [&](int i) { progress.Done(i); });
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace referee::analyzers {

struct ChildLimits {
  double seconds = 0;          // per task, wall clock; 0: none
  uint64_t memory_bytes = 0;   // resident set of the child while it runs a task; 0: none
};

struct TaskResult {
  bool ok = false;
  std::string reply;    // what the task returned, when ok
  std::string failure;  // why not: "crashed (signal 11, SIGSEGV)", "ran past ...", ...
};

// Runs task(i) for i in [0, count) in up to `jobs` child processes (0: one per core); done(i) is
// called in the caller's process as each task ends. Call it with no other threads running.
std::vector<TaskResult> RunInChildren(int count, int jobs, const ChildLimits& limits,
                                      const std::function<std::string(int)>& task,
                                      const std::function<void(int)>& done);

}  // namespace referee::analyzers
