// Walking the audit's input paths. std::filesystem is used through its error_code overloads
// only, so nothing here throws.
#include <filesystem>
#include <set>
#include <system_error>

#include "audit_internal.h"
#include "referee/analyzers/audit.h"
#include "referee/base/strings.h"
#include "referee/rules/language.h"

namespace referee::analyzers {
namespace fs = std::filesystem;
namespace {

// Directories no one means to audit when they name a parent: VCS metadata, build trees,
// virtualenvs, caches.
bool SkipDirectory(const fs::path& dir) {
  std::string name = dir.filename().string();
  std::error_code ec;
  return StartsWith(name, ".") || name == "__pycache__" || name == "node_modules" ||
         fs::exists(dir / "CMakeCache.txt", ec) || fs::exists(dir / "pyvenv.cfg", ec);
}

rules::FileResult Rejected(const std::string& display, std::string error) {
  rules::FileResult r;
  r.path = display;
  r.language = rules::LanguageForPath(display).value_or(rules::Language::kCpp);
  r.status = rules::FileStatus::kError;
  r.error = display + ": error: " + error;
  return r;
}

class Collector {
 public:
  explicit Collector(const std::string& cwd) : cwd_(cwd) {}
  void Add(const std::string& path);
  InputSet Take() { return std::move(set_); }

 private:
  void AddFile(const std::string& path, bool explicit_path);
  void AddDirectory(const std::string& path);

  std::string cwd_;
  InputSet set_;
  std::set<std::string> seen_;  // canonical paths
};

void Collector::AddFile(const std::string& path, bool explicit_path) {
  std::string display = DisplayPath(path, cwd_);
  std::optional<rules::Language> lang = rules::LanguageForPath(path);
  if (!lang) {
    if (explicit_path) {
      set_.rejected.push_back(Rejected(
          display, "unknown source language (expected .cu .cuh .cpp .cc .cxx .h .hpp .c .py)"));
    }
    return;
  }
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  if (!seen_.insert(ec ? path : canonical.string()).second) return;
  set_.files.push_back(InputFile{path, display, *lang});
}

void Collector::AddDirectory(const std::string& path) {
  size_t before = set_.files.size();
  std::error_code ec;
  std::vector<std::string> found;
  fs::recursive_directory_iterator it(path, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    std::error_code entry_ec;
    if (it->is_directory(entry_ec) && !it->is_symlink(entry_ec)) {
      if (SkipDirectory(it->path())) it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(entry_ec)) found.push_back(it->path().string());
  }
  if (ec) {
    set_.rejected.push_back(Rejected(DisplayPath(path, cwd_), ec.message()));
    return;
  }
  std::sort(found.begin(), found.end());
  for (const std::string& file : found) AddFile(file, false);
  if (set_.files.size() == before) {
    set_.errors.push_back(DisplayPath(path, cwd_) +
                          ": error: no C, C++, CUDA or Python sources found in directory");
  }
}

void Collector::Add(const std::string& path) {
  std::error_code ec;
  fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    set_.rejected.push_back(Rejected(DisplayPath(path, cwd_), "no such file or directory"));
  } else if (fs::is_directory(st)) {
    AddDirectory(path);
  } else if (fs::is_regular_file(st)) {
    AddFile(path, true);
  } else {
    set_.rejected.push_back(Rejected(DisplayPath(path, cwd_), "not a regular file"));
  }
}

}  // namespace

std::string DisplayPath(const std::string& path, const std::string& cwd) {
  fs::path p = fs::path(path).lexically_normal();
  if (p.is_absolute() && !cwd.empty()) {
    fs::path rel = p.lexically_relative(fs::path(cwd).lexically_normal());
    if (!rel.empty() && *rel.begin() != "..") p = rel;
  }
  std::string out = p.string();
  if (out.size() > 1 && out.back() == '/') out.pop_back();
  return out.empty() ? path : out;
}

std::string CurrentDir() {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  return ec ? std::string(".") : cwd.string();
}

InputSet CollectInputs(const std::vector<std::string>& paths, const std::string& cwd) {
  Collector collector(cwd.empty() ? CurrentDir() : cwd);
  for (const std::string& path : paths) collector.Add(path);
  return collector.Take();
}

}  // namespace referee::analyzers
