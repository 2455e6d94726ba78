// One file's analysis outcome as bytes, for the pipe from an analysis child process to the audit
// driver (child_pool.h). The child analysed hostile input and may be corrupted, so Decode checks
// every length and enum and rejects anything malformed instead of trusting it.
#pragma once

#include <string>
#include <string_view>

#include "referee/analyzers/analyzer.h"

namespace referee::analyzers {

struct FileOutcome {
  AnalysisOutput output;
  bool analyzed = false;        // an analyzer ran on the file
  bool internal_error = false;  // an analyzer threw: a bug, exit 3
};

std::string EncodeOutcome(const FileOutcome& outcome);
// False (and `out` unspecified) when `bytes` is not exactly one well-formed outcome.
bool DecodeOutcome(std::string_view bytes, FileOutcome* out);

}  // namespace referee::analyzers
