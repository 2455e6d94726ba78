#include "referee/harness/judge.h"

#include <algorithm>
#include <filesystem>

#include "referee/base/file.h"
#include "referee/base/strings.h"

#ifdef REFEREE_HARNESS_HAVE_CUPTI
#include "referee/cupti/cupti_timer.h"
#endif

namespace referee::harness {
namespace {

namespace fs = std::filesystem;

// Built-in GPU peaks far above any current GPU (dense bf16 ~2 PFLOP/s, HBM ~5 TB/s), so the
// roofline floor only catches the impossible; a calibration gives real ones.
DevicePeaks NominalGpuPeaks() {
  DevicePeaks p;
  p.device = "cuda:nominal";
  p.flops_per_s = 5e15;
  p.dram_bytes_per_s = 2e13;
  p.cache_bytes_per_s = 1e14;
  p.measured_at = "builtin-default";
  return p;
}

std::string DeviceName(const Placement& placement) {
  return placement.on_gpu() ? GpuDeviceName(*placement.gpu) : CpuDeviceName();
}

// The CUPTI injection library for GPU workers; a one-line error when this build has none or
// the host lacks the GPU.
Expected<std::string> FindCuptiLibrary(const JudgeConfig& config) {
  std::string lib = config.cupti_library;
#ifdef REFEREE_CUPTI_INJECT_LIB
  if (lib.empty()) lib = REFEREE_CUPTI_INJECT_LIB;
#endif
#ifndef REFEREE_HARNESS_HAVE_CUPTI
  return UnimplementedError("--device cuda: this referee was built without harness/cupti");
#else
  std::error_code ec;
  if (lib.empty()) {
    return FailedPreconditionError("--device cuda: built without libreferee_cupti_inject.so "
                                   "(no CUDA toolkit with CUPTI at build time)");
  }
  if (!fs::exists(lib, ec)) {
    return FailedPreconditionError("--device cuda: CUPTI injection library missing: " + lib);
  }
  if (!fs::exists("/dev/nvidiactl", ec)) {
    return FailedPreconditionError("--device cuda: no NVIDIA GPU on this host (/dev/nvidiactl "
                                   "missing)");
  }
  std::string node = "/dev/nvidia" + std::to_string(*config.placement.gpu);
  if (!fs::exists(node, ec)) {
    return FailedPreconditionError("--device " + config.placement.Name() + ": no such GPU (" +
                                   node + " missing)");
  }
  return lib;
#endif
}

// Cold mode: the L2 flush each call's harness window must hold. The worker flushes 2x its L2;
// the floor is 1x the calibrated L2 (a calibration file of a larger-L2 GPU must not fail an
// honest flush), or 4 MiB uncalibrated (every current NVIDIA GPU's L2 is larger than 2 MiB).
uint64_t ColdFlushFloorBytes(const std::optional<DevicePeaks>& peaks) {
  if (peaks) {
    const Json& m = peaks->measured;
    if (m.is_object() && m.contains("l2_bytes") && m["l2_bytes"].is_number_unsigned()) {
      return std::max<uint64_t>(m["l2_bytes"].get<uint64_t>(), 1);
    }
  }
  return uint64_t{4} << 20;
}

StoppingParams PlacementStopping(const JudgeConfig& config) {
  if (config.stopping) return *config.stopping;
  if (config.quick) return QuickStopping();
  return config.placement.on_gpu() ? GpuStopping() : StoppingParams{};
}

StoppingParams DefaultStopping(const JudgeConfig& config) {
  StoppingParams p = PlacementStopping(config);
  if (config.stop_median_ci > 0) p.max_median_ci = config.stop_median_ci;
  if (config.max_measured_s > 0) p.max_measured_s = config.max_measured_s;
  return p;
}

}  // namespace

Expected<std::unique_ptr<Judge>> Judge::Create(JudgeConfig config) {
  std::unique_ptr<Judge> judge(new Judge());
  judge->config_ = std::move(config);
  const JudgeConfig& c = judge->config_;
  if (c.hot_repeat < 0 || c.hot_repeat > 10000) {
    return InvalidArgumentError("hot repeat must be from 0 (adaptive) to 10000");
  }
  if (c.hot_repeat > 0 && c.cold) return InvalidArgumentError("a fixed repeat needs hot mode");
  if (!(c.call_timeout_s > 0)) return InvalidArgumentError("the call timeout must be positive");
  EvalOptions& o = judge->options_;
  o.placement = c.placement;
  o.programs = c.programs;
  o.cold = c.cold;
  o.hot_repeat = c.hot_repeat;
  o.hot_max_repeat = std::max(o.hot_max_repeat, c.hot_repeat);
  o.call_timeout_s = c.call_timeout_s;
  o.memory_limit_bytes = c.memory_limit_bytes;
  o.progress = c.progress;
  o.time_reference = c.time_reference;
  o.stopping = DefaultStopping(c);
  o.require_own_kernels = c.require_own_kernels;
  if (c.quick) o.recheck_delay_s = 0.002;
  if (c.fresh_reference_timing) o.trusted_timing_max_age_s = 0;
  REFEREE_RETURN_IF_ERROR(judge->ChooseLauncher());
  REFEREE_RETURN_IF_ERROR(judge->LoadPeaks());
  if (c.placement.on_gpu()) REFEREE_RETURN_IF_ERROR(judge->InstallGpuTracer());
  return judge;
}

Judge::~Judge() = default;

// Candidates run in the sandbox whenever this host supports it; kOn makes its absence an
// error, kOff runs plain child processes (development only).
Status Judge::ChooseLauncher() {
  if (config_.sandbox == SandboxMode::kOff) return OkStatus();
  std::string why;
  sandbox_launcher_ = MakeSandboxLauncher(&why);
  if (sandbox_launcher_) {
    options_.candidate_launcher = sandbox_launcher_.get();
    return OkStatus();
  }
  if (config_.sandbox == SandboxMode::kOn) return FailedPreconditionError("--sandbox on: " + why);
  warnings_.push_back("candidates run as plain child processes: " + why);
  return OkStatus();
}

// The peaks and, for sandboxed judges with a device directory, the trusted-timing cache beside
// the device's calibration (one folder per device).
Status Judge::LoadPeaks() {
  const JudgeConfig& c = config_;
  if (c.placement.on_gpu()) options_.peaks = NominalGpuPeaks();
  std::string device = c.device_dir.empty() ? "" : DeviceName(c.placement);
  std::string path = c.calibration_file;
  if (path.empty() && !device.empty()) path = PeaksPath(c.device_dir, device);
  std::error_code ec;
  if (c.peaks) {
    options_.peaks = c.peaks;
  } else if (!c.calibration_file.empty() || (!path.empty() && fs::exists(path, ec))) {
    Expected<Json> j = ReadJsonFile(path);
    if (!j) return j.error().loc().empty() ? j.error().WithLoc(SourceLoc{path}) : j.error();
    REFEREE_ASSIGN_OR_RETURN(DevicePeaks p, PeaksFromJson(*j, path));
    options_.peaks = p;
  }
  // Only sandboxed candidates share cached trusted timings (see the header).
  if (!device.empty() && options_.candidate_launcher != nullptr) {
    fs::path peaks(PeaksPath(c.device_dir, device));
    options_.trusted_timing_dir = (peaks.parent_path() / "timings" / peaks.stem()).string();
  }
  return OkStatus();
}

Status Judge::InstallGpuTracer() {
  REFEREE_ASSIGN_OR_RETURN(std::string lib, FindCuptiLibrary(config_));
#ifdef REFEREE_HARNESS_HAVE_CUPTI
  cupti::CuptiTimerOptions timer;
  timer.attribution.min_flush_bytes = options_.cold ? ColdFlushFloorBytes(options_.peaks) : 0;
  options_.make_traced_timer = [lib, timer](WorkerSpec& spec) {
    return cupti::MakeTracedTimer(lib, spec, timer);
  };
#else
  (void)lib;
#endif
  return OkStatus();
}

std::string Judge::launcher_name() const { return sandbox_launcher_ ? "sandbox" : "plain"; }

Status Judge::Prepare(Candidate& candidate) const {
  return BuildCandidate(candidate, config_.placement, config_.sandbox, config_.programs);
}

Expected<EvalReport> Judge::Evaluate(const Task& task, const Candidate& candidate) const {
  return harness::Evaluate(task, candidate, options_);
}

Expected<CompareReport> Judge::Compare(const Task& task, const Candidate& a, const Candidate& b,
                                       CompareParams params) const {
  return harness::Compare(task, a, b, options_, params.alpha, params.delta);
}

}  // namespace referee::harness
