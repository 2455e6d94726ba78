// Phase 1: the candidate's script trains in the sandbox's training profile, timed from outside.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <regex>

#include "referee/base/clock.h"
#include "referee/base/strings.h"
#include "referee/sandbox/sandbox.h"
#include "seed_run.h"
#include "sha256.h"
#include "traceback.h"

namespace referee::training {
namespace {

namespace fs = std::filesystem;
namespace sb = referee::sandbox;

// The output directory: total bytes of regular files; anything else is listed in `odd`.
struct OutputScan {
  uint64_t bytes = 0;
  std::vector<std::string> files, odd;
  std::string sha256;
};

OutputScan ScanOutput(const std::string& dir, bool hash) {
  OutputScan s;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string rel = it->path().lexically_relative(dir).string();
    if (it->is_symlink(ec)) {
      s.odd.push_back(rel);
    } else if (it->is_regular_file(ec)) {
      s.bytes += it->file_size(ec);
      s.files.push_back(rel);
    } else if (!it->is_directory(ec)) {
      s.odd.push_back(rel);
    }
  }
  std::sort(s.files.begin(), s.files.end());
  if (hash) {
    Sha256 h;
    for (const std::string& f : s.files) {
      h.Update(f);
      h.Update(std::string_view("\0", 1));
      Expected<std::string> fh = Sha256File((fs::path(dir) / f).string());
      h.Update(fh.value_or("unreadable"));
    }
    s.sha256 = h.HexDigest();
  }
  return s;
}

std::string Mb(uint64_t bytes) { return StrFormat("%.2f MB", static_cast<double>(bytes) / 1e6); }

Expected<sb::Policy> Phase1Policy(const SeedContext& ctx) {
  const TrainingTask& t = *ctx.task;
  sb::PolicyBuilder b(sb::Profile::kTraining);
  b.SetDataDir(ctx.data->phase1_dir)
      .AddBind({ctx.workspace->dir, "/work", true})
      .AddWritableBind(ctx.output_dir, "/output",
                       sb::WeakensIsolation::Because("the one declared, size-capped output"))
      .SetEnv("REFEREE_SEED", std::to_string(ctx.seed))
      .SetEnv("REFEREE_BUDGET_S", StrFormat("%g", ctx.budget_s))
      .SetEnv("REFEREE_MODE", ModeName(t.mode))
      .SetEnv("REFEREE_DATA_DIR", "/data")
      .SetEnv("REFEREE_OUTPUT_DIR", "/output")
      .SetEnv("REFEREE_DEVICE", ctx.device)
      .SetEnv("PYTHONPATH", "/work")
      .SetEnv("PYTHONUNBUFFERED", "1")
      .SetEnv("PYTHONNOUSERSITE", "1")
      .SetTermTime(ctx.budget_s)
      .SetWallTime(ctx.budget_s + t.grace_s)
      .SetMemory(t.limits.memory_bytes)
      .SetPids(t.limits.pids)
      .SetFileSize(std::max<uint64_t>(t.output_max_bytes + 1, 64ull << 20))
      .SetWorkingDir("/scratch");
  if (t.target) b.SetEnv("REFEREE_TARGET", StrFormat("%.17g", *t.target));
  // The budget's end on CLOCK_MONOTONIC (Python's time.monotonic()), taken before the sandbox
  // starts: a script that stops by it stops a little early, never late.
  b.SetEnv("REFEREE_DEADLINE_MONOTONIC", StrFormat("%.6f", MonotonicSeconds() + ctx.budget_s));
  if (getuid() == 0) b.SetSandboxIds(ctx.sandbox_id, ctx.sandbox_id);
  if (ctx.device == "cuda") b.SetGpu(ctx.gpu);
  return b.Build();
}

Failure Fail(const SeedContext& ctx, Verdict v, const std::string& check, std::string message) {
  SourceLoc loc{ctx.candidate_dir + "/" + ctx.task->script};
  return Failure{v, check, std::move(message), loc};
}

Failure OverCap(const SeedContext& ctx, uint64_t bytes) {
  return Fail(ctx, Verdict::kRejected, "output-cap",
              "the output directory holds " + Mb(bytes) + ", over the task's " +
                  Mb(ctx.task->output_max_bytes) + " cap");
}

// What stopped or ended the run, in the order "first cause wins" (docs/training.md).
std::optional<Failure> RunFailure(const SeedContext& ctx, const sb::RunResult& r,
                                  const std::string& stop_check) {
  const TrainingTask& t = *ctx.task;
  if (!r.violations.empty()) {
    return Fail(ctx, Verdict::kRejected, "sandbox-violation",
                "forbidden system call during training: " + r.violations.front().syscall +
                    " (network, namespaces and tracing are denied)");
  }
  if (r.stopped) return Fail(ctx, Verdict::kRejected, stop_check, r.reason);
  if (r.terminated) {
    std::string end = r.timed_out ? StrFormat("it ignored SIGTERM and was killed %gs later",
                                              t.grace_s)
                                  : "SIGTERM ended it";
    return Fail(ctx, Verdict::kRejected, "over-budget",
                StrFormat("still running at the %gs budget (Referee's clock starts when the "
                          "script starts, not when it says so); %s, and nothing it did counts",
                          ctx.budget_s, end.c_str()));
  }
  // Before a crash: a write that hit the size limit (EFBIG) fails the script, but the cause is
  // the output's size.
  if (uint64_t bytes = ScanOutput(ctx.output_dir, false).bytes; bytes > t.output_max_bytes) {
    return OverCap(ctx, bytes);
  }
  if (r.leftover_processes > 0) {
    return Fail(ctx, Verdict::kRejected, "background-process",
                StrFormat("%d process(es) were still running when %s exited (a background "
                          "trainer?); they were killed and the run does not count",
                          r.leftover_processes, t.script.c_str()));
  }
  if (r.oom) return Fail(ctx, Verdict::kError, "out-of-memory", "killed by the memory limit");
  if (r.signal != 0 || r.exit_code != 0) {
    Failure f = Fail(ctx, Verdict::kError, "crash", r.reason);
    if (auto e = ParseTraceback(r.stderr_data, CandidatePaths(ctx))) {
      if (!e->loc.empty()) f.loc = e->loc;
      f.message = e->message + " (" + r.reason + ")";
    } else if (std::string last = LastLine(r.stderr_data); !last.empty()) {
      f.message = r.reason + ": " + last;
    }
    return f;
  }
  return std::nullopt;
}

std::optional<Failure> OutputFailure(const SeedContext& ctx, const OutputScan& s) {
  const TrainingTask& t = *ctx.task;
  if (!s.odd.empty()) {
    return Fail(ctx, Verdict::kRejected, "output-contents",
                "/output/" + s.odd.front() + " is not a regular file (symlinks and special "
                "files are refused)");
  }
  if (s.bytes > t.output_max_bytes) return OverCap(ctx, s.bytes);
  std::string entry = t.entry_module + ".py";
  if (s.files.empty() || std::find(s.files.begin(), s.files.end(), entry) == s.files.end()) {
    std::string what = s.files.empty() ? std::string("is empty") : "has no " + entry;
    return Fail(ctx, Verdict::kError, "no-checkpoint",
                StrFormat("wrote no checkpoint: /output %s (the task's entry point is "
                          "/output/%s, defining %s(path))",
                          what.c_str(), entry.c_str(), t.entry_function.c_str()));
  }
  return std::nullopt;
}

// A metric line the script printed itself is ignored; say so (the research's H4).
void NoteSelfReportedMetric(const std::string& out, std::vector<std::string>& notes) {
  static const std::regex kMetric(R"((^|\n)\s*(val_bpb|val_loss|bpb|val_ce)\s*[:=]\s*[-0-9.eE]+)");
  std::smatch m;
  if (std::regex_search(out, m, kMetric)) {
    notes.push_back("the script printed its own metric ('" +
                    std::string(StripWhitespace(m.str())) + "'); Referee ignores it");
  }
}

}  // namespace

