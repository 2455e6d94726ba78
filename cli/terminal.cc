#include "terminal.h"

#include <unistd.h>

#include <cstdlib>


namespace referee::cli {

void AddColorFlag(FlagSet& flags, std::string* mode) {
  flags.Choice("--color", mode, {"auto", "always", "never"},
               "colour the text report (default auto: on a terminal, unless NO_COLOR is set)");
}

bool UseColor(const std::string& mode, int fd) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  return fd >= 0 && isatty(fd) != 0;
}

}  // namespace referee::cli
