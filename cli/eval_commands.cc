// `referee eval`, `referee compare`, `referee calibrate` (harness, issue #6).
#include <malloc.h>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "commands.h"
#include "referee/base/file.h"
#include "referee/base/json.h"
#include "referee/base/log.h"
#include "referee/base/strings.h"
#include "referee/harness/evaluator.h"
#ifdef REFEREE_HAVE_CUPTI
#include "referee/cupti/cupti_timer.h"
#endif

namespace referee::cli {
namespace {

using namespace referee::harness;

constexpr char kEvalUsage[] =
    "usage: referee eval --task DIR --candidate PATH [--device cpu|cuda] [--mode cold|hot]\n"
    "                    [--repeat N] [--json] [--output FILE] [--calibration FILE] [--quick]\n"
    "                    [--call-timeout S] [--no-reference-timing] [--fresh-reference-timing]\n"
    "                    [--sandbox auto|on|off] [--max-workload-mib N]\n"
    "Evaluates a candidate (.py, .so or SOL-ExecBench solution.json) against a task directory\n"
    "(definition.json, or a KernelBench .py). Exit 0 PASS, 1 FAIL, 2 input error.\n"
    "--quick uses few samples and short timeouts (tests, CI).\n"
    "--mode hot times N invocations back to back per window (each on fresh inputs, each\n"
    "checked), sample = window / N; --repeat N fixes N (default: a window of >= 1 ms).\n"
    "With the sandbox, the reference's (and baseline's) timing is kept per device for an hour\n"
    "and reused while the programs, task and settings are unchanged; --fresh-reference-timing\n"
    "measures anew.\n"
    "--max-workload-mib N refuses a workload whose inputs and outputs need more than N MiB\n"
    "(default 8192): this process allocates them.\n";
constexpr char kCompareUsage[] =
    "usage: referee compare --task DIR A B [--mode cold|hot] [--repeat N] [--json] [--quick]\n"
    "Paired, interleaved comparison of two candidates: B faster / same / slower / undecided.\n";
constexpr char kCalibrateUsage[] =
    "usage: referee calibrate [--device cpu|cuda] [--output FILE] [--seconds S]\n"
    "Measures this device's peak FLOP rate and bandwidths for roofline floors and SOL scores\n"
    "(cuda: GPU 0, bf16 matmul and copy bandwidths with headroom). `eval` uses the file for\n"
    "its device by default; --calibration FILE names another.\n";

struct Args {
  std::string task, candidate, device = "cpu", mode = "cold", output, calibration;
  std::string sandbox = "auto";
  std::vector<std::string> positional;
  bool json = false, quick = false, help = false, time_reference = true;
  bool fresh_reference_timing = false;
  double call_timeout = 10, seconds = 3;
  int repeat = 0;  // hot mode: invocations per window; 0 adaptive
  TaskLimits limits;
};

Expected<Args> ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    std::string f = argv[i];
    auto value = [&](std::string& out) -> Status {
      if (i + 1 >= argc) return InvalidArgumentError(f + " needs a value");
      out = argv[++i];
      return OkStatus();
    };
    std::string num;
    if (f == "--task") REFEREE_RETURN_IF_ERROR(value(a.task));
    else if (f == "--candidate") REFEREE_RETURN_IF_ERROR(value(a.candidate));
    else if (f == "--device") REFEREE_RETURN_IF_ERROR(value(a.device));
    else if (f == "--mode") REFEREE_RETURN_IF_ERROR(value(a.mode));
    else if (f == "--output") REFEREE_RETURN_IF_ERROR(value(a.output));
    else if (f == "--calibration") REFEREE_RETURN_IF_ERROR(value(a.calibration));
    else if (f == "--sandbox") REFEREE_RETURN_IF_ERROR(value(a.sandbox));
    else if (f == "--json") a.json = true;
    else if (f == "--quick") a.quick = true;
    else if (f == "--no-reference-timing") a.time_reference = false;
    else if (f == "--fresh-reference-timing") a.fresh_reference_timing = true;
    else if (f == "--help" || f == "-h") a.help = true;
    else if (f == "--repeat") {
      REFEREE_RETURN_IF_ERROR(value(num));
      char* end = nullptr;
      long v = std::strtol(num.c_str(), &end, 10);
      if (*end != '\0' || v < 1 || v > 10000) {
        return InvalidArgumentError("--repeat needs a whole number from 1 to 10000");
      }
      a.repeat = static_cast<int>(v);
    }
    else if (f == "--call-timeout" || f == "--seconds") {
      REFEREE_RETURN_IF_ERROR(value(num));
      char* end = nullptr;
      double v = std::strtod(num.c_str(), &end);
      if (*end != '\0' || v <= 0) return InvalidArgumentError(f + " needs a positive number");
      (f == "--seconds" ? a.seconds : a.call_timeout) = v;
    } else if (f == "--max-workload-mib") {
      REFEREE_RETURN_IF_ERROR(value(num));
      char* end = nullptr;
      long long v = std::strtoll(num.c_str(), &end, 10);
      if (*end != '\0' || v < 1 || v > (1LL << 30)) {
        return InvalidArgumentError("--max-workload-mib needs a positive number of MiB");
      }
      a.limits.max_workload_bytes = static_cast<uint64_t>(v) << 20;
    } else if (!f.empty() && f[0] == '-') {
      return InvalidArgumentError("unknown option '" + f + "'");
    } else {
      a.positional.push_back(f);
    }
  }
  if (a.mode != "cold" && a.mode != "hot") return InvalidArgumentError("--mode is cold or hot");
  if (a.repeat > 0 && a.mode != "hot") return InvalidArgumentError("--repeat needs --mode hot");
  if (a.sandbox != "auto" && a.sandbox != "on" && a.sandbox != "off") {
    return InvalidArgumentError("--sandbox is auto, on or off");
  }
  if (a.device != "cpu" && a.device != "cuda") return InvalidArgumentError("--device is cpu or cuda");
  return a;
}

