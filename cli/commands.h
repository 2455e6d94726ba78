// Subcommand entry points. Each returns the process exit code (STYLE.md: 0 clean, 1 findings or
// rejected, 2 usage/config/input error, 3 internal error). argv[0] is the subcommand's name.
#pragma once

namespace referee::cli {

int RunAuditCommand(int argc, char** argv);    // audit_commands.cc
int RunRulesCommand(int argc, char** argv);    // audit_commands.cc
int RunSandboxCommand(int argc, char** argv);  // sandbox_commands.cc
int RunEvalCommand(int argc, char** argv);     // eval_commands.cc
int RunCompareCommand(int argc, char** argv);  // eval_commands.cc
int RunCalibrateCommand(int argc, char** argv);  // eval_commands.cc
int RunSearchCommand(int argc, char** argv);   // search_commands.cc

}  // namespace referee::cli
