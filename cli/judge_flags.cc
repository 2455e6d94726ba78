#include "judge_flags.h"

#include <unistd.h>

#include <cstdio>

#include "referee/base/log.h"
#include "referee/base/strings.h"
#include "referee/harness/score.h"

namespace referee::cli {

void AddJudgeFlags(FlagSet& flags, JudgeFlags* out) {
  flags.String("--device", &out->device, "cpu|cuda|cuda:N", "where to run (default cpu)")
      .Choice("--mode", &out->mode, {"cold", "hot"},
              "cold: caches flushed before each call (default); hot: back-to-back invocations "
              "per timed window, each on fresh inputs and checked")
      .Int("--repeat", &out->repeat, 1, 10000, "N",
           "hot mode: N invocations per window (default: a window of >= 1 ms)")
      .Choice("--sandbox", &out->sandbox, {"auto", "on", "off"},
              "auto: sandbox where the host can (default); on: refuse without; off: plain")
      .String("--calibration", &out->calibration, "FILE",
              "device peaks for SOL scores (default: this device's `referee calibrate` file)")
      .Double("--call-timeout", &out->call_timeout, 0, "S", "seconds per call (default 10)")
      .Bool("--quick", &out->quick, "few samples and short timeouts (tests, CI)")
      .Double("--stop-ci", &out->stop_ci, 0, "REL",
              "stop measuring once the 95% CI of the median is within +-REL of it, e.g. 0.01 "
              "(default: the relative-stdev rule)")
      .Double("--max-measured", &out->max_measured, 0, "S",
              "cap on the seconds inside timed calls per measurement (device seconds on a GPU)")
      .Bool("--no-reference-timing", &out->no_reference_timing,
            "do not time the reference (no SOL score)")
      .Bool("--fresh-reference-timing", &out->fresh_reference_timing,
            "measure the reference anew instead of reusing its cached timing")
      .Bool("--require-own-kernels", &out->require_own_kernels,
            "GPU: fail a call whose kernel time is mostly library kernels (ATen, cuBLAS, "
            "cuDNN, TorchInductor), on every task (default: where the task asks)")
      .String("--memory", &out->memory, "SIZE",
              "the sandbox's memory limit per candidate worker, e.g. 2G, 512M (default 8G, "
              "64G on a GPU); over it is check oom");
}

Expected<harness::JudgeConfig> MakeJudgeConfig(const JudgeFlags& f) {
  harness::JudgeConfig c;
  REFEREE_ASSIGN_OR_RETURN(c.placement, harness::ParsePlacement(f.device));
  REFEREE_ASSIGN_OR_RETURN(c.sandbox, harness::ParseSandboxMode(f.sandbox));
  c.cold = f.mode == "cold";
  if (f.repeat > 0 && c.cold) return InvalidArgumentError("--repeat needs --mode hot");
  c.hot_repeat = f.repeat;
  c.calibration_file = f.calibration;
  c.device_dir = harness::DeviceDirFromEnvironment();
  c.quick = f.quick;
  c.call_timeout_s = f.call_timeout;
  if (f.stop_ci >= 1) return InvalidArgumentError("--stop-ci is a fraction of the median, below 1");
  c.stop_median_ci = f.stop_ci;
  c.max_measured_s = f.max_measured;
  if (!f.memory.empty()) {
    REFEREE_ASSIGN_OR_RETURN(c.memory_limit_bytes, ParseByteSize(f.memory));
  }
  c.time_reference = !f.no_reference_timing;
  c.fresh_reference_timing = f.fresh_reference_timing;
  c.require_own_kernels = f.require_own_kernels;
  c.programs = harness::WorkerPrograms::FromEnvironment();
  if (const char* lib = std::getenv("REFEREE_CUPTI_INJECT")) c.cupti_library = lib;
  return c;
}

Expected<std::unique_ptr<harness::Judge>> MakeJudge(
    const JudgeFlags& flags, std::function<void(const harness::EvalProgress&)> progress) {
  REFEREE_ASSIGN_OR_RETURN(harness::JudgeConfig config, MakeJudgeConfig(flags));
  config.progress = std::move(progress);
  REFEREE_ASSIGN_OR_RETURN(std::unique_ptr<harness::Judge> judge,
                           harness::Judge::Create(std::move(config)));
  for (const std::string& w : judge->warnings()) Logf(LogLevel::kWarning, "%s", w.c_str());
  return judge;
}

ProgressLine::ProgressLine(bool color) : enabled_(isatty(STDERR_FILENO) != 0), color_(color) {}

void ProgressLine::Update(const harness::EvalProgress& p) {
  if (!enabled_) return;
  std::string line = StrFormat("[%d/%d] %s: %s", p.index, p.count, p.workload.c_str(),
                               p.phase.c_str());
  if (p.phase == "measuring" && p.calls > 0) line += StrFormat(" (%d calls)", p.calls);
  if (p.phase == "done") {
    bool pass = p.verdict == "PASS";
    std::string v = pass ? "PASS" : "FAIL [" + p.verdict + "]";
    if (color_) v = (pass ? "\033[32m" : "\033[31m") + v + "\033[0m";
    line = StrFormat("[%d/%d] %s: %s", p.index, p.count, p.workload.c_str(), v.c_str());
    std::fprintf(stderr, "\r\033[K%s\n", line.c_str());
  } else {
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
  }
  std::fflush(stderr);
}

}  // namespace referee::cli