std::vector<std::pair<std::string, std::string>> CandidatePaths(const SeedContext& ctx) {
  return {{"/work/", ctx.candidate_dir + "/"}, {"/output/", "<output>/"}};
}

void ReportProgress(const SeedContext& ctx, const char* phase, double elapsed, double limit) {
  if (!ctx.progress) return;
  Progress p;
  p.seed_index = ctx.index;
  p.seeds = ctx.seeds;
  p.phase = phase;
  p.elapsed_s = elapsed;
  p.limit_s = limit;
  ctx.progress(p);
}

Status MakeOutputDir(const SeedContext& ctx) {
  std::error_code ec;
  fs::create_directories(ctx.output_dir, ec);
  if (ec) return InternalError("mkdir " + ctx.output_dir + ": " + ec.message());
  chmod(ctx.output_dir.c_str(), 0755);
  if (getuid() == 0 && chown(ctx.output_dir.c_str(), ctx.sandbox_id, ctx.sandbox_id) != 0) {
    return ErrnoError("chown " + ctx.output_dir, errno);
  }
  return OkStatus();
}

Expected<Phase1Result> RunPhase1(const SeedContext& ctx) {
  std::error_code ec;
  if (!fs::is_directory(ctx.output_dir, ec)) REFEREE_RETURN_IF_ERROR(MakeOutputDir(ctx));
  REFEREE_ASSIGN_OR_RETURN(sb::Policy policy, Phase1Policy(ctx));
  const TrainingTask& t = *ctx.task;
  std::string stop_check;
  sb::RunHooks hooks;
  hooks.tick_interval_s = 0.2;
  hooks.on_tick = [&](double elapsed) -> std::string {
    ReportProgress(ctx, "train", elapsed, ctx.budget_s);
    if (TripwireTouched(ctx.data->tripwire)) {
      stop_check = "validation-read";
      return "opened /data/val.bin, where the validation data would be: it is never in "
             "view during training (the file is a tripwire)";
    }
    uint64_t bytes = ScanOutput(ctx.output_dir, false).bytes;
    if (bytes > t.output_max_bytes) {
      stop_check = "output-cap";
      return "the output directory grew to " + Mb(bytes) + ", over the task's " +
             Mb(t.output_max_bytes) + " cap; stopped";
    }
    return "";
  };
  std::vector<std::string> argv = {ctx.python, "-u", "/work/" + t.script};
  REFEREE_ASSIGN_OR_RETURN(sb::RunResult r, sb::Run(policy, argv, hooks));
  if (r.status == sb::RunStatus::kSetupError) {
    return UnavailableError("the training sandbox did not start: " + r.reason);
  }
  Phase1Result out;
  out.wall_s = r.wall_time_s;
  NoteSelfReportedMetric(r.stdout_data, out.notes);
  if ((out.failure = RunFailure(ctx, r, stop_check))) return out;
  out.checks.push_back({"sandbox", true, "no forbidden system calls"});
  out.checks.push_back({"budget", true, StrFormat("finished in %.2fs of the %gs budget",
                                                 r.wall_time_s, ctx.budget_s)});
  out.checks.push_back({"processes", true, "nothing outlived the script"});
  out.checks.push_back({"validation-read", true, "the validation path was never opened"});
  std::vector<std::string> changed = ChangedFixedFiles(*ctx.workspace);
  if (!changed.empty()) {
    out.failure = Fail(ctx, Verdict::kRejected, "fixed-file-changed",
                       "fixed file " + changed.front() + " changed during training");
    return out;
  }
  OutputScan scan = ScanOutput(ctx.output_dir, true);
  if ((out.failure = OutputFailure(ctx, scan))) return out;
  out.output_bytes = scan.bytes;
  out.output_sha256 = scan.sha256;
  out.checks.push_back({"output-cap", true, StrFormat("%s of %s, %zu files", Mb(scan.bytes).c_str(),
                                                      Mb(t.output_max_bytes).c_str(),
                                                      scan.files.size())});
  return out;
}

}  // namespace referee::training
