// `referee train-eval` (issue 13): flags -> referee::training -> a report. All logic is in
// training/; this file parses flags, wires the static audit when the analyzers are built in,
// shows progress on a terminal and prints the report.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "commands.h"
#include "referee/base/file.h"
#include "referee/base/json.h"
#include "referee/base/log.h"
#include "referee/base/strings.h"
#include "referee/training/evaluation.h"
#ifdef REFEREE_HAVE_ANALYZERS
#include "referee/analyzers/audit.h"
#include "referee/rules/loader.h"
#endif

namespace referee::cli {
namespace {

namespace tr = referee::training;

constexpr char kUsage[] =
    "usage: referee train-eval --task DIR --candidate DIR [--seeds N] [--device cpu|cuda]\n"
    "                          [--gpu N] [--format text|json] [--output FILE] [--seed S]\n"
    "                          [--incumbent REPORT.json] [--budget S] [--audit gate|report|off]\n"
    "                          [--keep-run-dir] [-q|-v]\n"
    "Trains the candidate's script in the sandbox for each of N Referee-chosen seeds (timed from\n"
    "outside), scores each checkpoint with Referee's own evaluator (logits only, causality and\n"
    "normalisation checks), then tests the result (docs/training.md).\n"
    "  --seed S         derive the seeds from S (reproducible; equal seeds pair two reports)\n"
    "  --incumbent R    a previous --format json report of the same task: must beat it\n"
    "  --budget S       override the task's training budget (tests; reported)\n"
    "  --audit MODE     gate (default: error findings reject), report, or off\n"
    "Exit 0 PASS, 1 FAIL/REJECTED/ERROR, 2 input error (task, flags, candidate dir), 3 internal.\n";

struct Flags {
  tr::TrainEvalOptions options;
  std::string format = "text", output, audit = "gate";
  int verbosity = 1;
  bool help = false;
};

Expected<double> Number(const std::string& flag, const std::string& v, double min, double max) {
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || !(d >= min && d <= max)) {
    return InvalidArgumentError(StrFormat("%s needs a number in [%g, %g]", flag.c_str(), min, max));
  }
  return d;
}

Status Apply(Flags& f, const std::string& flag, const std::string& v) {
  tr::TrainEvalOptions& o = f.options;
  if (flag == "--task") o.task_dir = v;
  else if (flag == "--candidate") o.candidate_dir = v;
  else if (flag == "--device") o.device = v;
  else if (flag == "--format") f.format = v;
  else if (flag == "--output") f.output = v;
  else if (flag == "--incumbent") o.incumbent_report = v;
  else if (flag == "--audit") f.audit = v;
  else if (flag == "--seeds") {
    REFEREE_ASSIGN_OR_RETURN(double n, Number(flag, v, 1, 1000));
    o.seeds = static_cast<int>(n);
  } else if (flag == "--gpu") {
    REFEREE_ASSIGN_OR_RETURN(double n, Number(flag, v, 0, 63));
    o.gpu = static_cast<int>(n);
  } else if (flag == "--seed") {
    REFEREE_ASSIGN_OR_RETURN(double n, Number(flag, v, 0, 9e15));
    o.seed = static_cast<uint64_t>(n);
  } else if (flag == "--budget") {
    REFEREE_ASSIGN_OR_RETURN(o.budget_s, Number(flag, v, 0.1, 1e6));
  } else {
    return InvalidArgumentError("unknown option '" + flag + "'");
  }
  return OkStatus();
}

Expected<Flags> Parse(int argc, char** argv) {
  Flags f;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-h" || a == "--help") f.help = true;
    else if (a == "-q") f.verbosity = 0;
    else if (a == "-v") f.verbosity = 2;
    else if (a == "--keep-run-dir") f.options.keep_run_dir = true;
    else if (a == "--json") f.format = "json";
    else if (StartsWith(a, "--") && a.find('=') != std::string::npos) {
      REFEREE_RETURN_IF_ERROR(Apply(f, a.substr(0, a.find('=')), a.substr(a.find('=') + 1)));
    } else if (StartsWith(a, "-") && i + 1 < argc) {
      REFEREE_RETURN_IF_ERROR(Apply(f, a, argv[++i]));
    } else {
      return InvalidArgumentError("unexpected argument '" + a + "'");
    }
  }
  if (f.help) return f;
  if (f.options.task_dir.empty() || f.options.candidate_dir.empty()) {
    return InvalidArgumentError("--task and --candidate are required");
  }
  if (f.format != "text" && f.format != "json") return InvalidArgumentError("--format is text or json");
  if (f.audit == "gate") f.options.audit_mode = tr::AuditMode::kGate;
  else if (f.audit == "report") f.options.audit_mode = tr::AuditMode::kReport;
  else if (f.audit == "off") f.options.audit_mode = tr::AuditMode::kOff;
  else return InvalidArgumentError("--audit is gate, report or off");
  return f;
}

