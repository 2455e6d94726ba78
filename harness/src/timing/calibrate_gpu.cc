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

}  // namespace

std::string GpuDeviceName(int index) {
  const std::string root = "/proc/driver/nvidia/gpus";
  std::error_code ec;
  std::vector<std::string> gpus;
  for (const auto& e : std::filesystem::directory_iterator(root, ec)) gpus.push_back(e.path());
  // Entries are PCI addresses: sorted, they are in the PCI bus order the index counts in.
  std::sort(gpus.begin(), gpus.end());
  if (index < 0 || static_cast<size_t>(index) >= gpus.size()) return "";
  Expected<std::string> info = ReadFile(gpus[static_cast<size_t>(index)] + "/information");
  if (info) {
    for (std::string_view line : StrSplit(*info, '\n')) {
      if (StartsWith(line, "Model:")) return "cuda:" + std::string(StripWhitespace(line.substr(6)));
    }
  }
  return "cuda:unknown";
}

std::string GpuDriverVersion() {
  Expected<std::string> text = ReadFile("/proc/driver/nvidia/version");
  return text ? ParseNvidiaDriverVersion(*text) : "";
}

std::string ParseNvidiaDriverVersion(std::string_view text) {
  // "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  580.159.04  Release Build ..."
  // (the words before the number differ between the open and the proprietary module).
  std::string_view first = text.substr(0, text.find('\n'));
  for (const std::string& word : StrSplit(first, ' ')) {
    bool version = !word.empty() && word.find('.') != std::string::npos;
    for (char c : word) version = version && ((c >= '0' && c <= '9') || c == '.');
    if (version) return word;
  }
  return "";
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

Expected<DevicePeaks> CalibrateGpu(double seconds, int index, const WorkerPrograms& programs) {
  std::string device = GpuDeviceName(index);
  if (device.empty()) {
    return FailedPreconditionError(StrFormat("calibrate: no NVIDIA GPU %d on this host "
                                             "(/proc/driver/nvidia/gpus)", index));
  }
  std::string script = programs.python_dir() + "/referee_calibrate_gpu.py";
  std::string cmd = StrFormat("CUDA_DEVICE_ORDER=PCI_BUS_ID CUDA_VISIBLE_DEVICES=%d '", index) +
                    programs.python + "' -I '" + script + "' " + StrFormat("%.1f", seconds);
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
