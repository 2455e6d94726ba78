// Finding rule files on disk and the bundled rules directory. std::filesystem is used with
// error_code overloads only, so nothing here throws.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "referee/base/strings.h"
#include "referee/rules/loader.h"

namespace referee::rules {
namespace fs = std::filesystem;

namespace {

bool SkippedDir(const fs::path& dir) {
  std::string name = dir.filename().string();
  return StartsWith(name, ".") || name == "testdata";
}

}  // namespace

Expected<std::vector<std::string>> FindRuleFiles(const std::vector<std::string>& dirs) {
  std::vector<std::string> files;
  for (const std::string& dir : dirs) {
    std::error_code ec;
    fs::file_status st = fs::status(dir, ec);
    if (ec || !fs::exists(st)) {
      return NotFoundError("no such rules directory", SourceLoc{dir, 0, 0});
    }
    if (fs::is_regular_file(st)) {
      files.push_back(dir);
      continue;
    }
    fs::recursive_directory_iterator it(dir, ec), end;
    if (ec) return ErrnoError(dir, ec.value());
    for (; it != end; it.increment(ec)) {
      if (ec) return ErrnoError(dir, ec.value());
      if (it->is_directory(ec) && SkippedDir(it->path())) {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec) && it->path().extension() == ".yaml") {
        files.push_back(it->path().string());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> BundledRuleDirs() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = exe.parent_path().parent_path() / "share" / "referee" / "rules";
    if (fs::is_directory(installed, ec)) return {installed.string()};
  }
#ifdef REFEREE_SOURCE_RULES_DIR
  return {REFEREE_SOURCE_RULES_DIR};
#else
  return {};
#endif
}

}  // namespace referee::rules
