// A Python traceback (the candidate's stderr, or the model server's error text) turned into a
// one-line, located error: `train.py:42: error: ZeroDivisionError: division by zero`.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "referee/base/status.h"

namespace referee::training {

struct PythonError {
  SourceLoc loc;        // the innermost frame in one of the mapped directories
  std::string message;  // "ZeroDivisionError: division by zero"
};

// `mapped` holds (sandbox prefix, shown prefix) pairs, e.g. {"/work/", "cand/"}: only frames
// under those prefixes are candidate code. nullopt when `text` holds no traceback.
std::optional<PythonError> ParseTraceback(
    const std::string& text, const std::vector<std::pair<std::string, std::string>>& mapped);

// The last non-empty line of `text`, trimmed to `max` bytes ("" if none).
std::string LastLine(const std::string& text, size_t max = 300);

}  // namespace referee::training
