// What the CLI does differently on a terminal: colour (--color auto|always|never, NO_COLOR
// honoured, https://no-color.org) and progress lines that rewrite themselves.
#pragma once

#include <string>

#include "flags.h"
#include "referee/harness/evaluator.h"

namespace referee::cli {

// --color auto|always|never, for every subcommand that prints a text report.
void AddColorFlag(FlagSet& flags, std::string* mode);
// Whether to colour what goes to `fd`: always, never, or (auto) on a terminal without NO_COLOR.
bool UseColor(const std::string& mode, int fd);

// One line on stderr per workload, rewritten as the phase and call count change; ends with the
// workload's verdict. Prints nothing unless stderr is a terminal.
class ProgressLine final {
 public:
  explicit ProgressLine(bool color);
  void Update(const harness::EvalProgress& p);
  bool enabled() const { return enabled_; }

 private:
  bool enabled_;
  bool color_;
};

}  // namespace referee::cli
