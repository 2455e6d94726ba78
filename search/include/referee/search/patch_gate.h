// The patch gate (issue 19 item 3): what a proposal may change. Only the declared editable
// files may change, and inside a file with `referee: begin-editable` / `end-editable` markers
// only the lines between them; no file may be added or removed; size caps bound a file and a
// change. Dedupe (by content hash) and the fixed files' hashes are checked by the search
// against its journal (search.h), not here.
#pragma once

#include <string>
#include <vector>

#include "referee/base/status.h"
#include "referee/search/program.h"

namespace referee::search {

struct GateOptions {
  std::vector<std::string> editable_files;  // names in the program that may change
  size_t max_file_bytes = 512 << 10;
  int max_changed_lines = 2000;
};

// OK, or a one-line error located at the first offending line of the child (or parent, for a
// deleted line): `kernel.py:12:1: error: line 12 is outside the editable regions (...)`.
Status CheckPatch(const Program& parent, const Program& child, const GateOptions& options);

}  // namespace referee::search
