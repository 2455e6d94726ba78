#include "referee/harness/score.h"

#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <vector>

#include "referee/base/clock.h"
#include "referee/base/strings.h"

namespace referee::harness {
namespace {


// Eight independent FMA chains of 8 lanes: enough to fill two FMA pipes at -O3.
__attribute__((optimize("O3"), noinline)) float FmaLoop(long iters, float seed) {
  float acc[64];
  for (int i = 0; i < 64; ++i) acc[i] = seed + static_cast<float>(i) * 1e-3f;
  const float m = 0.999999f, a = 1e-7f;
  for (long it = 0; it < iters; ++it) {
    for (int i = 0; i < 64; ++i) acc[i] = acc[i] * m + a;
  }
  float s = 0;
  for (int i = 0; i < 64; ++i) s += acc[i];
  return s;
}

double MeasureFlops(double seconds) {
  long iters = 1 << 16;
  double best = 0, start = MonotonicSeconds();
  volatile float sink = 0;
  while (MonotonicSeconds() - start < seconds) {
    double t0 = MonotonicSeconds();
    sink = sink + FmaLoop(iters, 1.0f);
    double dt = MonotonicSeconds() - t0;
    best = std::max(best, 2.0 * 64 * static_cast<double>(iters) / dt);
    if (dt < 0.01) iters *= 2;
  }
  return best;
}

double MeasureCopy(size_t bytes, double seconds) {
  std::vector<char> src(bytes, 1), dst(bytes, 0);
  double best = 0, start = MonotonicSeconds();
  while (MonotonicSeconds() - start < seconds) {
    double t0 = MonotonicSeconds();
    int reps = 0;
    // The clock is read once per batch: where clock_gettime is a system call (some VMs) a
    // read per 16 KiB copy measured the clock, not the cache.
    const int batch = bytes < (1 << 20) ? 64 : 1;
    do {
      for (int i = 0; i < batch; ++i, ++reps) {
        std::memcpy(dst.data(), src.data(), bytes);
        src[reps % bytes] = static_cast<char>(dst[(reps * 7) % bytes]);
      }
    } while (MonotonicSeconds() - t0 < 0.005);
    double dt = MonotonicSeconds() - t0;
    best = std::max(best, 2.0 * static_cast<double>(bytes) * reps / dt);
  }
  return best;
}

}  // namespace

DevicePeaks DefaultCpuPeaks() {
  DevicePeaks p;
  p.device = CpuDeviceName();
  p.flops_per_s = 1e13;
  p.dram_bytes_per_s = 1e12;
  p.cache_bytes_per_s = 1e13;
  p.measured_at = "builtin-default";
  return p;
}

std::string CpuDeviceName() {
  std::ifstream in("/proc/cpuinfo");
  std::string line, model = "unknown";
  while (std::getline(in, line)) {
    if (StartsWith(line, "model name")) {
      size_t c = line.find(':');
      if (c != std::string::npos) model = std::string(StripWhitespace(line.substr(c + 1)));
      break;
    }
  }
  return StrFormat("cpu:%s x%ld", model.c_str(), sysconf(_SC_NPROCESSORS_ONLN));
}

DevicePeaks CpuPeaksFromMeasurement(double flops, double cache, double dram) {
  DevicePeaks p;
  p.device = CpuDeviceName();
  p.flops_per_s = flops;
  p.cache_bytes_per_s = cache;
  p.dram_bytes_per_s = dram;
  p.measured = {{"flops_per_s", flops}, {"cache_bytes_per_s", cache}, {"dram_bytes_per_s", dram}};
  // A cache slower than DRAM is a measurement disturbed (a loaded host, a slow clock), not a
  // machine: the floor's bandwidth is never below DRAM's, and the file says why.
  if (cache < dram) {
    p.measured["warning"] = StrFormat(
        "measured cache bandwidth %.3g B/s is below DRAM's %.3g B/s (a disturbed measurement); "
        "the floor uses DRAM's", cache, dram);
    p.cache_bytes_per_s = dram;
  }
  return p;
}

DevicePeaks CalibrateCpu(double seconds) {
  long cpus = std::max(1L, sysconf(_SC_NPROCESSORS_ONLN));
  DevicePeaks p = CpuPeaksFromMeasurement(MeasureFlops(seconds / 3) * static_cast<double>(cpus),
                              MeasureCopy(16 << 10, seconds / 3) * static_cast<double>(cpus),
                              MeasureCopy(256 << 20, seconds / 3));
  time_t now = time(nullptr);
  char buf[32];
  strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
  p.measured_at = buf;
  return p;
}

Json PeaksToJson(const DevicePeaks& p) {
  return Json{{"schema_version", 1},
              {"device", p.device},
              {"flops_per_s", p.flops_per_s},
              {"dram_bytes_per_s", p.dram_bytes_per_s},
              {"cache_bytes_per_s", p.cache_bytes_per_s},
              {"measured_at", p.measured_at},
              {"measured", p.measured}};
}

Expected<DevicePeaks> PeaksFromJson(const Json& j, const std::string& path) {
  DevicePeaks p;
  if (!j.is_object()) return InvalidArgumentError("calibration must be an object", {path, 1, 1});
  for (const char* k : {"flops_per_s", "dram_bytes_per_s", "cache_bytes_per_s"}) {
    if (!j.contains(k) || !j[k].is_number() || j[k].get<double>() <= 0) {
      return InvalidArgumentError(std::string("calibration needs a positive '") + k + "'",
                                  {path, 1, 1});
    }
  }
  p.device = j.value("device", std::string());
  p.flops_per_s = j["flops_per_s"].get<double>();
  p.dram_bytes_per_s = j["dram_bytes_per_s"].get<double>();
  p.cache_bytes_per_s = j["cache_bytes_per_s"].get<double>();
  p.measured_at = j.value("measured_at", std::string());
  if (j.contains("measured")) p.measured = j["measured"];
  return p;
}

std::string DeviceDirFromEnvironment() {
  if (const char* d = std::getenv("REFEREE_DEVICE_DIR")) return d;
  if (const char* x = std::getenv("XDG_CONFIG_HOME")) return std::string(x) + "/referee/devices";
  const char* home = std::getenv("HOME");
  return std::string(home ? home : "/tmp") + "/.config/referee/devices";
}

std::string PeaksPath(const std::string& device_dir, const std::string& device) {
  std::string file;
  for (char c : device) file += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return device_dir + "/" + file + ".json";
}

Roofline ComputeRoofline(double flops, double bytes, const DevicePeaks& peaks) {
  Roofline r;
  double compute = peaks.flops_per_s > 0 ? flops / peaks.flops_per_s : 0;
  r.floor_s = std::max(compute, peaks.cache_bytes_per_s > 0 ? bytes / peaks.cache_bytes_per_s : 0);
  r.sol_s = std::max(compute, peaks.dram_bytes_per_s > 0 ? bytes / peaks.dram_bytes_per_s : 0);
  return r;
}

std::optional<double> SolScore(double t, double t_sol, double t_baseline) {
  double gap = t_baseline - t_sol;
  if (gap <= 0) return std::nullopt;
  double denom = gap + (t - t_sol);
  if (denom <= 0) return std::nullopt;
  return gap / denom;
}

}  // namespace referee::harness
