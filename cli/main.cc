// The `referee` binary: one table of subcommands (ninja's kTools[]). Each component owns the
// file that implements its commands (cli/<component>_commands.cc); this file only dispatches.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "commands.h"
#include "exit_codes.h"
#include "referee/base/log.h"
#include "referee/base/strings.h"
#include "referee/base/version.h"

namespace referee::cli {
namespace {

struct Command {
  const char* name;
  const char* summary;
  int (*handler)(int argc, char** argv);  // argv[0] is the subcommand name
};

const Command kCommands[] = {
#ifdef REFEREE_HAVE_ANALYZERS
    {"audit", "statically audit C++/CUDA/Python sources for reward hacks", RunAuditCommand},
    {"rules", "list, test, lint or explain the rule set; new rules from incidents", RunRulesCommand},
#endif
#ifdef REFEREE_HAVE_SANDBOX
    {"sandbox", "run a command under the sandbox, or check what this host supports",
     RunSandboxCommand},
#endif
#ifdef REFEREE_HAVE_HARNESS
    {"eval", "evaluate a candidate against a task", RunEvalCommand},
    {"compare", "compare two candidates on a task by paired runs", RunCompareCommand},
    {"dataset", "evaluate every problem of an SOL-ExecBench dataset directory", RunDatasetCommand},
    {"calibrate", "measure this device's peak rates for SOL scores", RunCalibrateCommand},
#endif
#ifdef REFEREE_HAVE_TRAINING
    {"train-eval", "train a candidate script for N seeds and score it (two phases)", RunTrainEvalCommand},
#endif
#ifdef REFEREE_HAVE_SEARCH
    {"search", "run a hardened research loop (proposals, cascade, journal)", RunSearchCommand},
    {"report", "a search's report as one self-contained HTML page", RunReportCommand},
#endif
    {"completion", "print a bash or zsh completion script", RunCompletionCommand},
    {"version", "print the version", nullptr},
};

void PrintUsage(FILE* out) {
  std::fprintf(out, "usage: referee <command> [options]\n\ncommands:\n");
  for (const Command& c : kCommands) std::fprintf(out, "  %-10s %s\n", c.name, c.summary);
  std::fprintf(out, "\n'referee <command> --help' describes a command's options.\n");
}

const Command* Closest(const std::string& name) {
  const Command* best = nullptr;
  int best_distance = 3;  // suggest only close names
  for (const Command& c : kCommands) {
    int d = EditDistance(name, c.name);
    if (d < best_distance) {
      best_distance = d;
      best = &c;
    }
  }
  return best;
}

int Dispatch(int argc, char** argv) {
  if (argc < 2) {
    PrintUsage(stderr);
    return kExitInputError;
  }
  std::string name = argv[1];
  if (name == "--help" || name == "-h" || name == "help") {
    PrintUsage(stdout);
    return kExitClean;
  }
  if (name == "--version" || name == "-V" || name == "version") {
    std::printf("%s %s (report schema %d)\n", kToolName, kVersion, kJsonSchemaVersion);
    return kExitClean;
  }
  if (name == "--commands") {  // for the completion script
    for (const Command& c : kCommands) std::printf("%s\n", c.name);
    return kExitClean;
  }
  for (const Command& c : kCommands) {
    if (name == c.name) return c.handler(argc - 1, argv + 1);
  }
  if (const Command* near = Closest(name)) {
    Logf(LogLevel::kError, "unknown command '%s'; did you mean '%s'?", name.c_str(), near->name);
  } else {
    Logf(LogLevel::kError, "unknown command '%s'; see 'referee --help'", name.c_str());
  }
  return kExitInputError;
}

}  // namespace
}  // namespace referee::cli

int main(int argc, char** argv) {
  // The one catch-all (STYLE.md): anything escaping a component is an internal error.
  try {
    return referee::cli::Dispatch(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "referee: internal error: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "referee: internal error: unknown exception\n");
  }
  return referee::cli::kExitInternal;
}
