// `referee search init|run|resume|status|report|export|baseline` (issue 19). The loop itself
// lives in search/; this file parses flags, builds the judge, auditor and proposers, prints.
#include <malloc.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "referee/base/file.h"
#include "referee/base/log.h"
#include "referee/base/strings.h"
#include "referee/harness/evaluator.h"
#include "referee/search/auditor.h"
#include "referee/search/builtin_proposers.h"
#include "referee/search/environment.h"
#include "referee/search/external_proposer.h"
#include "referee/search/fake_judge.h"
#include "referee/search/harness_judge.h"
#include "referee/search/search.h"
#ifdef REFEREE_HAVE_CUPTI
#include "referee/cupti/cupti_timer.h"
#endif

namespace referee::cli {
namespace {

using namespace referee::search;

constexpr char kUsage[] =
    "usage: referee search init [--dir DIR] --task TASK --proposer CMD|BUILTIN [options]\n"
    "       referee search run|resume [--dir DIR] [--repair] [budget options]\n"
    "       referee search status|report [--dir DIR] [--json] [--output FILE]\n"
    "       referee search export [--dir DIR] --table T --format csv|jsonl [--output FILE]\n"
    "       referee search baseline [--dir DIR] [--run]\n"
    "A hardened research loop around the evaluator: threads of proposals, each through the patch\n"
    "gate and the cascade (audit, build, quick correctness, screen, full evaluation, paired\n"
    "comparison with the incumbent, confirmation before a new global best), every fact in the\n"
    "journal DIR (default ./referee-search). search/README.md describes it in full.\n"
    "\ninit options:\n"
    "  --start FILE          the starting program's entry file (default: the task's reference)\n"
    "  --file FILE           another file of the program (fixed unless --editable)\n"
    "  --editable NAME       a file proposals may change (default: the entry file)\n"
    "  --proposer SPEC       [NAME=]COMMAND (JSON on stdin/stdout) or a built-in: tune, random,\n"
    "                        grid, crossover, merge; repeat for several\n"
    "  --proposer-weight NAME=W   --assign mixed|per-thread   --threads N (default 2)\n"
    "  --proposer-sandbox auto|on|off   --proposer-timeout S (default 120)\n"
    "  --allow-env NAME      let proposers see NAME (e.g. an API key); secrets are stripped\n"
    "  --judge harness|fake  --device cpu|cuda  --mode cold|hot  --sandbox auto|on|off\n"
    "  --quick               quick stopping for full evaluations and comparisons (CI, demos)\n"
    "  --calibration FILE    --rules DIR   --seed N   --call-timeout S (10)\n"
    "  --alpha A (0.05)  --confirm-alpha A (0.01)  --delta D (0.01)  --screen-keep N (2)\n"
    "  --screen-slack X (1.0)  --migrate-every N (4)  --merge-every N (3)  --stagnation N (6)\n"
    "  --audit-fail-on error|warning   --no-reexecute\n"
    "budget options (init, run, resume; 0 = no limit):\n"
    "  --candidates N (20)  --proposals N  --evaluations N  --rounds N  --wall S  --judge-s S\n"
    "  --proposer-usd X\n"
    "exit status: 0 the search stopped cleanly (the reason is printed); 2 usage, input or\n"
    "evaluator error (the journal stays resumable); 3 internal error\n";

struct Args {
  std::string sub, dir = "referee-search", task, start, output, table, format = "csv";
  std::vector<std::string> files, editable, proposers, weights, allow_env, rule_dirs;
  SearchConfig config;
  bool json = false, repair = false, run_baseline = false, help = false;
  std::map<std::string, std::string> budget;  // flag -> value, applied on run/resume
};

Status NeedValue(int i, int argc, const std::string& flag) {
  return i + 1 < argc ? OkStatus() : InvalidArgumentError(flag + " needs a value");
}

Expected<double> Number(const std::string& flag, const std::string& text) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || v < 0) {
    return InvalidArgumentError(flag + " needs a non-negative number, not '" + text + "'");
  }
  return v;
}

