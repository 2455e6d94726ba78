// Device peak rates (measured once by `referee calibrate`, stored as JSON per device), the
// roofline floor below which a time is impossible, and SOL-ExecBench's SOL score
//   S = 1 / (1 + (T - T_sol) / (T_b - T_sol))      (research/kernel-evaluators.md §1.8)
// which is 0.5 at the baseline, 1 at speed of light, and > 1 only for a time that beats the
// roofline (flagged: a measurement error or a hack).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "referee/base/expected.h"
#include "referee/base/json.h"
#include "referee/harness/worker.h"

namespace referee::harness {

struct DevicePeaks {
  std::string device;           // e.g. "cpu:AMD EPYC 7B13 x2"
  double flops_per_s = 0;       // all cores, float32 FMA
  double dram_bytes_per_s = 0;  // large-buffer copy bandwidth (read + write)
  double cache_bytes_per_s = 0; // small-buffer (cache-resident) bandwidth: the floor uses this
  std::string measured_at;
  Json measured;  // the raw measurement behind the peaks (GPU: before headroom), or null
};

// Conservative built-in peaks used when a device was never calibrated: far above any real
// CPU, so the floor only catches the impossible.
DevicePeaks DefaultCpuPeaks();
std::string CpuDeviceName();
// Measures this CPU (a few seconds).
DevicePeaks CalibrateCpu(double seconds);
// Peaks from a CPU measurement: the cache bandwidth is never taken below DRAM's (a warning in
// `measured` says when it was).
DevicePeaks CpuPeaksFromMeasurement(double flops, double cache, double dram);
// GPU `index` (PCI bus order) as "cuda:<model>" from /proc/driver/nvidia (no CUDA needed); ""
// without such a GPU.
std::string GpuDeviceName(int index = 0);
// The NVIDIA kernel module's version from /proc/driver/nvidia/version ("" without one).
std::string GpuDriverVersion();
// The version number in that file's first line ("" when there is none).
std::string ParseNvidiaDriverVersion(std::string_view proc_version_text);
// Peaks from harness/python/referee_calibrate_gpu.py's measurement (bf16 matmul FLOP/s, DRAM
// and L2-resident copy bandwidth) with headroom, so an honest kernel that beats the library a
// little is never below the floor. `source` names the measurement in errors.
Expected<DevicePeaks> GpuPeaksFromMeasurement(const Json& m, const std::string& device,
                                              const std::string& source);
// Runs that measurement on GPU `index` in a trusted child process (about `seconds`), with the
// Python and scripts of `programs`.
Expected<DevicePeaks> CalibrateGpu(double seconds, int index, const WorkerPrograms& programs);
Json PeaksToJson(const DevicePeaks& p);
Expected<DevicePeaks> PeaksFromJson(const Json& j, const std::string& path);
// Where calibrations (and, under timings/, trusted timings) are kept: $REFEREE_DEVICE_DIR,
// else $XDG_CONFIG_HOME/referee/devices, else ~/.config/referee/devices. Read by the CLI once;
// the library itself takes the directory in JudgeConfig::device_dir.
std::string DeviceDirFromEnvironment();
// <device_dir>/<sanitized device name>.json.
std::string PeaksPath(const std::string& device_dir, const std::string& device);

struct Roofline {
  double floor_s = 0;  // max(flops / peak, bytes / cache bw): nothing honest is faster
  double sol_s = 0;    // max(flops / peak, bytes / dram bw): the speed-of-light time
};
Roofline ComputeRoofline(double flops, double bytes, const DevicePeaks& peaks);

// nullopt when T_b <= T_sol makes the score undefined (then SOL-ExecBench returns 1 or 0).
std::optional<double> SolScore(double t, double t_sol, double t_baseline);

}  // namespace referee::harness