// Candidates run in the sandbox whenever this host supports it; --sandbox on makes its
// absence an error, --sandbox off runs plain child processes (development only).
std::unique_ptr<Launcher> g_launcher;

Status ChooseLauncher(const Args& a, EvalOptions& o) {
  if (a.sandbox == "off") return OkStatus();
  std::string why;
  g_launcher = MakeSandboxLauncher(&why);
  if (g_launcher) {
    o.candidate_launcher = g_launcher.get();
    return OkStatus();
  }
  if (a.sandbox == "on") return FailedPreconditionError("--sandbox on: " + why);
  Logf(LogLevel::kWarning, "candidates run as plain child processes: %s", why.c_str());
  return OkStatus();
}

// --device cuda: the CUPTI injection library for every candidate worker. One-line errors when
// this build has no injection library or the host no NVIDIA GPU.
Expected<std::string> FindCudaTracer() {
  std::string lib;
  if (const char* env = getenv("REFEREE_CUPTI_INJECT")) lib = env;
#ifdef REFEREE_CUPTI_INJECT_LIB
  if (lib.empty()) lib = REFEREE_CUPTI_INJECT_LIB;
#endif
#ifndef REFEREE_HAVE_CUPTI
  return UnimplementedError("--device cuda: this referee was built without harness/cupti");
#else
  std::error_code ec;
  if (lib.empty()) {
    return FailedPreconditionError("--device cuda: built without libreferee_cupti_inject.so "
                                   "(no CUDA toolkit with CUPTI at build time)");
  }
  if (!std::filesystem::exists(lib, ec)) {
    return FailedPreconditionError("--device cuda: CUPTI injection library missing: " + lib);
  }
  if (!std::filesystem::exists("/dev/nvidiactl", ec)) {
    return FailedPreconditionError("--device cuda: no NVIDIA GPU on this host (/dev/nvidiactl "
                                   "missing)");
  }
  return lib;
#endif
}

#ifdef REFEREE_HAVE_CUPTI
// Cold mode: the L2 flush each call's harness window must hold. The worker flushes 2x its
// L2; the floor is 1x the calibrated L2 (a calibration file of a larger-L2 GPU must not fail an
// honest flush), or 4 MiB uncalibrated (every current NVIDIA GPU's L2 is larger than 2 MiB).
uint64_t ColdFlushFloorBytes(const DevicePeaks& peaks) {
  const Json& m = peaks.measured;
  if (m.is_object() && m.contains("l2_bytes") && m["l2_bytes"].is_number_unsigned()) {
    return std::max<uint64_t>(m["l2_bytes"].get<uint64_t>(), 1);
  }
  return uint64_t{4} << 20;
}