bool IsBudgetFlag(const std::string& f) {
  return f == "--candidates" || f == "--proposals" || f == "--evaluations" || f == "--rounds" ||
         f == "--wall" || f == "--judge-s" || f == "--proposer-usd";
}

Status ApplyBudget(const std::map<std::string, std::string>& flags, BudgetLimits& b) {
  for (const auto& [f, v] : flags) {
    REFEREE_ASSIGN_OR_RETURN(double x, Number(f, v));
    if (f == "--candidates") b.max_candidates = static_cast<int64_t>(x);
    if (f == "--proposals") b.max_proposals = static_cast<int64_t>(x);
    if (f == "--evaluations") b.max_evaluations = static_cast<int64_t>(x);
    if (f == "--rounds") b.max_rounds = static_cast<int64_t>(x);
    if (f == "--wall") b.max_wall_s = x;
    if (f == "--judge-s") b.max_judge_s = x;
    if (f == "--proposer-usd") b.max_proposer_usd = x;
  }
  return OkStatus();
}

// Flags that set one field of the configuration.
Status ConfigFlag(const std::string& f, const std::string& v, SearchConfig& c, bool& known) {
  known = true;
  auto num = [&]() { return Number(f, v); };
  if (f == "--threads") {
    REFEREE_ASSIGN_OR_RETURN(double x, num());
    c.threads.threads = static_cast<int>(x);
  } else if (f == "--assign")
    c.threads.assign = v;
  else if (f == "--judge")
    c.judge = v;
  else if (f == "--device")
    c.device = v;
  else if (f == "--mode")
    c.mode = v;
  else if (f == "--sandbox")
    c.sandbox = v;
  else if (f == "--proposer-sandbox")
    c.proposer_sandbox = v;
  else if (f == "--proposer-timeout") {
    REFEREE_ASSIGN_OR_RETURN(c.proposer_timeout_s, num());
  } else if (f == "--calibration")
    c.calibration = v;
  else if (f == "--call-timeout") {
    REFEREE_ASSIGN_OR_RETURN(c.call_timeout_s, num());
  } else if (f == "--seed") {
    REFEREE_ASSIGN_OR_RETURN(double x, num());
    c.seed = static_cast<uint64_t>(x);
  } else if (f == "--alpha") {
    REFEREE_ASSIGN_OR_RETURN(c.cascade.alpha, num());
  } else if (f == "--confirm-alpha") {
    REFEREE_ASSIGN_OR_RETURN(c.cascade.confirm_alpha, num());
  } else if (f == "--delta") {
    REFEREE_ASSIGN_OR_RETURN(c.cascade.delta, num());
  } else if (f == "--screen-keep") {
    REFEREE_ASSIGN_OR_RETURN(double x, num());
    c.cascade.screen_keep = static_cast<int>(x);
  } else if (f == "--screen-slack") {
    REFEREE_ASSIGN_OR_RETURN(c.cascade.screen_slack, num());
  } else if (f == "--audit-fail-on")
    c.cascade.audit_fail_on = v;
  else if (f == "--migrate-every") {
    REFEREE_ASSIGN_OR_RETURN(double x, num());
    c.threads.migrate_every = static_cast<int>(x);
  } else if (f == "--merge-every") {
    REFEREE_ASSIGN_OR_RETURN(double x, num());
    c.threads.merge_every = static_cast<int>(x);
  } else if (f == "--stagnation") {
    REFEREE_ASSIGN_OR_RETURN(double x, num());
    c.threads.stagnation_rounds = static_cast<int>(x);
  } else
    known = false;
  return OkStatus();
}

