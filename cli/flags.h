// One flag parser for every subcommand (issue #12). Flags are declared with their help text and
// validated as they are read, so each command's usage is generated from its declarations and
// every error is one line naming the flag:
//
//   FlagSet flags("referee eval --task DIR --candidate PATH [options]", "Evaluates ...");
//   flags.String("--task", &task, "DIR", "the task directory");
//   flags.Int("--repeat", &repeat, 1, 10000, "N", "invocations per timed window (hot mode)");
//   flags.Bool("--quick", &quick, "few samples and short timeouts (tests, CI)");
//   if (Status s = flags.Parse(argc, argv); !s.ok()) ...   // argv[0]: the subcommand
//
// Accepted forms: `--name VALUE`, `--name=VALUE`, `-x VALUE` and `-xVALUE` for one-letter
// names; `--` ends the options (everything after is positional). An unknown flag is an error
// with "did you mean" when a declared one is close. Why not CLI11 (Debian's libcli11-dev): its
// errors are exceptions with its own wording, and the GPU machine, which builds the CLI without
// LLVM, would need it carried in .deps/ too; this is ~200 lines with the house error format.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <cstdint>

#include "referee/base/expected.h"
#include "referee/base/status.h"

namespace referee::cli {

class FlagSet final {
 public:
  FlagSet(std::string usage, std::string description);

  // `names`: "--long" or "-s,--long". Each setter returns *this for chaining.
  FlagSet& String(const char* names, std::string* out, const char* value, const char* help);
  FlagSet& Choice(const char* names, std::string* out, std::vector<std::string> choices,
                  const char* help);
  FlagSet& Repeated(const char* names, std::vector<std::string>* out, const char* value,
                    const char* help);
  FlagSet& Int(const char* names, int* out, int min, int max, const char* value,
               const char* help);
  // A number greater than `above`.
  FlagSet& Double(const char* names, double* out, double above, const char* value,
                  const char* help);
  FlagSet& Bool(const char* names, bool* out, const char* help);
  // A flag without a value that runs `action` (e.g. -v, -q).
  FlagSet& Action(const char* names, std::function<void()> action, const char* help);
  // Positional arguments, in order. Without this, any positional argument is an error.
  FlagSet& Positionals(std::vector<std::string>* out, const char* name);
  // Everything after `--`, kept apart from the positionals (a command line to run).
  FlagSet& AfterDashes(std::vector<std::string>* out);

  // argv[0] is the subcommand's name. -h/--help sets help_requested() and stops.
  Status Parse(int argc, char** argv);
  bool help_requested() const { return help_; }
  // The usage line, the description and one line per flag.
  std::string Usage() const;

 private:
  struct Flag {
    std::vector<std::string> names;
    std::string value;  // empty: takes no value
    std::string help;
    std::function<Status(const std::string& name, const std::string& value)> apply;
  };
  FlagSet& Add(const char* names, const char* value, std::string help,
               std::function<Status(const std::string&, const std::string&)> apply);
  const Flag* Find(const std::string& name) const;
  Status Unknown(const std::string& name) const;

  std::string usage_, description_;
  std::vector<Flag> flags_;
  std::vector<std::string>* positionals_ = nullptr;
  std::vector<std::string>* after_dashes_ = nullptr;
  std::string positional_name_;
  bool help_ = false;
};

// "8G", "512M", "64k", "1024" (bytes); an error names the text.
Expected<uint64_t> ParseByteSize(const std::string& text);

// --format with the given choices and --json as an alias of `--format json` (every reporting
// subcommand takes it, issue #12).
void AddFormatFlag(FlagSet& flags, std::string* format, std::vector<std::string> choices);

}  // namespace referee::cli
