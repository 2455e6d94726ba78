// `referee audit`: flags -> AuditGate -> report (issue #12). The verdict rule lives in the gate:
// 0 clean; 1 findings at or above --fail-on; 2 usage, rule or input error (partial results
// still written); 3 internal error.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "audit_flags.h"
#include "commands.h"
#include "output.h"
#include "referee/analyzers/audit_gate.h"
#include "referee/base/log.h"
#include "referee/base/strings.h"
#include "referee/rules/report.h"
#include "terminal.h"

namespace referee::cli {
namespace {

namespace fs = std::filesystem;

int ExitCodeFor(analyzers::AuditOutcome outcome) {
  switch (outcome) {
    case analyzers::AuditOutcome::kClean: return kExitClean;
    case analyzers::AuditOutcome::kFindings: return kExitRejected;
    case analyzers::AuditOutcome::kInputError: return kExitInputError;
    case analyzers::AuditOutcome::kInternalError: return kExitInternal;
  }
  return kExitInternal;
}

// The directory SARIF uris are relative to: the enclosing git work tree, else the cwd.
std::string SourceRoot(const std::string& cwd) {
  std::error_code ec;
  for (fs::path dir = cwd; !dir.empty(); dir = dir.parent_path()) {
    if (fs::exists(dir / ".git", ec)) return dir.string();
    if (dir == dir.parent_path()) break;
  }
  return cwd;
}

void PrintDiagnostics(const analyzers::AuditVerdict& v, int verbosity) {
  for (const rules::FileResult& f : v.run.result.files) {
    if (!f.error.empty()) std::fprintf(stderr, "%s\n", f.error.c_str());
    if (verbosity >= 2) {  // -v: every file's outcome
      int n = 0;
      for (const rules::Finding& x : v.run.result.findings) n += x.path == f.path;
      std::fprintf(stderr, "%s: %s, %s, %d finding%s\n", f.path.c_str(),
                   std::string(rules::LanguageName(f.language)).c_str(),
                   std::string(rules::FileStatusName(f.status)).c_str(), n, n == 1 ? "" : "s");
    }
    if (verbosity < 1) continue;
    for (const std::string& note : f.notes) {
      std::fprintf(stderr, "%s: note: %s\n", f.path.c_str(), note.c_str());
    }
  }
  for (const std::string& e : v.run.result.errors) std::fprintf(stderr, "%s\n", e.c_str());
}

void PrintSummary(const analyzers::AuditVerdict& v) {
  const int* n = v.by_severity;
  int total = n[0] + n[1] + n[2];
  size_t files = v.run.result.files.size();
  std::string line = StrFormat("referee: %d finding%s (%d error, %d warning, %d note) in %zu file%s",
                               total, total == 1 ? "" : "s", n[2], n[1], n[0], files,
                               files == 1 ? "" : "s");
  if (v.suppressed > 0) line += StrFormat("; %d suppressed (listed, not counted)", v.suppressed);
  if (v.file_errors > 0) line += StrFormat("; %d with errors", v.file_errors);
  if (v.skipped > 0) line += StrFormat("; %d skipped", v.skipped);
  std::fprintf(stderr, "%s\n", line.c_str());
}

}  // namespace

int RunAuditCommand(int argc, char** argv) {
  AuditFlags af;
  std::string format = "text", output, color = "auto", baseline;
  std::vector<std::string> paths;
  FlagSet flags("referee audit [options] PATH...",
                "Statically audits C, C++, CUDA and Python sources (files or directories, "
                "recursively).");
  AddFormatFlag(flags, &format, {"text", "json", "sarif"});
  flags.String("-o,--output", &output, "FILE", "write the report to FILE instead of stdout")
      .String("--baseline", &baseline, "REPORT.json",
              "an earlier audit's JSON report: only findings it does not hold count")
      .Positionals(&paths, "PATH");
  AddColorFlag(flags, &color);
  AddAuditFlags(flags, &af);
  if (int rc = ParseOrExit(flags, argc, argv, "audit"); rc >= 0) return rc;
  SetLogVerbosity(af.verbosity);
  if (paths.empty()) {
    return UsageError(InvalidArgumentError("audit needs at least one PATH"), "audit");
  }
  Expected<std::unique_ptr<analyzers::AuditGate>> gate = MakeAuditGate(af, nullptr, baseline);
  if (!gate) return InputError(gate.error());
  analyzers::AuditOptions options = MakeAuditOptions(af);
  options.progress = isatty(STDERR_FILENO) && af.verbosity >= 1;
  std::error_code ec;
  options.cwd = fs::current_path(ec).string();
  analyzers::AuditVerdict v = (*gate)->Audit(paths, options);
  PrintDiagnostics(v, af.verbosity);

  std::vector<std::string> argv_list{"referee"};
  argv_list.insert(argv_list.end(), argv, argv + argc);
  rules::ReportContext context;
  context.rules = &(*gate)->rules();
  context.argv = argv_list;
  context.cwd = options.cwd;
  context.srcroot = SourceRoot(options.cwd);
  context.rule_set_hash = (*gate)->rule_set_hash();
  context.fail_on = af.fail_on;
  context.outcome = analyzers::AuditOutcomeName(v.outcome);
  context.text.color = UseColor(color, output.empty() || output == "-" ? 1 : -1);
  if (af.verbosity == 0) context.text.min_severity = rules::Severity::kError;  // -q
  std::string report =
      rules::FormatReport(*rules::ParseReportFormat(format), v.run.result, context);
  bool write_failed = WriteOutput(report, output) != kExitClean;
  if (af.verbosity >= 1 && format == "text") {
    std::fputs(rules::FormatSummaryTable(v.run.result).c_str(), stderr);
  }
  if (af.verbosity >= 1) PrintSummary(v);
  int rc = ExitCodeFor(v.outcome);
  return write_failed && rc < kExitInputError ? kExitInputError : rc;
}

}  // namespace referee::cli