Expected<Args> ParseArgs(int argc, char** argv) {
  Args a;
  if (argc < 2) return InvalidArgumentError("missing subcommand");
  a.sub = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string f = argv[i];
    auto take = [&](std::string& out) -> Status {
      REFEREE_RETURN_IF_ERROR(NeedValue(i, argc, f));
      out = argv[++i];
      return OkStatus();
    };
    auto add = [&](std::vector<std::string>& out) -> Status {
      REFEREE_RETURN_IF_ERROR(NeedValue(i, argc, f));
      out.push_back(argv[++i]);
      return OkStatus();
    };
    bool known = false;
    if (f == "--help" || f == "-h")
      a.help = true;
    else if (f == "--json")
      a.json = true;
    else if (f == "--repair")
      a.repair = true;
    else if (f == "--run")
      a.run_baseline = true;
    else if (f == "--quick")
      a.config.quick = true;
    else if (f == "--no-reexecute")
      a.config.cascade.reexecute_best = false;
    else if (f == "--dir")
      REFEREE_RETURN_IF_ERROR(take(a.dir));
    else if (f == "--task")
      REFEREE_RETURN_IF_ERROR(take(a.task));
    else if (f == "--start")
      REFEREE_RETURN_IF_ERROR(take(a.start));
    else if (f == "--output")
      REFEREE_RETURN_IF_ERROR(take(a.output));
    else if (f == "--table")
      REFEREE_RETURN_IF_ERROR(take(a.table));
    else if (f == "--format")
      REFEREE_RETURN_IF_ERROR(take(a.format));
    else if (f == "--file")
      REFEREE_RETURN_IF_ERROR(add(a.files));
    else if (f == "--editable")
      REFEREE_RETURN_IF_ERROR(add(a.editable));
    else if (f == "--proposer")
      REFEREE_RETURN_IF_ERROR(add(a.proposers));
    else if (f == "--proposer-weight")
      REFEREE_RETURN_IF_ERROR(add(a.weights));
    else if (f == "--allow-env")
      REFEREE_RETURN_IF_ERROR(add(a.allow_env));
    else if (f == "--rules")
      REFEREE_RETURN_IF_ERROR(add(a.rule_dirs));
    else if (IsBudgetFlag(f)) {
      REFEREE_RETURN_IF_ERROR(NeedValue(i, argc, f));
      a.budget[f] = argv[++i];
    } else if (!f.empty() && f[0] == '-') {
      REFEREE_RETURN_IF_ERROR(NeedValue(i, argc, f));
      REFEREE_RETURN_IF_ERROR(ConfigFlag(f, argv[i + 1], a.config, known));
      if (!known) return InvalidArgumentError("unknown option '" + f + "'");
      ++i;
    } else {
      a.dir = f;  // a positional journal directory
    }
  }
  return a;
}

// [NAME=]COMMAND or a built-in name.
ProposerSpec ParseProposer(const std::string& spec, size_t index) {
  if (IsBuiltinProposer(spec)) return {spec, "", 1};
  size_t eq = spec.find('='), sp = spec.find(' ');
  if (eq != std::string::npos && (sp == std::string::npos || eq < sp)) {
    return {spec.substr(0, eq), spec.substr(eq + 1), 1};
  }
  std::string name = "external" + std::to_string(index + 1);
  for (const std::string& word : StrSplit(spec, ' ')) {
    std::filesystem::path p(word);
    if (p.has_extension() && word.find('/') != std::string::npos) name = p.stem().string();
  }
  return {name, spec, 1};
}

Expected<Program> LoadStart(Args& a) {
  std::string start = a.start;
  if (start.empty()) {
    REFEREE_ASSIGN_OR_RETURN(harness::Task task, harness::LoadTask(a.task));
    if (task.reference_path.empty()) {
      return InvalidArgumentError("the task's reference is inline: give --start FILE");
    }
    start = task.reference_path;
  }
  Program p;
  std::string entry = std::filesystem::path(start).filename().string();
  REFEREE_ASSIGN_OR_RETURN(p.files[entry], ReadFile(start));
  for (const std::string& f : a.files) {
    REFEREE_ASSIGN_OR_RETURN(p.files[std::filesystem::path(f).filename().string()], ReadFile(f));
  }
  a.config.entry = entry;
  return p;
}

int Fail(const Status& s) {
  if (s.loc().empty()) {
    Logf(LogLevel::kError, "%s", s.message().c_str());
  } else {
    std::fprintf(stderr, "%s\n", s.ToString().c_str());
  }
  return 2;
}

