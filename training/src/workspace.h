// The work directory a run sees at /work (read-only in both phases): the candidate's editable
// files and the task's pristine fixed files. A candidate's own copy of a fixed file is compared
// with the task's, never used (issue 13 "fixed file changed").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/training/task.h"

namespace referee::training {

struct Workspace {
  std::string dir;                             // <run>/work
  std::vector<std::string> editable;           // relative paths copied from the candidate
  std::vector<std::string> ignored;            // candidate files neither editable nor fixed
  std::vector<std::string> changed_fixed;      // fixed files the candidate's copy changes
  std::map<std::string, std::string> fixed_sha256;  // relative path -> the task's hash
};

// Copies the candidate's editable files (globs of task.editable; at most 1 MiB each, no
// symlinks) and the task's fixed files into <run>/work. Errors: a missing candidate dir or
// script (input errors, located at the candidate path).
Expected<Workspace> PrepareWorkspace(const TrainingTask& task, const std::string& candidate_dir,
                                     const std::string& run_dir);

// Re-hashes the fixed files in the work dir: the names of those that changed (a run must not
// be able to change them; they are bound read-only, this checks that it held).
std::vector<std::string> ChangedFixedFiles(const Workspace& ws);

}  // namespace referee::training
