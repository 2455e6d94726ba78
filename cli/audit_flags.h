// The flags `audit` and `rules` share, and the AuditGate they make.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "flags.h"
#include "referee/analyzers/audit_gate.h"
#include "referee/base/expected.h"

namespace referee::cli {

struct AuditFlags {
  std::vector<std::string> rule_dirs;
  std::string fail_on = "warning";
  std::string build_dir;
  std::string cuda_path;
  std::string config;
  int jobs = 0;
  int verbosity = 1;
  double file_timeout_s = 120;  // per file (issue 20); 0: none
  int file_memory_mib = 4096;   // per file's analysis process; 0: none
  bool in_process = false;      // threads of this process instead of analysis processes
};

// --rules, --fail-on (audit only, with_fail_on), -p, --cuda-path, --config, -j, --file-timeout,
// --file-memory, --in-process, -q, -v, -vv.
void AddAuditFlags(FlagSet& flags, AuditFlags* out, bool with_fail_on = true);
analyzers::AnalyzerOptions MakeAnalyzerOptions(const AuditFlags& flags);
// Where and under which per-file budgets the files are analysed.
analyzers::AuditOptions MakeAuditOptions(const AuditFlags& flags);
// A gate over the bundled rules (unless `base_rule_dirs` replaces them) plus --rules.
Expected<std::unique_ptr<analyzers::AuditGate>> MakeAuditGate(
    const AuditFlags& flags, const std::vector<std::string>* base_rule_dirs = nullptr,
    const std::string& baseline = "");

}  // namespace referee::cli
