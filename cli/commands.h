// Subcommand entry points. Each returns the process exit code (exit_codes.h). argv[0] is the
// subcommand's name.
#pragma once

namespace referee::cli {

int RunAuditCommand(int argc, char** argv);      // audit_command.cc
int RunRulesCommand(int argc, char** argv);      // rules_command.cc
int RunSandboxCommand(int argc, char** argv);    // sandbox_command.cc
int RunEvalCommand(int argc, char** argv);       // eval_command.cc
int RunCompareCommand(int argc, char** argv);    // eval_command.cc
int RunDatasetCommand(int argc, char** argv);    // dataset_command.cc
int RunCalibrateCommand(int argc, char** argv);  // calibrate_command.cc
int RunCompletionCommand(int argc, char** argv);  // completion_command.cc
int RunTrainEvalCommand(int argc, char** argv);  // train_eval_command.cc
int RunSearchCommand(int argc, char** argv);      // search_command.cc
int RunReportCommand(int argc, char** argv);      // search_command.cc

}  // namespace referee::cli
