// GPU peaks for roofline floors and SOL scores (`referee calibrate --device cuda`). The parent
// stays CUDA-free: the measurement runs in harness/python/referee_calibrate_gpu.py.
#include <dirent.h>
#include <stdio.h>
#include <time.h>

#include <algorithm>
#include <filesystem>
#include <vector>

#include "referee/base/file.h"
#include "referee/base/strings.h"
#include "referee/harness/candidate.h"
#include "referee/harness/score.h"

namespace referee::harness {
namespace {

// Headroom over the measured rates: the floor must sit below anything honest. A hand-written
// GEMM can beat the library's by a few percent, a fused kernel can keep data in registers or
// shared memory and beat an L2-resident copy; none beats these margins.
constexpr double kFlopsHeadroom = 1.25;
constexpr double kDramHeadroom = 1.10;
constexpr double kCacheHeadroom = 2.0;

std::string Utc() {
  char buf[32];
  time_t now = time(nullptr);
  strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
  return buf;
}

// The interpreter of the workers (candidate.cc): $REFEREE_PYTHON or the system's.
std::string Python() {
  const char* p = getenv("REFEREE_PYTHON");
  return p && p[0] == '/' ? p : "/usr/bin/python3";
}

}  // namespace

std::string GpuDeviceName() {
  const std::string root = "/proc/driver/nvidia/gpus";
  std::error_code ec;
  std::vector<std::string> gpus;
  for (const auto& e : std::filesystem::directory_iterator(root, ec)) gpus.push_back(e.path());
  std::sort(gpus.begin(), gpus.end());
  for (const std::string& g : gpus) {
    Expected<std::string> info = ReadFile(g + "/information");
    if (!info) continue;
    for (std::string_view line : StrSplit(*info, '\n')) {
      if (!StartsWith(line, "Model:")) continue;
      return "cuda:" + std::string(StripWhitespace(line.substr(6)));
    }
  }
  return gpus.empty() ? "" : "cuda:unknown";
}

Expected<DevicePeaks> GpuPeaksFromMeasurement(const Json& m, const std::string& device,
                                              const std::string& source) {
  if (!m.is_object()) return InvalidArgumentError("GPU measurement is not an object", {source, 1, 1});
  for (const char* k : {"flops_per_s", "dram_bytes_per_s", "cache_bytes_per_s"}) {
    if (!m.contains(k) || !m[k].is_number() || m[k].get<double>() <= 0) {
      return InvalidArgumentError(std::string("GPU measurement lacks a positive '") + k + "'",
                                  {source, 1, 1});
    }
  }
  DevicePeaks p;
  p.device = device;
  p.flops_per_s = m["flops_per_s"].get<double>() * kFlopsHeadroom;
  p.dram_bytes_per_s = m["dram_bytes_per_s"].get<double>() * kDramHeadroom;
  // The floor's bandwidth is never below DRAM's: a tiny L2 on some part must not make the
  // floor stricter than the DRAM speed of light.
  p.cache_bytes_per_s = std::max(m["cache_bytes_per_s"].get<double>() * kCacheHeadroom,
                                 p.dram_bytes_per_s);
  p.measured_at = Utc();
  p.measured = m;
  p.measured["headroom"] = {{"flops", kFlopsHeadroom}, {"dram", kDramHeadroom},
                            {"cache", kCacheHeadroom}};
  return p;
}

Expected<DevicePeaks> CalibrateGpu(double seconds) {
  std::string device = GpuDeviceName();
  if (device.empty()) {
    return FailedPreconditionError("calibrate --device cuda: no NVIDIA GPU on this host "
                                   "(/proc/driver/nvidia/gpus is empty)");
  }
  std::string script =
      (std::filesystem::path(PythonWorkerPath()).parent_path() / "referee_calibrate_gpu.py")
          .string();
  std::string cmd = "'" + Python() + "' -I '" + script + "' " + StrFormat("%.1f", seconds);
  FILE* f = popen(cmd.c_str(), "r");
  if (!f) return ErrnoError("popen " + script, errno);
  std::string out;
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof(buf), f)) > 0;) out.append(buf, n);
  int rc = pclose(f);
  if (rc != 0) {
    return FailedPreconditionError(StrFormat("%s exited with status %d", script.c_str(), rc),
                                   {script, 0, 0});
  }
  REFEREE_ASSIGN_OR_RETURN(Json m, ParseJson(out, script));
  return GpuPeaksFromMeasurement(m, device, script);
}

}  // namespace referee::harness