void InstallCudaTracer(EvalOptions& o, const std::string& lib) {
  cupti::CuptiTimerOptions timer;
  timer.attribution.min_flush_bytes = o.cold ? ColdFlushFloorBytes(*o.peaks) : 0;
  o.make_traced_timer = [lib, timer](WorkerSpec& spec) {
    return cupti::MakeTracedTimer(lib, spec, timer);
  };
}
#else
void InstallCudaTracer(EvalOptions&, const std::string&) {}  // FindCudaTracer failed already
#endif

// Built-in GPU peaks far above any current GPU (dense bf16 ~2 PFLOP/s, HBM ~5 TB/s), so the
// roofline floor only catches the impossible; --calibration gives real ones.
DevicePeaks NominalGpuPeaks() {
  DevicePeaks p;
  p.device = "cuda:nominal";
  p.flops_per_s = 5e15;
  p.dram_bytes_per_s = 2e13;
  p.cache_bytes_per_s = 1e14;
  p.measured_at = "builtin-default";
  return p;
}

Expected<EvalOptions> MakeOptions(const Args& a) {
  EvalOptions o;
  std::string tracer;
  if (a.device == "cuda") {
    REFEREE_ASSIGN_OR_RETURN(tracer, FindCudaTracer());
    o.peaks = NominalGpuPeaks();
  }
  o.device = a.device;
  o.cold = a.mode == "cold";
  o.hot_repeat = a.repeat;
  if (a.repeat > o.hot_max_repeat) o.hot_max_repeat = a.repeat;
  o.call_timeout_s = a.call_timeout;
  o.time_reference = a.time_reference;
  if (a.device == "cuda") o.stopping = GpuStopping();
  if (a.quick) {
    o.stopping = QuickStopping();
    o.recheck_delay_s = 0.002;
  }
  REFEREE_RETURN_IF_ERROR(ChooseLauncher(a, o));
  // The device's own calibration file when there is one (`referee calibrate`).
  std::string device = a.device == "cuda" ? GpuDeviceName() : CpuDeviceName();
  std::string path = a.calibration.empty() ? DefaultPeaksPath(device) : a.calibration;
  // Trusted timings beside the device's calibration, one folder per device; only for
  // sandboxed candidates: an unsandboxed one runs as the user and could plant an entry (a slow
  // "reference" that inflates its speedup) for itself, so such runs neither read nor write it.
  if (!device.empty() && o.candidate_launcher != nullptr) {
    std::filesystem::path peaks(DefaultPeaksPath(device));
    o.trusted_timing_dir = (peaks.parent_path() / "timings" / peaks.stem()).string();
  }
  if (a.fresh_reference_timing) o.trusted_timing_max_age_s = 0;
  std::error_code ec;
  if (!a.calibration.empty() || (!device.empty() && std::filesystem::exists(path, ec))) {
    REFEREE_ASSIGN_OR_RETURN(Json j, ReadJsonFile(path));
    REFEREE_ASSIGN_OR_RETURN(DevicePeaks p, PeaksFromJson(j, path));
    o.peaks = p;
  }
  if (a.device == "cuda") InstallCudaTracer(o, tracer);
  return o;
}

