#include "data.h"

#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>

#include "referee/base/file.h"
#include "referee/base/strings.h"
#include "sha256.h"

namespace referee::training {
namespace {

namespace fs = std::filesystem;

// The interpreter's standard library directory (for `{python_stdlib}` in data paths).
Expected<std::string> PythonStdlib(const std::string& python) {
  std::string cmd = "'" + python + "' -I -c 'import sysconfig; print(sysconfig.get_paths()[\"stdlib\"])'";
  if (python.find('\'') != std::string::npos) return InvalidArgumentError("bad python path");
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return ErrnoError("popen " + python, errno);
  char buf[4096] = {0};
  size_t n = fread(buf, 1, sizeof(buf) - 1, p);
  int rc = pclose(p);
  std::string dir(StripWhitespace(std::string_view(buf, n)));
  if (rc != 0 || dir.empty() || dir[0] != '/') {
    return FailedPreconditionError(python + " did not report its standard library");
  }
  return dir;
}

Expected<std::vector<std::string>> Expand(const std::string& pattern, const TrainingTask& task,
                                          const std::string& python, const SourceLoc& loc) {
  std::string p = pattern;
  size_t at = p.find("{python_stdlib}");
  if (at != std::string::npos) {
    Expected<std::string> lib = PythonStdlib(python);
    if (!lib) return InvalidArgumentError(lib.error().message(), loc);
    p.replace(at, 15, *lib);
  }
  if (p[0] != '/') p = (fs::path(task.dir) / p).string();
  glob_t g;
  int rc = glob(p.c_str(), 0, nullptr, &g);
  std::vector<std::string> out;
  if (rc == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) {
      std::error_code ec;
      if (fs::is_regular_file(g.gl_pathv[i], ec)) out.push_back(g.gl_pathv[i]);
    }
  }
  globfree(&g);
  if (out.empty()) return NotFoundError("data file '" + pattern + "' matches no file", loc);
  return out;
}

// Concatenates a split's files into `dest`.
Expected<StagedSplit> StageSplit(const TrainingTask& task, const DataSplit& split,
                                 const std::string& name, const std::string& dest,
                                 const std::string& python) {
  StagedSplit out;
  std::string bytes;
  for (const std::string& pattern : split.files) {
    REFEREE_ASSIGN_OR_RETURN(std::vector<std::string> files,
                             Expand(pattern, task, python, split.loc));
    for (const std::string& f : files) {
      Expected<std::string> content = ReadFile(f);
      if (!content) return InvalidArgumentError(content.error().message(), split.loc);
      bytes += *content;
      ++out.files;
    }
  }
  if (split.max_bytes > 0 && bytes.size() > split.max_bytes) bytes.resize(split.max_bytes);
  out.sha256 = Sha256Hex(bytes);
  out.bytes = bytes.size();
  if (!split.sha256.empty() && split.sha256 != out.sha256) {
    return FailedPreconditionError(
        StrFormat("the %s data (%llu bytes from %d files) differs from the task's pinned "
                  "sha256: got %s; its source files differ on this machine",
                  name.c_str(), static_cast<unsigned long long>(out.bytes), out.files,
                  out.sha256.c_str()),
        split.loc);
  }
  REFEREE_RETURN_IF_ERROR(WriteFile(dest, bytes));
  chmod(dest.c_str(), 0644);
  out.host_path = dest;
  return out;
}

Status MakeDir(const std::string& dir) {
  if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return ErrnoError("mkdir " + dir, errno);
  chmod(dir.c_str(), 0755);  // whatever the umask: the sandbox user must reach it
  return OkStatus();
}

}  // namespace

Expected<StagedData> StageData(const TrainingTask& task, const std::string& run_dir,
                               const std::string& python) {
  StagedData d;
  d.phase1_dir = run_dir + "/data";
  d.phase2_dir = run_dir + "/valdata";
  REFEREE_RETURN_IF_ERROR(MakeDir(d.phase1_dir));
  REFEREE_RETURN_IF_ERROR(MakeDir(d.phase2_dir));
  REFEREE_ASSIGN_OR_RETURN(d.train, StageSplit(task, task.train, "train",
                                               d.phase1_dir + "/train.bin", python));
  if (task.holdout.declared()) {
    REFEREE_ASSIGN_OR_RETURN(d.holdout, StageSplit(task, task.holdout, "holdout",
                                                   d.phase1_dir + "/holdout.bin", python));
  }
  REFEREE_ASSIGN_OR_RETURN(d.validation, StageSplit(task, task.validation, "validation",
                                                    d.phase2_dir + "/val.bin", python));
  uint64_t need = static_cast<uint64_t>(task.metric.tokens) + 1;
  if (d.validation.bytes < need) {
    return InvalidArgumentError(
        StrFormat("the validation data holds %llu bytes, fewer than metric.tokens + 1 = %llu",
                  static_cast<unsigned long long>(d.validation.bytes),
                  static_cast<unsigned long long>(need)),
        LocateJsonKey(ReadFile(task.path).value_or(""), task.path, {"metric", "tokens"}));
  }
  REFEREE_ASSIGN_OR_RETURN(std::string val, ReadFile(d.validation.host_path));
  d.scored_sha256 = Sha256Hex(std::string_view(val).substr(0, need));
  d.tripwire = d.phase1_dir + "/val.bin";
  if (mkfifo(d.tripwire.c_str(), 0644) != 0) return ErrnoError("mkfifo " + d.tripwire, errno);
  chmod(d.tripwire.c_str(), 0644);
  return d;
}

bool TripwireTouched(const std::string& fifo) {
  int fd = open(fifo.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return false;  // ENXIO: no reader
  close(fd);
  return true;
}

}  // namespace referee::training