int Init(Args& a) {
  if (a.task.empty() || a.proposers.empty()) {
    return Fail(InvalidArgumentError("search init needs --task and at least one --proposer"));
  }
  SearchConfig& c = a.config;
  c.task_dir = std::filesystem::absolute(a.task).lexically_normal().string();
  Expected<Program> seed = LoadStart(a);
  if (!seed) return Fail(seed.error());
  c.editable = a.editable.empty() ? std::vector<std::string>{c.entry} : a.editable;
  c.gate.editable_files = c.editable;
  for (size_t i = 0; i < a.proposers.size(); ++i)
    c.proposers.push_back(ParseProposer(a.proposers[i], i));
  for (const std::string& w : a.weights) {
    size_t eq = w.find('=');
    bool found = false;
    for (ProposerSpec& p : c.proposers) {
      if (eq != std::string::npos && p.name == w.substr(0, eq)) {
        p.weight = std::strtod(w.c_str() + eq + 1, nullptr);
        found = true;
      }
    }
    if (!found) return Fail(InvalidArgumentError("--proposer-weight: no proposer '" + w + "'"));
  }
  c.allow_env = a.allow_env;
  c.rule_dirs = a.rule_dirs;
  if (Status s = ApplyBudget(a.budget, c.budget); !s.ok()) return Fail(s);
  // Round-trip through the validating reader: bad enums fail here, not at run time.
  Expected<SearchConfig> checked = ConfigFromJson(c.ToJson());
  if (!checked) return Fail(checked.error());
  if (Status s = InitSearch(a.dir, *checked, *seed); !s.ok()) return Fail(s);
  std::printf("search initialised in %s: task %s, start %s, %zu proposer(s), %d thread(s)\n",
              a.dir.c_str(), c.task_dir.c_str(), c.entry.c_str(), c.proposers.size(),
              c.threads.threads);
  return 0;
}

std::atomic<bool> g_interrupted{false};
void OnInterrupt(int) {
  if (g_interrupted.exchange(true)) _exit(130);  // a second Ctrl-C: now
}

// The live view: on a terminal, a status block redrawn in place under the event lines.
class TerminalProgress final : public ProgressSink {
 public:
  TerminalProgress() : tty_(isatty(STDERR_FILENO)) {}
  ~TerminalProgress() override { Clear(); }
  void Event(const std::string& line) override {
    Clear();
    std::fprintf(stderr, "referee: search: %s\n", line.c_str());
    Draw();
  }
  void Update(const Json& status) override {
    if (!tty_) return;
    Clear();
    block_ = FormatProgress(status);
    Draw();
  }

 private:
  void Clear() {
    if (!tty_ || lines_ == 0) return;
    std::fprintf(stderr, "\033[%dA\033[J", lines_);
    lines_ = 0;
  }
  void Draw() {
    if (!tty_ || block_.empty()) return;
    std::fputs(block_.c_str(), stderr);
    lines_ = static_cast<int>(std::count(block_.begin(), block_.end(), '\n'));
    std::fflush(stderr);
  }
  bool tty_;
  std::string block_;
  int lines_ = 0;
};

#ifdef REFEREE_HAVE_CUPTI
// As `referee eval --device cuda` (eval_commands.cc): the CUPTI tracer for every candidate
// worker. Duplicated until the harness's Judge library (issue 12) owns option-making.
Status InstallCuda(harness::EvalOptions& o) {
  std::string lib;
  if (const char* env = getenv("REFEREE_CUPTI_INJECT")) lib = env;
#ifdef REFEREE_CUPTI_INJECT_LIB
  if (lib.empty()) lib = REFEREE_CUPTI_INJECT_LIB;
#endif
  std::error_code ec;
  if (lib.empty() || !std::filesystem::exists(lib, ec)) {
    return FailedPreconditionError("--device cuda: no CUPTI injection library");
  }
  if (!std::filesystem::exists("/dev/nvidiactl", ec)) {
    return FailedPreconditionError("--device cuda: no NVIDIA GPU on this host");
  }
  // Cold mode: the flush each call's harness window must hold, as eval_commands.cc's
  // ColdFlushFloorBytes: the calibrated L2, else 4 MiB.
  uint64_t floor = uint64_t{4} << 20;
  if (o.peaks && o.peaks->measured.is_object() && o.peaks->measured.contains("l2_bytes") &&
      o.peaks->measured["l2_bytes"].is_number_unsigned()) {
    floor = std::max<uint64_t>(o.peaks->measured["l2_bytes"].get<uint64_t>(), 1);
  }
  cupti::CuptiTimerOptions timer;
  timer.attribution.min_flush_bytes = o.cold ? floor : 0;
  o.make_traced_timer = [lib, timer](harness::WorkerSpec& spec) {
    return cupti::MakeTracedTimer(lib, spec, timer);
  };
  o.stopping = harness::GpuStopping();
  return OkStatus();
}
#else
Status InstallCuda(harness::EvalOptions&) {
  return UnimplementedError("--device cuda: this referee was built without harness/cupti");
}
#endif

