// The audit driver (issue #3): walks the given paths, runs the analyzers on each source file in
// parallel and merges their findings. Bad input never aborts the run: each file ends ok, partial,
// skipped or error with a one-line reason, and every other file's findings are kept.
//
//   BuiltInAnalyzers analyzers = MakeBuiltInAnalyzers(options);
//   std::vector<Status> rule_errors = PrepareAnalyzers(analyzers.all, rules);
//   AuditRun run = RunAudit({"kernels/"}, rules, analyzers.all, AuditOptions{.jobs = 4});
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "referee/analyzers/analyzer.h"
#include "referee/base/status.h"
#include "referee/rules/annotations.h"
#include "referee/rules/finding.h"
#include "referee/rules/rule.h"

namespace referee::analyzers {

// Where files are analysed (issue 20). kProcesses forks `jobs` analysis processes (after the
// analyzers are prepared) so that a file that crashes, hangs or exhausts memory in an analyzer
// ends as that file's one-line error (`path: error: the analysis crashed (signal 11, SIGSEGV)`)
// with every other file's findings kept; the per-file budgets below are enforced there. kThreads
// analyses on threads of this process: cheaper to debug, but a crash ends the run and only the
// Python parse honours the time budget.
enum class Isolation { kThreads, kProcesses };

struct AuditOptions {
  int jobs = 0;           // workers; 0 = one per core
  bool progress = false;  // `[n/N] path` on stderr while running (the CLI sets it on a tty)
  std::string cwd;        // absolute; reported paths are relative to it (empty: the process's)
  Isolation isolation = Isolation::kProcesses;
  double file_timeout_s = 120;      // per file, wall clock (0: none)
  uint64_t file_memory_mib = 4096;  // per file, resident memory of its process (0: none)
};

struct AuditRun {
  rules::AuditResult result;    // files in input order, findings sorted and de-duplicated
  int analyzed_files = 0;       // files an analyzer ran on (not skipped, not rejected)
  bool internal_error = false;  // an analyzer threw: a bug, exit 3
};

// A source file found on disk.
struct InputFile {
  std::string path;          // as it can be opened
  std::string display_path;  // relative to cwd when under it
  rules::Language language = rules::Language::kCpp;
};

struct InputSet {
  std::vector<InputFile> files;
  std::vector<rules::FileResult> rejected;  // missing paths, unknown file types (status error)
  std::vector<std::string> errors;          // run-level: directories with nothing to audit
};

// Files are taken as given (an unknown extension is an error); directories are walked
// recursively for .cu .cuh .cpp .cc .cxx .h .hpp .c .py, skipping hidden directories, build
// trees (a CMakeCache.txt), virtualenvs (a pyvenv.cfg), __pycache__ and node_modules, and not
// following directory symlinks. A file named twice is audited once.
InputSet CollectInputs(const std::vector<std::string>& paths, const std::string& cwd);

// Reads each file (binary files are errors), runs the first analyzer that handles its language
// (none: skipped, with a note) on `jobs` workers. Results do not depend on `jobs` or isolation.
// With Isolation::kProcesses, call it with no other threads running (it forks).
AuditRun AnalyzeFiles(const std::vector<InputFile>& files, const rules::RuleSet& rules,
                      const std::vector<Analyzer*>& analyzers, const AuditOptions& options);

// CollectInputs + AnalyzeFiles, with rejected inputs and run errors merged in.
AuditRun RunAudit(const std::vector<std::string>& paths, const rules::RuleSet& rules,
                  const std::vector<Analyzer*>& analyzers, const AuditOptions& options);

// Calls Prepare(rules) once on each analyzer and concatenates the rule errors.
std::vector<Status> PrepareAnalyzers(const std::vector<Analyzer*>& analyzers,
                                     const rules::RuleSet& rules);

// The analyzers compiled into this build (REFEREE_HAVE_CLANG_ANALYZER,
// REFEREE_HAVE_PYTHON_ANALYZER); the Python analyzer gets the Clang one for embedded sources.
struct BuiltInAnalyzers {
  std::unique_ptr<Analyzer> clang;  // declared first: outlives `python`, which points at it
  std::unique_ptr<Analyzer> python;
  std::vector<Analyzer*> all;  // the non-null ones, Clang first
};
BuiltInAnalyzers MakeBuiltInAnalyzers(const AnalyzerOptions& options);
// Names of the built-in checks that rules may name with `check:` in this build.
std::vector<std::string> BuiltInCheckNames();

// `referee rules test`: each rule run on the test source beside it (rules::FindRuleTestFile).
struct RuleTestOutcome {
  rules::RuleTestResult result;
  std::string test_file;  // empty when there is none (a failure)
  std::string skipped;    // non-empty: why the rule was not run (no analyzer in this build)
};
// `prepare_errors` are those PrepareAnalyzers returned; a rule with one fails.
std::vector<RuleTestOutcome> RunRuleTests(const rules::RuleSet& rules,
                                          const std::vector<Analyzer*>& analyzers,
                                          const std::vector<Status>& prepare_errors, int jobs);

// `referee rules test`'s lines for one outcome: "PASS id" (verbosity >= 1), "FAIL id" with the
// missed and unexpected lines, "SKIP id: why" (verbosity >= 1), and todo notes.
std::string FormatRuleTestOutcome(const RuleTestOutcome& outcome, int verbosity);

}  // namespace referee::analyzers
