// `referee calibrate`: measures this device's peaks for roofline floors and SOL scores.
#include <cstdio>
#include <filesystem>

#include "commands.h"
#include "output.h"
#include "referee/base/file.h"
#include "referee/base/json.h"
#include "referee/base/log.h"
#include "referee/harness/placement.h"
#include "referee/harness/score.h"

namespace referee::cli {

int RunCalibrateCommand(int argc, char** argv) {
  std::string device = "cpu", output;
  double seconds = 3;
  FlagSet flags("referee calibrate [--device cpu|cuda|cuda:N] [--output FILE] [--seconds S]",
                "Measures this device's peak FLOP rate and bandwidths for roofline floors and SOL\n"
                "scores (GPU: bf16 matmul and copy bandwidths with headroom). `eval` uses the file\n"
                "for its device by default; --calibration FILE names another.");
  flags.String("--device", &device, "cpu|cuda|cuda:N", "the device to measure (default cpu)")
      .String("-o,--output", &output, "FILE", "where to write (default: the device's file)")
      .Double("--seconds", &seconds, 0, "S", "about how long to measure (default 3)");
  if (int rc = ParseOrExit(flags, argc, argv, "calibrate"); rc >= 0) return rc;
  Expected<harness::Placement> placement = harness::ParsePlacement(device);
  if (!placement) return UsageError(placement.error(), "calibrate");
  harness::DevicePeaks p;
  if (placement->on_gpu()) {
    Expected<harness::DevicePeaks> gpu = harness::CalibrateGpu(
        seconds, *placement->gpu, harness::WorkerPrograms::FromEnvironment());
    if (!gpu) return InputError(gpu.error());
    p = *gpu;
  } else {
    p = harness::CalibrateCpu(seconds);
  }
  std::string path =
      output.empty() ? harness::PeaksPath(harness::DeviceDirFromEnvironment(), p.device) : output;
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (int rc = WriteOutput(DumpJson(harness::PeaksToJson(p)) + "\n", path); rc != kExitClean) {
    return rc;
  }
  if (p.measured.is_object() && p.measured.contains("warning")) {
    Logf(LogLevel::kWarning, "%s", p.measured["warning"].get<std::string>().c_str());
  }
  std::printf("%s: %.3g FLOP/s, DRAM %.3g B/s, cache %.3g B/s -> %s\n", p.device.c_str(),
              p.flops_per_s, p.dram_bytes_per_s, p.cache_bytes_per_s, path.c_str());
  return kExitClean;
}

}  // namespace referee::cli
