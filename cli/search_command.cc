// `referee search init|run|resume|status|report|export|baseline` (issue 19). The loop lives in
// search/; this file declares the flags, builds the judge, the auditor and the proposers, and
// prints. Judging flags are the ones `eval` takes (judge_flags.h), stored in the journal at init.
#include <malloc.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "commands.h"
#include "exit_codes.h"
#include "flags.h"
#include "judge_flags.h"
#include "output.h"
#include "referee/base/file.h"
#include "referee/base/log.h"
#include "referee/base/strings.h"
#include "referee/search/auditor.h"
#include "referee/search/builtin_proposers.h"
#include "referee/search/environment.h"
#include "referee/search/external_proposer.h"
#include "referee/search/fake_judge.h"
#include "referee/search/harness_judge.h"
#include "referee/search/html_report.h"
#include "referee/search/search.h"
#include "search_executor.h"

namespace referee::cli {
namespace {

using namespace referee::search;

constexpr char kDescription[] =
    "A hardened research loop around the evaluator: threads of proposals, each through the\n"
    "patch gate and the cascade (audit, build, quick correctness, screen, full evaluation, paired\n"
    "comparison with the incumbent, confirmation before a new global best); every fact is in the\n"
    "journal DIR (default ./referee-search). search/README.md describes it in full.\n"
    "subcommands: init, run, resume, status, report, export, baseline\n";

// The budget flags of init, run and resume (0: no limit; --candidates is required > 0).
struct BudgetFlags {
  int candidates = -1, proposals = -1, evaluations = -1, rounds = -1;
  double wall = -1, judge_s = -1, proposer_usd = -1;
};

void AddBudgetFlags(FlagSet& f, BudgetFlags* b) {
  f.Int("--candidates", &b->candidates, 1, 1000000, "N", "candidates to evaluate (default 20)")
      .Int("--proposals", &b->proposals, 0, 100000000, "N",
           "proposer calls, failed ones included (default 4 x candidates)")
      .Int("--evaluations", &b->evaluations, 0, 100000000, "N", "judge calls (0: no limit)")
      .Int("--rounds", &b->rounds, 0, 1000000, "N", "rounds (0: no limit)")
      .Double("--wall", &b->wall, -1e-9, "S", "wall seconds over every session (0: no limit)")
      .Double("--judge-s", &b->judge_s, -1e-9, "S",
              "judge (device) seconds, GPU-seconds on a GPU (0: no limit)")
      .Double("--proposer-usd", &b->proposer_usd, -1e-9, "X",
              "the proposers' self-reported cost (0: no limit)");
}

void ApplyBudget(const BudgetFlags& f, BudgetLimits& b) {
  if (f.candidates >= 0) b.max_candidates = f.candidates;
  if (f.proposals >= 0) b.max_proposals = f.proposals;
  if (f.evaluations >= 0) b.max_evaluations = f.evaluations;
  if (f.rounds >= 0) b.max_rounds = f.rounds;
  if (f.wall >= 0) b.max_wall_s = f.wall;
  if (f.judge_s >= 0) b.max_judge_s = f.judge_s;
  if (f.proposer_usd >= 0) b.max_proposer_usd = f.proposer_usd;
}

bool BudgetGiven(const BudgetFlags& f) {
  return f.candidates >= 0 || f.proposals >= 0 || f.evaluations >= 0 || f.rounds >= 0 ||
         f.wall >= 0 || f.judge_s >= 0 || f.proposer_usd >= 0;
}

// The journal directory: --dir or the one positional argument.
Expected<std::string> JournalDir(std::string dir, const std::vector<std::string>& positional) {
  if (positional.size() > 1) return InvalidArgumentError("one journal directory at most");
  if (!positional.empty()) dir = positional[0];
  return dir;
}

// [NAME=]COMMAND, or a built-in operator's name.
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

struct InitFlags {
  std::string dir = "referee-search", task, start, assign = "mixed", judge = "harness";
  std::string proposer_sandbox = "auto", audit_fail_on = "error";
  std::vector<std::string> files, editable, proposers, weights, allow_env, rules, positional;
  int threads = 2, screen_keep = 2, migrate_every = 4, merge_every = 3, stagnation = 6;
  int seed = 1;
  double proposer_timeout = 120, alpha = 0.05, confirm_alpha = 0.01, delta = 0.01;
  double screen_slack = 1.0;
  bool no_reexecute = false;
  JudgeFlags judge_flags;
  BudgetFlags budget;
  ExecutorFlags executor;
};

void AddInitFlags(FlagSet& f, InitFlags* a) {
  f.String("--dir", &a->dir, "DIR", "the journal directory (default ./referee-search)")
      .String("--task", &a->task, "DIR", "the task directory")
      .String("--start", &a->start, "FILE", "the starting program (default: the task's reference)")
      .Repeated("--file", &a->files, "FILE", "another file of the program (fixed unless editable)")
      .Repeated("--editable", &a->editable, "NAME", "a file proposals may change (default: start)")
      .Repeated("--proposer", &a->proposers, "SPEC",
                "[NAME=]COMMAND speaking JSON on stdin/stdout, or tune|random|grid|crossover|merge")
      .Repeated("--proposer-weight", &a->weights, "NAME=W", "how often a proposer is chosen")
      .Choice("--assign", &a->assign, {"mixed", "per-thread"},
              "mixed: a weighted choice per proposal; per-thread: thread t uses proposer t")
      .Int("--threads", &a->threads, 1, 64, "N", "research threads (default 2)")
      .Choice("--proposer-sandbox", &a->proposer_sandbox, {"auto", "on", "off"},
              "run external proposers in the sandbox (off: they may reach the network)")
      .Double("--proposer-timeout", &a->proposer_timeout, 0, "S", "per proposal (default 120)")
      .Repeated("--allow-env", &a->allow_env, "NAME", "let proposers see NAME (an API key)")
      .Choice("--judge", &a->judge, {"harness", "fake"}, "fake: the no-op judge (tests, bench)")
      .Repeated("--rules", &a->rules, "DIR", "audit rules (default: the bundled rules)")
      .Int("--seed", &a->seed, 0, 2147483647, "N", "the search's random seed")
      .Double("--alpha", &a->alpha, 0, "A", "paired acceptance in a thread (default 0.05)")
      .Double("--confirm-alpha", &a->confirm_alpha, 0, "A",
              "confirmation before a new global best (default 0.01)")
      .Double("--delta", &a->delta, 0, "D", "practical margin (default 0.01)")
      .Int("--screen-keep", &a->screen_keep, 1, 1000, "N", "survivors of the screen (default 2)")
      .Double("--screen-slack", &a->screen_slack, 0, "X",
              "cut at the incumbent's quick time x (1 + X) (default 1)")
      .Int("--migrate-every", &a->migrate_every, 0, 1000000, "N", "rounds (0: never; default 4)")
      .Int("--merge-every", &a->merge_every, 0, 1000000, "N", "rounds (0: never; default 3)")
      .Int("--stagnation", &a->stagnation, 0, 1000000, "N",
           "rounds without a move before a reset (0: never; default 6)")
      .Choice("--audit-fail-on", &a->audit_fail_on, {"error", "warning"},
              "new findings of this severity reject a candidate")
      .Bool("--no-reexecute", &a->no_reexecute, "do not re-run the global best at the end")
      .Positionals(&a->positional, "DIR");
  AddJudgeFlags(f, &a->judge_flags);
  AddBudgetFlags(f, &a->budget);
  AddExecutorFlags(f, &a->executor);
}

Expected<Program> LoadStart(const InitFlags& a, SearchConfig& c) {
  std::string start = a.start;
  if (start.empty()) {
    REFEREE_ASSIGN_OR_RETURN(harness::Task task, harness::LoadTask(a.task));
    if (task.reference_path.empty()) {
      return InvalidArgumentError("the task's reference is inline: give --start FILE");
    }
    start = task.reference_path;
  }
  Program p;
  c.entry = std::filesystem::path(start).filename().string();
  REFEREE_ASSIGN_OR_RETURN(p.files[c.entry], ReadFile(start));
  for (const std::string& f : a.files) {
    REFEREE_ASSIGN_OR_RETURN(p.files[std::filesystem::path(f).filename().string()], ReadFile(f));
  }
  return p;
}

Expected<SearchConfig> MakeConfig(const InitFlags& a) {
  SearchConfig c;
  c.task_dir = std::filesystem::absolute(a.task).lexically_normal().string();
  for (size_t i = 0; i < a.proposers.size(); ++i)
    c.proposers.push_back(ParseProposer(a.proposers[i], i));
  for (const std::string& w : a.weights) {
    size_t eq = w.find('=');
    auto it = std::find_if(c.proposers.begin(), c.proposers.end(), [&](const ProposerSpec& p) {
      return eq != std::string::npos && p.name == w.substr(0, eq);
    });
    if (it == c.proposers.end()) return InvalidArgumentError("--proposer-weight: no proposer " + w);
    it->weight = std::strtod(w.c_str() + eq + 1, nullptr);
  }
  c.threads.threads = a.threads;
  c.threads.assign = a.assign;
  c.threads.migrate_every = a.migrate_every;
  c.threads.merge_every = a.merge_every;
  c.threads.stagnation_rounds = a.stagnation;
  c.cascade = {a.alpha,         a.confirm_alpha, a.delta, a.screen_slack, a.screen_keep, 2,
               a.audit_fail_on, !a.no_reexecute, 4};
  c.seed = static_cast<uint64_t>(a.seed);
  c.judge = a.judge;
  const JudgeFlags& j = a.judge_flags;
  c.device = j.device;
  c.mode = j.mode;
  c.sandbox = j.sandbox;
  c.quick = j.quick;
  c.call_timeout_s = j.call_timeout;
  c.hot_repeat = j.repeat;
  c.memory = j.memory;
  c.calibration = j.calibration;
  c.time_reference = !j.no_reference_timing;
  c.proposer_sandbox = a.proposer_sandbox;
  c.proposer_timeout_s = a.proposer_timeout;
  c.allow_env = a.allow_env;
  c.rule_dirs = a.rules;
  ApplyBudget(a.budget, c.budget);
  REFEREE_RETURN_IF_ERROR(ApplyExecutorFlags(a.executor, c));
  return c;
}

int Init(int argc, char** argv) {
  InitFlags a;
  FlagSet flags("referee search init --task DIR --proposer SPEC [options] [DIR]", kDescription);
  AddInitFlags(flags, &a);
  if (int rc = ParseOrExit(flags, argc, argv, "search init"); rc >= 0) return rc;
  if (a.task.empty() || a.proposers.empty()) {
    return UsageError(InvalidArgumentError("search init needs --task and at least one --proposer"),
                      "search init");
  }
  Expected<std::string> dir = JournalDir(a.dir, a.positional);
  if (!dir) return UsageError(dir.error(), "search init");
  Expected<SearchConfig> c = MakeConfig(a);
  if (!c) return InputError(c.error());
  Expected<Program> seed = LoadStart(a, *c);
  if (!seed) return InputError(seed.error());
  c->editable = a.editable.empty() ? std::vector<std::string>{c->entry} : a.editable;
  // Round-trip through the validating reader: a bad setting fails here, not at run time.
  Expected<SearchConfig> checked = ConfigFromJson(c->ToJson());
  if (!checked) return InputError(checked.error());
  if (Status s = InitSearch(*dir, *checked, *seed); !s.ok()) return InputError(s);
  std::printf("search initialised in %s: task %s, start %s, %zu proposer(s), %d thread(s)\n",
              dir->c_str(), c->task_dir.c_str(), c->entry.c_str(), c->proposers.size(),
              c->threads.threads);
  return kExitClean;
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

// Built-in operators in process; external commands with the allow-list environment.
Status MakeProposers(const SearchConfig& c, const std::string& dir,
                     const std::map<std::string, std::string>& stripped,
                     std::map<std::string, std::unique_ptr<Proposer>>& owned) {
  for (const ProposerSpec& p : c.proposers) {
    if (p.command.empty()) {
      owned[p.name] = MakeBuiltinProposer(p.name);
      if (!owned[p.name]) return InvalidArgumentError("unknown built-in proposer " + p.name);
      continue;
    }
    ExternalProposerOptions o;
    o.name = p.name;
    o.command = p.command;
    o.timeout_s = c.proposer_timeout_s;
    o.sandbox = c.proposer_sandbox;
    o.env = ProposerEnvironment(ProcessEnvironment(), stripped, c.allow_env);
    o.work_dir = std::filesystem::absolute(dir).string() + "/work/proposals";
    REFEREE_ASSIGN_OR_RETURN(owned[p.name], MakeExternalProposer(o));
  }
  return OkStatus();
}

int Run(int argc, char** argv, const std::string& sub) {
  std::string dir = "referee-search";
  std::vector<std::string> positional;
  bool repair = false, run_baseline = false;
  BudgetFlags budget;
  FlagSet flags("referee search " + sub + " [--dir DIR] [options] [DIR]", kDescription);
  flags.String("--dir", &dir, "DIR", "the journal directory (default ./referee-search)")
      .Positionals(&positional, "DIR");
  if (sub == "baseline") {
    flags.Bool("--run", &run_baseline, "run the compute-matched baseline (else: its estimate)");
  } else {
    flags.Bool("--repair", &repair, "salvage a journal that failed its integrity check first");
    AddBudgetFlags(flags, &budget);
  }
  if (int rc = ParseOrExit(flags, argc, argv, "search " + sub); rc >= 0) return rc;
  Expected<std::string> d = JournalDir(dir, positional);
  if (!d) return UsageError(d.error(), "search " + sub);
  if (sub == "baseline" && !run_baseline) {
    Expected<Json> r = SearchReport(*d);
    if (!r) return InputError(r.error());
    return WriteOutput(DumpJson((*r)["baseline"]) + "\n", "");
  }
  mallopt(M_MMAP_THRESHOLD, 1 << 30);  // as `referee eval`: keep call buffers in the heap
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  std::map<std::string, std::string> stripped = StripSecretsFromProcess();
  if (repair) {
    Expected<int> kept = RepairJournal(*d);
    if (!kept) return InputError(kept.error());
    std::fprintf(stderr, "referee: search: journal salvaged, %d rows kept\n", *kept);
  }
  Expected<SearchConfig> c = LoadSearchConfig(*d);
  if (!c) return InputError(c.error());
  if (BudgetGiven(budget)) {
    ApplyBudget(budget, c->budget);
    if (Status s = UpdateBudget(*d, c->budget); !s.ok()) return InputError(s);
  }
  // A Slurm search judges in its jobs: this host may have neither the GPU nor the toolchain.
  Expected<std::unique_ptr<Judge>> judge = c->executor.kind == "slurm"
                                               ? Expected<std::unique_ptr<Judge>>(nullptr)
                                               : MakeSearchJudge(*c);
  if (!judge) return InputError(judge.error());
  Expected<std::unique_ptr<Executor>> executor =
      MakeSearchExecutor(*c, *d, judge->get(), &g_interrupted);
  if (!executor) return InputError(executor.error());
  std::string why;
  std::unique_ptr<Auditor> auditor = MakeAnalyzersAuditor(c->rule_dirs, c->task_dir, &why);
  std::map<std::string, std::unique_ptr<Proposer>> owned;
  if (Status s = MakeProposers(*c, *d, stripped, owned); !s.ok()) return InputError(s);
  TerminalProgress progress;
  SearchDeps deps;
  for (auto& [name, p] : owned) deps.proposers[name] = p.get();
  deps.judge = judge->get();
  deps.executor = executor->get();
  deps.auditor = auditor.get();
  deps.audit_skip_reason = why;
  deps.progress = &progress;
  deps.interrupted = &g_interrupted;
  std::vector<std::string> words(argv, argv + argc);
  deps.command_line = "referee search " + StrJoin(words, " ");
  signal(SIGINT, OnInterrupt);
  signal(SIGTERM, OnInterrupt);  // a batch scheduler's stop: cancel the jobs, journal, exit
  RunOptions options;
  options.baseline = sub == "baseline";
  Expected<RunOutcome> r = RunSearch(*d, deps, options);
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  if (!r) return InputError(r.error());
  std::printf("search stopped: %s; global best: candidate %lld\n", r->stop_reason.c_str(),
              static_cast<long long>(r->global_best));
  return kExitClean;
}

int Show(int argc, char** argv, const std::string& sub) {
  std::string dir = "referee-search", output, table, format = sub == "export" ? "csv" : "text";
  std::vector<std::string> positional;
  FlagSet flags("referee search " + sub + " [--dir DIR] [options] [DIR]", kDescription);
  flags.String("--dir", &dir, "DIR", "the journal directory (default ./referee-search)")
      .String("-o,--output", &output, "FILE", "write to FILE instead of stdout")
      .Positionals(&positional, "DIR");
  if (sub == "export") {
    flags
        .Choice("--table", &table, {"candidates", "stages", "decisions", "incidents", "proposals"},
                "the journal table to export")
        .Choice("--format", &format, {"csv", "jsonl"}, "csv (default) or jsonl");
  } else {
    std::vector<std::string> formats = {"text", "json"};
    if (sub == "report") formats.push_back("html");  // issue 14: one self-contained page
    AddFormatFlag(flags, &format, formats);
  }
  if (int rc = ParseOrExit(flags, argc, argv, "search " + sub); rc >= 0) return rc;
  Expected<std::string> d = JournalDir(dir, positional);
  if (!d) return UsageError(d.error(), "search " + sub);
  if (sub == "export") {
    if (table.empty())
      return UsageError(InvalidArgumentError("export needs --table"), "search export");
    Expected<std::string> out = ExportSearch(*d, table, format);
    if (!out) return InputError(out.error());
    return WriteOutput(*out, output);
  }
  if (format == "html") {
    Expected<std::string> html = SearchReportHtml(*d);
    if (!html) return InputError(html.error());
    return WriteOutput(*html, output);
  }
  Expected<Json> j = sub == "status" ? SearchStatus(*d) : SearchReport(*d);
  if (!j) return InputError(j.error());
  if (format == "json") return WriteOutput(DumpJson(*j) + "\n", output);
  return WriteOutput(sub == "status" ? FormatStatus(*j) : FormatReport(*j), output);
}

}  // namespace

// `referee report [--dir D] [-o FILE] [--format html|text|json]`: the search's report, one
// self-contained HTML page unless a format is given (issue 14 item 3). The same as
// `referee search report --format html`.
int RunReportCommand(int argc, char** argv) {
  std::vector<char*> args(argv, argv + argc);
  bool has_format = std::any_of(args.begin() + 1, args.end(), [](const char* a) {
    std::string_view v(a);
    return v == "--format" || v.rfind("--format=", 0) == 0 || v == "--json";
  });
  static char format_flag[] = "--format", html[] = "html";
  if (!has_format) args.insert(args.begin() + 1, {format_flag, html});
  return Show(static_cast<int>(args.size()), args.data(), "report");
}

int RunSearchCommand(int argc, char** argv) {
  std::string sub = argc >= 2 ? argv[1] : "";
  if (sub == "--help" || sub == "-h" || sub == "help") {
    std::printf(
        "usage: referee search init|run|resume|status|report|export|baseline [options]\n"
        "%s'referee search SUBCOMMAND --help' lists a subcommand's options.\n",
        kDescription);
    return kExitClean;
  }
  if (sub == "init") return Init(argc - 1, argv + 1);
  if (sub == "job") return RunSearchJob(argc - 1, argv + 1);
  if (sub == "run" || sub == "resume" || sub == "baseline") return Run(argc - 1, argv + 1, sub);
  if (sub == "status" || sub == "report" || sub == "export") return Show(argc - 1, argv + 1, sub);
  std::fprintf(stderr,
               "usage: referee search init|run|resume|status|report|export|baseline "
               "[options]\n");
  return UsageError(InvalidArgumentError(sub.empty() ? "missing subcommand"
                                                     : "unknown search subcommand '" + sub + "'"),
                    "search");
}

}  // namespace referee::cli
