#include "traceback.h"

#include <cstdlib>

#include "referee/base/strings.h"

namespace referee::training {

std::string LastLine(const std::string& text, size_t max) {
  std::vector<std::string> lines = StrSplit(text, '\n');
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    std::string line(StripWhitespace(*it));
    if (line.empty()) continue;
    return line.size() > max ? line.substr(0, max) + "..." : line;
  }
  return "";
}

std::optional<PythonError> ParseTraceback(
    const std::string& text, const std::vector<std::pair<std::string, std::string>>& mapped) {
  size_t start = text.rfind("Traceback (most recent call last):");
  if (start == std::string::npos) return std::nullopt;
  PythonError err;
  bool in_frames = true;
  for (const std::string& line : StrSplit(text.substr(start), '\n')) {
    std::string_view trimmed = StripWhitespace(line);
    if (StartsWith(trimmed, "File \"")) {
      size_t q = trimmed.find('"', 6);
      size_t at = trimmed.find(", line ");
      if (q == std::string::npos || at == std::string::npos) continue;
      std::string file(trimmed.substr(6, q - 6));
      int lineno = std::atoi(std::string(trimmed.substr(at + 7)).c_str());
      for (const auto& [from, shown] : mapped) {
        if (StartsWith(file, from)) err.loc = SourceLoc{shown + file.substr(from.size()), lineno};
      }
      continue;
    }
    // The exception line: unindented, after the frames (a chained traceback starts again).
    if (!line.empty() && line[0] != ' ' && !StartsWith(line, "Traceback") && in_frames) {
      err.message = std::string(StripWhitespace(line));
    }
  }
  if (err.message.size() > 300) err.message = err.message.substr(0, 300) + "...";
  if (err.message.empty()) err.message = "the script raised an exception";
  return err;
}

}  // namespace referee::training
