#include "workspace.h"

#include <fnmatch.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "referee/base/file.h"
#include "referee/base/strings.h"
#include "sha256.h"

namespace referee::training {
namespace {

namespace fs = std::filesystem;
constexpr uintmax_t kMaxEditableBytes = 1 << 20;

bool Matches(const std::vector<std::string>& globs, const std::string& rel) {
  for (const std::string& g : globs) {
    if (fnmatch(g.c_str(), rel.c_str(), FNM_PATHNAME) == 0) return true;
  }
  return false;
}

Status CopyInto(const std::string& from, const std::string& root, const std::string& rel) {
  fs::path dest = fs::path(root) / rel;
  std::error_code ec;
  for (fs::path p = dest.parent_path(); p != fs::path(root) && !p.empty(); p = p.parent_path()) {
    fs::create_directories(p, ec);
    chmod(p.c_str(), 0755);
  }
  REFEREE_ASSIGN_OR_RETURN(std::string content, ReadFile(from));
  REFEREE_RETURN_IF_ERROR(WriteFile(dest.string(), content));
  chmod(dest.c_str(), 0644);
  return OkStatus();
}

// Candidate files, relative, sorted; symlinks and special files are skipped (reported).
std::vector<std::string> Walk(const std::string& dir, std::vector<std::string>* skipped) {
  std::vector<std::string> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string rel = it->path().lexically_relative(dir).string();
    std::string name = it->path().filename().string();
    if (it->is_symlink(ec)) {
      skipped->push_back(rel + " (a symlink)");
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    if (it->is_directory(ec)) {
      if (name == "__pycache__" || name[0] == '.') it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec)) out.push_back(rel);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

Expected<Workspace> PrepareWorkspace(const TrainingTask& task, const std::string& candidate_dir,
                                     const std::string& run_dir) {
  std::error_code ec;
  if (!fs::is_directory(candidate_dir, ec)) {
    return NotFoundError("not a candidate directory (it holds the training script)",
                         SourceLoc{candidate_dir});
  }
  Workspace ws;
  ws.dir = run_dir + "/work";
  fs::create_directories(ws.dir, ec);
  chmod(ws.dir.c_str(), 0755);
  for (const std::string& rel : task.fixed) {
    std::string from = (fs::path(task.dir) / rel).string();
    REFEREE_ASSIGN_OR_RETURN(ws.fixed_sha256[rel], Sha256File(from));
    REFEREE_RETURN_IF_ERROR(CopyInto(from, ws.dir, rel));
  }
  for (const std::string& rel : Walk(candidate_dir, &ws.ignored)) {
    std::string from = (fs::path(candidate_dir) / rel).string();
    if (ws.fixed_sha256.count(rel)) {
      Expected<std::string> h = Sha256File(from);
      if (!h || *h != ws.fixed_sha256[rel]) ws.changed_fixed.push_back(rel);
      continue;  // the task's copy is used either way
    }
    if (!Matches(task.editable, rel)) {
      ws.ignored.push_back(rel);
      continue;
    }
    if (fs::file_size(from, ec) > kMaxEditableBytes) {
      return InvalidArgumentError(StrFormat("editable file over %ju bytes", kMaxEditableBytes),
                                  SourceLoc{from});
    }
    REFEREE_RETURN_IF_ERROR(CopyInto(from, ws.dir, rel));
    ws.editable.push_back(rel);
  }
  if (std::find(ws.editable.begin(), ws.editable.end(), task.script) == ws.editable.end()) {
    return NotFoundError("the candidate has no " + task.script + " (the task's script)",
                         SourceLoc{candidate_dir});
  }
  return ws;
}

std::vector<std::string> ChangedFixedFiles(const Workspace& ws) {
  std::vector<std::string> changed;
  for (const auto& [rel, want] : ws.fixed_sha256) {
    Expected<std::string> h = Sha256File((fs::path(ws.dir) / rel).string());
    if (!h || *h != want) changed.push_back(rel);
  }
  return changed;
}

}  // namespace referee::training