std::unique_ptr<harness::Launcher> g_launcher;

Expected<std::unique_ptr<Judge>> MakeJudge(const SearchConfig& c) {
  if (c.judge == "fake") return MakeFakeJudge();
  HarnessJudgeOptions o;
  o.task_dir = c.task_dir;
  o.sandbox = c.sandbox;
  o.quick = c.quick;
  o.base.device = c.device;
  o.base.cold = c.mode == "cold";
  o.base.call_timeout_s = c.call_timeout_s;
  if (c.quick) o.base.recheck_delay_s = 0.002;
  if (c.sandbox != "off") {
    std::string why;
    g_launcher = harness::MakeSandboxLauncher(&why);
    if (!g_launcher && c.sandbox == "on") return FailedPreconditionError("--sandbox on: " + why);
    if (!g_launcher)
      Logf(LogLevel::kWarning, "candidates run as plain child processes: %s", why.c_str());
    o.base.candidate_launcher = g_launcher.get();
  }
  if (c.device == "cuda") {
    // As `referee eval --device cuda` without a calibration: peaks far above any GPU, so the
    // roofline floor only catches the impossible (eval_commands.cc NominalGpuPeaks).
    harness::DevicePeaks p;
    p.device = "cuda:nominal";
    p.flops_per_s = 5e15;
    p.dram_bytes_per_s = 2e13;
    p.cache_bytes_per_s = 1e14;
    p.measured_at = "builtin-default";
    o.base.peaks = p;
  }
  std::string device = c.device == "cuda" ? harness::GpuDeviceName() : harness::CpuDeviceName();
  std::string peaks = c.calibration.empty() ? harness::DefaultPeaksPath(device) : c.calibration;
  std::error_code ec;
  if (!c.calibration.empty() || (!device.empty() && std::filesystem::exists(peaks, ec))) {
    REFEREE_ASSIGN_OR_RETURN(Json j, ReadJsonFile(peaks));
    REFEREE_ASSIGN_OR_RETURN(harness::DevicePeaks p, harness::PeaksFromJson(j, peaks));
    o.base.peaks = p;
  }
  // Trusted timings are cached only for sandboxed candidates (eval_commands.cc says why).
  if (!device.empty() && o.base.candidate_launcher) {
    std::filesystem::path pp(harness::DefaultPeaksPath(device));
    o.base.trusted_timing_dir = (pp.parent_path() / "timings" / pp.stem()).string();
  }
  if (c.device == "cuda") REFEREE_RETURN_IF_ERROR(InstallCuda(o.base));
  if (c.quick) o.base.stopping = harness::QuickStopping();
  return MakeHarnessJudge(o);
}