int Emit(const std::string& text, const std::string& output) {
  if (output.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  Status s = WriteFile(output, text);
  if (!s.ok()) {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
    return 2;
  }
  return 0;
}

Json ArgvJson(int argc, char** argv) {
  Json a = Json::array({"referee"});
  for (int i = 0; i < argc; ++i) a.push_back(argv[i]);
  return a;
}

// .cu candidates are built by nvcc (under the sandbox's build profile per --sandbox) for
// --device cuda only; LibTorch entry-point candidates (.cc/.cpp, or .cu) likewise.
Status PrepareCandidate(const Args& a, Candidate& c) {
  return BuildCandidate(c, a.device, a.sandbox);
}

// One line: "file:line:col: error: ..." when the error has a place, else "referee: error: ...".
int InputError(const Status& s) {
  if (s.loc().empty()) {
    Logf(LogLevel::kError, "%s", s.message().c_str());
  } else {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
  }
  return 2;
}

// Every call allocates fresh input, output and reference buffers of the tensors' size. glibc
// serves those (> 128 KiB) with mmap and returns them on free, so each call page-faults its
// buffers in again (a sixth of the parent's time per call for 1M-element tensors); kept in
// the heap they are reused.
void KeepLargeBuffersInHeap() {
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

}  // namespace

int RunEvalCommand(int argc, char** argv) {
  KeepLargeBuffersInHeap();
  Expected<Args> a = ParseArgs(argc, argv);
  if (!a) {
    std::fputs(kEvalUsage, stderr);
    return InputError(a.error());
  }
  if (a->help) {
    std::fputs(kEvalUsage, stdout);
    return 0;
  }
  if (a->task.empty() || a->candidate.empty()) {
    std::fputs(kEvalUsage, stderr);
    return 2;
  }
  Expected<EvalOptions> opt = MakeOptions(*a);
  if (!opt) return InputError(opt.error());
  Expected<Task> task = LoadTask(a->task, a->limits);
  if (!task) return InputError(task.error());
  Expected<Candidate> cand = ResolveCandidate(a->candidate);
  if (!cand) return InputError(cand.error());
  if (Status s = PrepareCandidate(*a, *cand); !s.ok()) return InputError(s);
  Expected<EvalReport> r = Evaluate(*task, *cand, *opt);
  if (!r) return InputError(r.error());
  Json j = ReportToJson(*r);
  j["argv"] = ArgvJson(argc, argv);
  int rc = Emit(a->json ? DumpJson(j) + "\n" : FormatReport(*r), a->output);
  return rc != 0 ? rc : r->passed ? 0 : 1;
}

int RunCompareCommand(int argc, char** argv) {
  KeepLargeBuffersInHeap();
  Expected<Args> a = ParseArgs(argc, argv);
  if (!a) {
    std::fputs(kCompareUsage, stderr);
    return InputError(a.error());
  }
  if (a->help) {
    std::fputs(kCompareUsage, stdout);
    return 0;
  }
  if (a->task.empty() || a->positional.size() != 2) {
    std::fputs(kCompareUsage, stderr);
    return 2;
  }
  Expected<EvalOptions> opt = MakeOptions(*a);
  if (!opt) return InputError(opt.error());
  Expected<Task> task = LoadTask(a->task, a->limits);
  if (!task) return InputError(task.error());
  Expected<Candidate> ca = ResolveCandidate(a->positional[0]);
  if (!ca) return InputError(ca.error());
  if (Status s = PrepareCandidate(*a, *ca); !s.ok()) return InputError(s);
  Expected<Candidate> cb = ResolveCandidate(a->positional[1]);
  if (!cb) return InputError(cb.error());
  if (Status s = PrepareCandidate(*a, *cb); !s.ok()) return InputError(s);
  Expected<CompareReport> r = Compare(*task, *ca, *cb, *opt);
  if (!r) return InputError(r.error());
  Json j = CompareToJson(*r);
  j["argv"] = ArgvJson(argc, argv);
  int rc = Emit(a->json ? DumpJson(j) + "\n" : FormatCompare(*r), a->output);
  return rc != 0 ? rc : r->valid ? 0 : 1;
}

int RunCalibrateCommand(int argc, char** argv) {
  Expected<Args> a = ParseArgs(argc, argv);
  if (!a) {
    std::fputs(kCalibrateUsage, stderr);
    return InputError(a.error());
  }
  if (a->help) {
    std::fputs(kCalibrateUsage, stdout);
    return 0;
  }
  DevicePeaks p;
  if (a->device == "cuda") {
    Expected<DevicePeaks> gpu = CalibrateGpu(a->seconds);
    if (!gpu) return InputError(gpu.error());
    p = *gpu;
  } else {
    p = CalibrateCpu(a->seconds);
  }
  std::string path = a->output.empty() ? DefaultPeaksPath(p.device) : a->output;
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  Status s = WriteFile(path, DumpJson(PeaksToJson(p)) + "\n");
  if (!s.ok()) return InputError(s);
  std::printf("%s: %.3g FLOP/s, DRAM %.3g B/s, cache %.3g B/s -> %s\n", p.device.c_str(),
              p.flops_per_s, p.dram_bytes_per_s, p.cache_bytes_per_s, path.c_str());
  return 0;
}

}  // namespace referee::cli
