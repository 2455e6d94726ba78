// SHA-256 for content addresses (blobs, candidate hashes). FIPS 180-4; a small local
// implementation so that the search needs no crypto library.
//
//   std::string id = Sha256Hex("hello");  // 64 lowercase hex digits
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace referee::search {

class Sha256 final {
 public:
  Sha256();
  void Update(std::string_view data);
  std::array<uint8_t, 32> Finish();

 private:
  void Block(const uint8_t* p);
  uint32_t h_[8];
  uint8_t buf_[64];
  size_t buf_len_ = 0;
  uint64_t total_ = 0;
};

std::string Sha256Hex(std::string_view data);

}  // namespace referee::search
