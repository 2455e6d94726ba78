// The analyzer interface: one source buffer in, findings and a file outcome out.
// Analyzers never throw and never abort on bad input: a file that cannot be parsed
// ends as FileStatus::kError (or kPartial when some of it was analysed) with a one-line reason.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "referee/base/status.h"
#include "referee/rules/finding.h"
#include "referee/rules/rule.h"

namespace referee::analyzers {

struct SourceFile {
  std::string path;          // real path on disk (or a virtual name for embedded sources)
  std::string display_path;  // what reports show
  std::string content;
  rules::Language language = rules::Language::kCpp;
  // The code's context for per-context rule severities (rules::Rule::SeverityIn). C, C++ and
  // CUDA files are kernel code; the Python analyzer infers a Python file's own context and passes
  // it on to the sources embedded in it.
  rules::Context context = rules::Context::kKernel;
  // The leading bytes (whole lines of #include) many sources share: what load_inline prepends to
  // a source from a Python string (the torch headers, seconds to parse). The Clang analyzer
  // compiles them once as a preamble and reuses it for every source that starts with them.
  size_t shared_prefix_bytes = 0;
};

struct AnalyzerOptions {
  std::string cuda_path;             // toolkit mode when non-empty; no-toolkit (stub) mode otherwise
  std::string compile_commands_dir;  // -p BUILD_DIR: compile_commands.json lives here
  std::vector<std::string> extra_args;  // appended to every compile command
  std::string resource_dir;          // where the bundled stub headers live (share/referee/...)
  // --config FILE: a trusted referee.yaml applied to every Python file. Without it, a referee.yaml
  // found in the audited tree is used, and since it can exempt files from the audit, a warning
  // names it: a submission must not be able to choose its own config.
  std::string audit_config;
  // Per-file wall-clock budget for the work that can stop itself (the Python parse); 0: none.
  // With process isolation (audit.h) the audit driver enforces it on the whole analysis.
  double file_timeout_s = 0;
};

struct AnalysisOutput {
  rules::FileResult file;
  std::vector<rules::Finding> findings;
};

class Analyzer {
 public:
  virtual ~Analyzer() = default;
  virtual const char* name() const = 0;
  virtual bool Handles(rules::Language language) const = 0;
  // Compiles the rules this analyzer handles (matchers, queries, check names) once, before any
  // Analyze call. Returns one error per malformed rule, located in the rule's YAML file
  // (`file:line:col: error: ... [rule-id]`); malformed rules are then skipped by Analyze.
  virtual std::vector<Status> Prepare(const rules::RuleSet& rules) = 0;
  // Must be safe to call concurrently from several threads on different files.
  virtual AnalysisOutput Analyze(const SourceFile& file, const rules::RuleSet& rules) const = 0;
};

}  // namespace referee::analyzers
