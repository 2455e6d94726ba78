// The flags every judging subcommand shares (eval, compare; the training evaluation and the
// search add their own beside these) and the JudgeConfig they make.
#pragma once

#include <string>

#include "flags.h"
#include "referee/base/expected.h"
#include "referee/harness/judge.h"

namespace referee::cli {

struct JudgeFlags {
  std::string device = "cpu";
  std::string mode = "cold";
  std::string sandbox = "auto";
  std::string calibration;
  std::string memory;
  int repeat = 0;
  double call_timeout = 10;
  double stop_ci = 0;
  double max_measured = 0;
  bool quick = false;
  bool no_reference_timing = false;
  bool fresh_reference_timing = false;
  bool require_own_kernels = false;
};

void AddJudgeFlags(FlagSet& flags, JudgeFlags* out);
// The config, with the programs and device directory from the environment (REFEREE_*).
Expected<harness::JudgeConfig> MakeJudgeConfig(const JudgeFlags& flags);
// The judge, its warnings printed; `progress` receives Evaluate()'s progress (may be empty).
Expected<std::unique_ptr<harness::Judge>> MakeJudge(
    const JudgeFlags& flags, std::function<void(const harness::EvalProgress&)> progress = {});

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
