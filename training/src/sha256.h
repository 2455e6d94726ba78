// SHA-256 (FIPS 180-4), for the task's pinned data hashes and the fixed-file and checkpoint
// hashes. Small and dependency-free: the GPU machine has no OpenSSL headers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "referee/base/expected.h"

namespace referee::training {

class Sha256 final {
 public:
  Sha256();
  void Update(std::string_view data);
  std::string HexDigest();  // finishes; call once

 private:
  void Block(const unsigned char* p);
  uint32_t h_[8];
  unsigned char buf_[64];
  size_t buf_len_ = 0;
  uint64_t total_ = 0;
};

std::string Sha256Hex(std::string_view data);
Expected<std::string> Sha256File(const std::string& path);

}  // namespace referee::training
