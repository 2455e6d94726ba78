#include "referee/search/blob_store.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "referee/base/fd.h"
#include "referee/base/file.h"
#include "referee/search/sha256.h"

namespace referee::search {
namespace {

bool IsHexId(const std::string& id) {
  if (id.size() != 64) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Status WriteError(const std::string& path, int err) {
  Status s = ErrnoError("blob " + path + ": write", err);
  if (err == ENOSPC || err == EFBIG || err == EDQUOT) {
    return ResourceExhaustedError(s.message());
  }
  return s;
}

Status WriteAll(int fd, std::string_view content, const std::string& path, bool durable) {
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = write(fd, content.data() + done, content.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return WriteError(path, errno);
    }
    done += static_cast<size_t>(n);
  }
  if (durable && fsync(fd) != 0) return WriteError(path, errno);
  return OkStatus();
}

// A write past RLIMIT_FSIZE raises SIGXFSZ, whose default action kills the process; ignored,
// the write fails with EFBIG instead and becomes an error like a full disk.
void IgnoreFileSizeSignal() {
  static bool done = [] {
    signal(SIGXFSZ, SIG_IGN);
    return true;
  }();
  (void)done;
}

}  // namespace

std::string BlobStore::PathOf(const std::string& id) const {
  return dir_ + "/" + id.substr(0, 2) + "/" + id;
}

bool BlobStore::Has(const std::string& id) const {
  struct stat st;
  return IsHexId(id) && stat(PathOf(id).c_str(), &st) == 0;
}

Expected<std::string> BlobStore::Put(std::string_view content) const {
  IgnoreFileSizeSignal();
  std::string id = Sha256Hex(content);
  std::string path = PathOf(id);
  struct stat st;
  if (stat(path.c_str(), &st) == 0 && static_cast<size_t>(st.st_size) == content.size()) {
    return id;
  }
  std::string sub = dir_ + "/" + id.substr(0, 2);
  if (mkdir(dir_.c_str(), 0755) != 0 && errno != EEXIST) return WriteError(dir_, errno);
  if (mkdir(sub.c_str(), 0755) != 0 && errno != EEXIST) return WriteError(sub, errno);
  std::string tmp = path + ".tmp." + std::to_string(getpid());
  Status s;
  {
    UniqueFd fd(open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd.valid()) return WriteError(path, errno);
    s = WriteAll(fd.get(), content, path, durable_);
  }
  if (s.ok() && std::rename(tmp.c_str(), path.c_str()) != 0) s = WriteError(path, errno);
  if (!s.ok()) {
    unlink(tmp.c_str());
    return s;
  }
  return id;
}

Expected<std::string> BlobStore::Get(const std::string& id) const {
  if (!IsHexId(id)) return InvalidArgumentError("not a blob id: '" + id + "'");
  Expected<std::string> content = ReadFile(PathOf(id));
  if (!content) return NotFoundError("blob " + PathOf(id) + ": missing");
  if (Sha256Hex(*content) != id) {
    return DataLossError("blob " + PathOf(id) + ": content does not match its hash");
  }
  return content;
}

}  // namespace referee::search
