// Helpers of the audit driver, exposed to its tests.
#pragma once

#include <functional>
#include <string>

namespace referee::analyzers {

// `path` relative to `cwd` when it lies under it, else lexically normalised as given.
std::string DisplayPath(const std::string& path, const std::string& cwd);

// The process's working directory ("." when it cannot be read).
std::string CurrentDir();

// Runs task(i) for i in [0, count) on up to `jobs` threads (0: one per core). task must not
// throw.
void ParallelFor(int count, int jobs, const std::function<void(int)>& task);

// 1-based line `line` of `content` without its newline; empty when out of range.
std::string LineAt(const std::string& content, int line);

}  // namespace referee::analyzers
