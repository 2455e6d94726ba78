#include "output.h"

#include <cstdio>

#include "referee/base/file.h"
#include "referee/base/log.h"

namespace referee::cli {

int WriteOutput(const std::string& text, const std::string& path) {
  if (path.empty() || path == "-") {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size()) {
      return InputError(ErrnoError("writing the report to stdout", errno));
    }
    std::fflush(stdout);
    return kExitClean;
  }
  Status s = WriteFile(path, text);
  return s.ok() ? kExitClean : InputError(s.loc().empty() ? s.WithLoc(SourceLoc{path}) : s);
}

int InputError(const Status& status) {
  if (status.loc().empty()) {
    Logf(LogLevel::kError, "%s", status.message().c_str());
  } else {
    std::fprintf(stderr, "%s\n", status.ToString().c_str());
  }
  return kExitInputError;
}

int UsageError(const Status& status, const std::string& command) {
  Logf(LogLevel::kError, "%s; see 'referee %s --help'", status.message().c_str(),
       command.c_str());
  return kExitInputError;
}

int ParseOrExit(FlagSet& flags, int argc, char** argv, const std::string& command) {
  Status s = flags.Parse(argc, argv);
  if (!s.ok()) return UsageError(s, command);
  if (flags.help_requested()) {
    std::fputs(flags.Usage().c_str(), stdout);
    return kExitClean;
  }
  return -1;
}

}  // namespace referee::cli
