// Finding rule files on disk and the bundled rules directory. std::filesystem is used with
// error_code overloads only, so nothing here throws.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

#include "referee/base/file.h"
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

std::string RuleSetHash(const RuleSet& set) {
  std::vector<const Rule*> sorted;
  for (const Rule& r : set.rules) sorted.push_back(&r);
  std::sort(sorted.begin(), sorted.end(),
            [](const Rule* a, const Rule* b) { return a->id < b->id; });
  uint64_t h = 1469598103934665603ull;  // FNV-1a: the rules are trusted, collisions are moot
  auto mix = [&h](std::string_view bytes) {
    for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
  };
  for (const Rule* r : sorted) {
    mix(r->id);
    Expected<std::string> text = ReadFile(r->source_path);
    mix(text ? *text : std::string("\x01unreadable"));
  }
  return StrFormat("%016llx", static_cast<unsigned long long>(h));
}

}  // namespace referee::rules
