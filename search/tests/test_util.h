// Helpers for the search tests: a scratch directory removed at the end of the test.
#pragma once

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

namespace referee::search {

class TempDir final {
 public:
  TempDir() {
    char tmpl[] = "/tmp/referee-search-test-XXXXXX";
    path_ = mkdtemp(tmpl);
    chmod(path_.c_str(), 0755);  // a sandboxed proposer (another uid) reads views under it
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace referee::search
