// What every subcommand does at its end: write the report where --output says, and print an
// error as one line ("file:line:col: error: ..." when it has a place, else "referee: error: ...").
#pragma once

#include <string>

#include "exit_codes.h"
#include "flags.h"
#include "referee/base/status.h"

namespace referee::cli {

// Writes `text` to `path` ("" or "-": stdout). kExitClean, or kExitInputError after printing
// why the file could not be written.
int WriteOutput(const std::string& text, const std::string& path);
// Prints the error as one line and returns kExitInputError.
int InputError(const Status& status);
// A flag error: the error, then where to read the usage.
int UsageError(const Status& status, const std::string& command);
// Parses `argv` with `flags`; on -h prints the usage to stdout and returns kExitClean, on an
// error prints it and returns kExitInputError, else returns -1 (carry on).
int ParseOrExit(FlagSet& flags, int argc, char** argv, const std::string& command);

}  // namespace referee::cli
