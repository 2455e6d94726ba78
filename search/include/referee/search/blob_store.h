// Content-addressed blobs on disk (sources, diffs, the Judge's reports, proposer requests and
// answers, logs): `<dir>/<first two hex digits>/<sha256>`. A blob is written to a temporary
// file and renamed before the journal row that names it commits, so a committed row never
// points at a missing or half-written blob (a crash leaves at most an unreferenced one).
// Durable stores also fsync each blob (power-loss safety, as the journal's synchronous=FULL);
// a killed process loses nothing either way: its writes are in the kernel's page cache.
//
//   BlobStore blobs("/runs/s1/blobs");
//   Expected<std::string> id = blobs.Put(source);   // sha256 hex
//   Expected<std::string> back = blobs.Get(*id);     // verified against its name
#pragma once

#include <string>
#include <string_view>

#include "referee/base/expected.h"

namespace referee::search {

class BlobStore final {
 public:
  explicit BlobStore(std::string dir, bool durable = false)
      : dir_(std::move(dir)), durable_(durable) {}

  // Writes the blob unless it exists; a full disk or a file-size limit is a one-line
  // ResourceExhausted error naming the blob's path, and leaves no partial file behind.
  Expected<std::string> Put(std::string_view content) const;
  // Reads a blob and checks its content still hashes to its name (DataLoss otherwise).
  Expected<std::string> Get(const std::string& id) const;
  bool Has(const std::string& id) const;
  std::string PathOf(const std::string& id) const;
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  bool durable_;
};

}  // namespace referee::search
