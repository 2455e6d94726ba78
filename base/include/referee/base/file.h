// Whole-file reads and writes with errors as values.
#pragma once

#include <string>
#include <string_view>

#include "referee/base/expected.h"

namespace referee {

Expected<std::string> ReadFile(const std::string& path);
// Writes atomically (temp file + rename) so a crash never leaves half a report.
Status WriteFile(const std::string& path, std::string_view content);
// True when the first 8 KiB hold a NUL byte (binary files are not source).
bool LooksBinary(std::string_view content);

}  // namespace referee
