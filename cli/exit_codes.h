// The referee's exit codes, defined once (STYLE.md): every subcommand returns one of these
// (`sandbox run` also passes on the command's own status, 128+N for a signal).
#pragma once

namespace referee::cli {

enum ExitCode : int {
  kExitClean = 0,       // no findings at --fail-on; the candidate passed; tests passed
  kExitRejected = 1,    // findings; the candidate was rejected; failing rule tests or lint
  kExitInputError = 2,  // usage, config, rule, task or input error (partial results written)
  kExitInternal = 3,    // a bug in referee (or a sandbox that could not be set up)
  kExitNotFound = 127,  // `sandbox run`: no such program (as a shell's "command not found")
};

}  // namespace referee::cli
