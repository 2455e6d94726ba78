// What the CLI does differently on a terminal: colour (--color auto|always|never, NO_COLOR
// honoured, https://no-color.org).
#pragma once

#include <string>

#include "flags.h"

namespace referee::cli {

// --color auto|always|never, for every subcommand that prints a text report.
void AddColorFlag(FlagSet& flags, std::string* mode);
// Whether to colour what goes to `fd` (-1: a file): always, never, or (auto) on a terminal
// without NO_COLOR.
bool UseColor(const std::string& mode, int fd);

}  // namespace referee::cli