int Run(Args& a, int argc, char** argv) {
  mallopt(M_MMAP_THRESHOLD, 1 << 30);  // as `referee eval`: keep call buffers in the heap
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  std::map<std::string, std::string> stripped = StripSecretsFromProcess();
  if (a.repair) {
    Expected<int> kept = RepairJournal(a.dir);
    if (!kept) return Fail(kept.error());
    std::fprintf(stderr, "referee: search: journal salvaged, %d rows kept\n", *kept);
  }
  Expected<SearchConfig> c = LoadSearchConfig(a.dir);
  if (!c) return Fail(c.error());
  if (!a.budget.empty()) {
    if (Status s = ApplyBudget(a.budget, c->budget); !s.ok()) return Fail(s);
    if (Status s = UpdateBudget(a.dir, c->budget); !s.ok()) return Fail(s);
  }
  Expected<std::unique_ptr<Judge>> judge = MakeJudge(*c);
  if (!judge) return Fail(judge.error());
  std::string why;
  std::unique_ptr<Auditor> auditor = MakeAnalyzersAuditor(c->rule_dirs, &why);
  std::map<std::string, std::unique_ptr<Proposer>> owned;
  SearchDeps deps;
  for (const ProposerSpec& p : c->proposers) {
    if (p.command.empty()) {
      owned[p.name] = MakeBuiltinProposer(p.name);
      if (!owned[p.name]) return Fail(InvalidArgumentError("unknown built-in proposer " + p.name));
    } else {
      ExternalProposerOptions o;
      o.name = p.name;
      o.command = p.command;
      o.timeout_s = c->proposer_timeout_s;
      o.sandbox = c->proposer_sandbox;
      o.env = ProposerEnvironment(ProcessEnvironment(), stripped, c->allow_env);
      o.work_dir = std::filesystem::absolute(a.dir).string() + "/work/proposals";
      Expected<std::unique_ptr<Proposer>> made = MakeExternalProposer(o);
      if (!made) return Fail(made.error());
      owned[p.name] = std::move(*made);
    }
    deps.proposers[p.name] = owned[p.name].get();
  }
  TerminalProgress progress;
  deps.judge = judge->get();
  deps.auditor = auditor.get();
  deps.audit_skip_reason = why;
  deps.progress = &progress;
  deps.interrupted = &g_interrupted;
  std::vector<std::string> words(argv, argv + argc);
  deps.command_line = "referee search " + StrJoin(words, " ");
  signal(SIGINT, OnInterrupt);
  RunOptions options;
  options.baseline = a.sub == "baseline";
  Expected<RunOutcome> r = RunSearch(a.dir, deps, options);
  signal(SIGINT, SIG_DFL);
  if (!r) return Fail(r.error());
  std::printf("search stopped: %s; global best: candidate %lld\n", r->stop_reason.c_str(),
              static_cast<long long>(r->global_best));
  return 0;
}

int Emit(const std::string& text, const std::string& output) {
  if (output.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  Status s = WriteFile(output, text);
  return s.ok() ? 0 : Fail(s);
}

int Show(const Args& a) {
  if (a.sub == "status") {
    Expected<Json> s = SearchStatus(a.dir);
    if (!s) return Fail(s.error());
    return Emit(a.json ? DumpJson(*s) + "\n" : FormatStatus(*s), a.output);
  }
  if (a.sub == "export") {
    if (a.table.empty()) return Fail(InvalidArgumentError("export needs --table"));
    Expected<std::string> out = ExportSearch(a.dir, a.table, a.format);
    if (!out) return Fail(out.error());
    return Emit(*out, a.output);
  }
  Expected<Json> r = SearchReport(a.dir);
  if (!r) return Fail(r.error());
  if (a.sub == "baseline") return Emit(DumpJson((*r)["baseline"]) + "\n", a.output);
  return Emit(a.json ? DumpJson(*r) + "\n" : FormatReport(*r), a.output);
}

}  // namespace

int RunSearchCommand(int argc, char** argv) {
  Expected<Args> a = ParseArgs(argc, argv);
  if (!a) {
    std::fputs(kUsage, stderr);
    return Fail(a.error());
  }
  if (a->help || a->sub == "--help" || a->sub == "-h" || a->sub == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (a->sub == "init") return Init(*a);
  if (a->sub == "run" || a->sub == "resume") return Run(*a, argc, argv);
  if (a->sub == "baseline" && a->run_baseline) return Run(*a, argc, argv);
  if (a->sub == "status" || a->sub == "report" || a->sub == "export" || a->sub == "baseline") {
    return Show(*a);
  }
  std::fputs(kUsage, stderr);
  return Fail(InvalidArgumentError("unknown search subcommand '" + a->sub + "'"));
}

}  // namespace referee::cli