#ifdef REFEREE_HAVE_ANALYZERS
// The static audit through the analyzers' public API (the training library links none).
Expected<tr::AuditOutcome> Audit(const tr::AuditRequest& req) {
  rules::LoadResult loaded = rules::LoadRules(rules::BundledRuleDirs());
  if (!loaded.errors.empty()) return loaded.errors.front();
  analyzers::AnalyzerOptions options;
  options.audit_config = req.config;  // the task's trusted referee.yaml, never the candidate's
  std::string generated;
  if (req.config.empty() && !req.fixed_files.empty()) {
    // No referee.yaml in the task: its fixed-file list still tells the audit what is harness.
    char path[] = "/tmp/referee-audit-XXXXXX.yaml";
    int fd = mkstemps(path, 5);
    if (fd < 0) return ErrnoError("mkstemps", errno);
    close(fd);
    generated = path;
    REFEREE_RETURN_IF_ERROR(WriteFile(generated, "fixed_files: [" + StrJoin(req.fixed_files, ", ") + "]\n"));
    options.audit_config = generated;
  }
  analyzers::BuiltInAnalyzers built = analyzers::MakeBuiltInAnalyzers(options);
  std::vector<Status> errors = analyzers::PrepareAnalyzers(built.all, loaded.rules);
  if (!errors.empty()) return errors.front();
  analyzers::AuditOptions ao;
  ao.jobs = 1;
  ao.cwd = req.root;
  analyzers::AuditRun run = analyzers::RunAudit(req.files, loaded.rules, built.all, ao);
  tr::AuditOutcome out;
  for (const rules::Finding& f : run.result.findings) {
    std::string path = f.path.empty() || f.path[0] == '/' ? f.path : req.root + "/" + f.path;
    out.findings.push_back({f.rule_id, std::string(rules::SeverityName(f.severity)), path,
                            f.message, f.line, f.column});
  }
  for (const rules::FileResult& r : run.result.files) {
    if (r.status == rules::FileStatus::kError) out.errors.push_back(r.error);
  }
  if (!generated.empty()) unlink(generated.c_str());
  return out;
}
#endif

// One rewritten line on a terminal while a seed runs; a line per finished seed.
void ShowProgress(const tr::Progress& p) {
  if (p.phase == "done") {
    std::string metric = p.metric ? StrFormat("%.4f", *p.metric) : "-";
    std::fprintf(stderr, "\rseed %d/%d: %s %s (%.1fs)%20s\n", p.seed_index, p.seeds,
                 p.status.c_str(), metric.c_str(), p.elapsed_s, "");
  } else if (p.limit_s > 0) {
    std::fprintf(stderr, "\rseed %d/%d: %s %.1f/%.1fs   ", p.seed_index, p.seeds, p.phase.c_str(),
                 p.elapsed_s, p.limit_s);
  } else {
    std::fprintf(stderr, "\rseed %d/%d: %s %.1fs          ", p.seed_index, p.seeds,
                 p.phase.c_str(), p.elapsed_s);
  }
  std::fflush(stderr);
}

}  // namespace

int RunTrainEvalCommand(int argc, char** argv) {
  Expected<Flags> flags = Parse(argc, argv);
  if (!flags) {
    Logf(LogLevel::kError, "%s", flags.error().message().c_str());
    std::fputs(kUsage, stderr);
    return 2;
  }
  if (flags->help) {
    std::fputs(kUsage, stdout);
    return 0;
  }
  SetLogVerbosity(flags->verbosity);
  tr::TrainEvalOptions& o = flags->options;
#ifdef REFEREE_HAVE_ANALYZERS
  o.audit = Audit;
#endif
  if (isatty(STDERR_FILENO) && flags->verbosity > 0) o.progress = ShowProgress;
  Expected<tr::TrainEvalReport> report = tr::RunTrainEval(o);
  if (!report) {
    std::fprintf(stderr, "%s\n", report.error().ToString().c_str());
    return report.error().code() == StatusCode::kInternal ? 3 : 2;
  }
  std::string text = flags->format == "json" ? DumpJson(tr::TrainEvalReportToJson(*report)) + "\n"
                                             : tr::TrainEvalReportToText(*report);
  if (flags->output.empty()) {
    std::fputs(text.c_str(), stdout);
  } else if (Status s = WriteFile(flags->output, text); !s.ok()) {
    Logf(LogLevel::kError, "%s", s.ToString().c_str());
    return 2;
  }
  if (report->failure) std::fprintf(stderr, "%s\n", report->failure->Line().c_str());
  return report->verdict == tr::Verdict::kPass ? 0 : 1;
}

}  // namespace referee::cli
