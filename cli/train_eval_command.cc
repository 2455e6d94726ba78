// `referee train-eval` (issue 13): flags -> referee::training -> report. All logic is in
// training/; this file parses flags, wires the static audit (the AuditGate) when the analyzers
// are built in, shows progress on a terminal and prints the report.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "commands.h"
#include "output.h"
#include "referee/base/file.h"
#include "referee/base/json.h"
#include "referee/base/log.h"
#include "referee/base/strings.h"
#include "referee/harness/placement.h"
#include "referee/training/evaluation.h"
#ifdef REFEREE_HAVE_ANALYZERS
#include <memory>

#include "referee/analyzers/audit_gate.h"
#endif

namespace referee::cli {
namespace {

namespace tr = referee::training;

constexpr char kDescription[] =
    "Trains the candidate's script in the sandbox for each of N Referee-chosen seeds (timed from\n"
    "outside), scores each checkpoint with Referee's own evaluator (logits only; causality,\n"
    "normalisation and state checks), then tests the result (docs/training.md).\n"
    "Exit 0 PASS, 1 FAIL/REJECTED/ERROR, 2 input error (task, flags, candidate dir), 3 internal.";

#ifdef REFEREE_HAVE_ANALYZERS
// The static audit through the AuditGate; a task without a referee.yaml still names its fixed
// files (a generated config). The gate is made per call: the config is the task's.
Expected<tr::AuditReport> Audit(const tr::AuditRequest& req) {
  analyzers::AuditGateConfig config;
  config.fail_on = rules::Severity::kError;
  config.analyzer.audit_config = req.config;  // the task's trusted referee.yaml, never the candidate's
  std::string generated;
  if (req.config.empty() && !req.fixed_files.empty()) {
    char path[] = "/tmp/referee-audit-XXXXXX.yaml";
    int fd = mkstemps(path, 5);
    if (fd < 0) return ErrnoError("mkstemps", errno);
    close(fd);
    generated = path;
    std::string yaml = "fixed_files: [" + StrJoin(req.fixed_files, ", ") + "]\n";
    REFEREE_RETURN_IF_ERROR(WriteFile(generated, yaml));
    config.analyzer.audit_config = generated;
  }
  Expected<std::unique_ptr<analyzers::AuditGate>> gate = analyzers::AuditGate::Create(config);
  if (!generated.empty()) unlink(generated.c_str());
  if (!gate) return gate.error();
  if (!(*gate)->rule_errors().empty()) return (*gate)->rule_errors().front();
  analyzers::AuditOptions options;
  options.jobs = 1;
  options.cwd = req.root;
  analyzers::AuditVerdict v = (*gate)->Audit(req.files, options);
  tr::AuditReport out;
  out.rule_set_hash = (*gate)->rule_set_hash();
  for (const rules::Finding& f : v.run.result.findings) {
    std::string path = f.path.empty() || f.path[0] == '/' ? f.path : req.root + "/" + f.path;
    out.findings.push_back({f.rule_id, std::string(rules::SeverityName(f.severity)), path,
                            f.message, f.line, f.column});
  }
  for (const rules::FileResult& r : v.run.result.files) {
    if (!r.error.empty()) out.errors.push_back(r.error);
  }
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

struct Flags {
  tr::TrainEvalOptions options;
  std::string device, format = "text", output, audit = "gate", seed;
  double budget = 0;
  int verbosity = 1;
};

void Declare(FlagSet& flags, Flags& f) {
  tr::TrainEvalOptions& o = f.options;
  flags.String("--task", &o.task_dir, "DIR|FILE", "the task directory (task.json) or task file")
      .String("--candidate", &o.candidate_dir, "DIR", "the candidate's directory (its script)")
      .Int("--seeds", &o.seeds, 1, 1000, "N", "seeds to run (default: the task's)")
      .String("--device", &f.device, "cpu|cuda|cuda:N", "where to train (default: the task's)")
      .String("-o,--output", &f.output, "FILE", "write the report to FILE instead of stdout")
      .String("--seed", &f.seed, "S", "derive the seeds from S (reproducible; pairs two reports)")
      .String("--incumbent", &o.incumbent_report, "REPORT",
              "a previous --format json report of the same task: must be beaten")
      .Double("--budget", &f.budget, 0, "S", "override the task's budget (tests; reported)")
      .Choice("--audit", &f.audit, {"gate", "report", "off"},
              "gate (default: error findings reject), report, or off")
      .Bool("--keep-run-dir", &o.keep_run_dir, "keep /tmp/referee-train-* for inspection")
      .Action("-q", [&f] { f.verbosity = 0; }, "errors only")
      .Action("-v", [&f] { f.verbosity = 2; }, "more verbose");
  AddFormatFlag(flags, &f.format, {"text", "json"});
}

// The flags that need more than a declaration: the seed, the device, the audit mode.
Status Resolve(Flags& f) {
  tr::TrainEvalOptions& o = f.options;
  if (o.task_dir.empty() || o.candidate_dir.empty()) {
    return InvalidArgumentError("--task and --candidate are required");
  }
  if (!f.seed.empty()) {
    char* end = nullptr;
    unsigned long long s = std::strtoull(f.seed.c_str(), &end, 10);
    if (*end != '\0' || f.seed[0] == '-') return InvalidArgumentError("--seed needs a whole number");
    o.seed = s;
  }
  if (!f.device.empty()) {
    REFEREE_ASSIGN_OR_RETURN(harness::Placement p, harness::ParsePlacement(f.device));
    o.placement = p;
  }
  if (f.budget > 0) o.budget_s = f.budget;
  o.audit_mode = f.audit == "gate"     ? tr::AuditMode::kGate
                 : f.audit == "report" ? tr::AuditMode::kReport
                                       : tr::AuditMode::kOff;
  return OkStatus();
}

}  // namespace

int RunTrainEvalCommand(int argc, char** argv) {
  Flags f;
  FlagSet flags("referee train-eval --task DIR --candidate DIR [options]", kDescription);
  Declare(flags, f);
  if (int rc = ParseOrExit(flags, argc, argv, "train-eval"); rc >= 0) return rc;
  if (Status s = Resolve(f); !s.ok()) return UsageError(s, "train-eval");
  SetLogVerbosity(f.verbosity);
  tr::TrainEvalOptions& o = f.options;
#ifdef REFEREE_HAVE_ANALYZERS
  o.audit = Audit;
#endif
  if (isatty(STDERR_FILENO) && f.verbosity > 0) o.progress = ShowProgress;
  Expected<tr::TrainEvalReport> report = tr::RunTrainEval(o);
  if (!report) {
    if (report.error().code() != StatusCode::kInternal) return InputError(report.error());
    std::fprintf(stderr, "%s\n", report.error().ToString().c_str());
    return kExitInternal;
  }
  report->argv = {"referee"};
  report->argv.insert(report->argv.end(), argv, argv + argc);
  std::string text = f.format == "json" ? DumpJson(tr::TrainEvalReportToJson(*report)) + "\n"
                                        : tr::TrainEvalReportToText(*report);
  if (int rc = WriteOutput(text, f.output); rc != kExitClean) return rc;
  if (report->failure) std::fprintf(stderr, "%s\n", report->failure->Line().c_str());
  return report->verdict == tr::Verdict::kPass ? kExitClean : kExitRejected;
}

}  // namespace referee::cli
