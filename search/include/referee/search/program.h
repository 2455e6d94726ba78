// A program: the files a candidate consists of (relative name -> content), its content hash,
// its storage as blobs, and the editable regions a proposer may change.
//
// Editable regions are marked in the source by comment lines holding
// `referee: begin-editable` and `referee: end-editable` (any comment syntax: `#`, `//`); the
// text between them may change, the marker lines and everything outside may not. A file
// without markers is editable as a whole when it is one of the search's editable files.
//
//   Program p{{{"kernel.py", source}}};
//   std::string id = ProgramHash(p);
//   Expected<std::string> manifest = StoreProgram(blobs, p);
#pragma once

#include <map>
#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/search/blob_store.h"

namespace referee::search {

struct Program {
  std::map<std::string, std::string> files;
  bool operator==(const Program& o) const { return files == o.files; }
};

// sha256 over the sorted (name, size, content) triples.
std::string ProgramHash(const Program& p);

// Stores each file as a blob and the manifest {"files": {name: id}} as one more; returns the
// manifest's id. LoadProgram reads it back, verifying every blob.
Expected<std::string> StoreProgram(const BlobStore& blobs, const Program& p);
Expected<Program> LoadProgram(const BlobStore& blobs, const std::string& manifest_id);

// Writes the files under `dir` (created; names must be relative, without "..").
Status MaterializeProgram(const Program& p, const std::string& dir);
// Reads the named files from `dir` (relative names).
Expected<Program> ReadProgram(const std::string& dir, const std::vector<std::string>& names);
// A file name a program may hold: relative, no "..", no empty or hidden components.
bool IsSafeRelativeName(const std::string& name);

// Lines with their '\n' (the last may lack one).
std::vector<std::string> SplitLines(const std::string& text);

struct Region {
  int begin_line = 0;  // the begin marker's line (1-based); the region is strictly between
  int end_line = 0;    // the end marker's line
};
// The editable regions of one file; none when it has no markers. Unbalanced or nested
// markers are an error located at the offending line (`file:line:col: error: ...`).
Expected<std::vector<Region>> FindRegions(const std::string& content, const std::string& name);

}  // namespace referee::search
