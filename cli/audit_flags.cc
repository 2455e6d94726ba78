#include "audit_flags.h"

#include <algorithm>

#include "referee/rules/rule.h"

namespace referee::cli {

void AddAuditFlags(FlagSet& flags, AuditFlags* out, bool with_fail_on) {
  flags.Repeated("--rules", &out->rule_dirs, "DIR",
                 "add a rules directory (bundled rules always load)");
  if (with_fail_on) {
    flags.Choice("--fail-on", &out->fail_on, {"note", "warning", "error"},
                 "exit 1 on findings at or above this level (default warning)");
  }
  flags.String("-p", &out->build_dir, "BUILD_DIR", "use BUILD_DIR/compile_commands.json")
      .String("--cuda-path", &out->cuda_path, "DIR",
              "parse CUDA with this toolkit (default: no-toolkit mode)")
      .String("--config", &out->config, "FILE",
              "trusted referee.yaml for Python files; in-tree ones are ignored")
      .Int("-j,--jobs", &out->jobs, 1, 1024, "N", "N files in parallel (default: one per core)")
      .Double("--file-timeout", &out->file_timeout_s, -1e-9, "SECONDS",
              "per-file time budget; past it the file is an error (default 120, 0: none)")
      .Int("--file-memory", &out->file_memory_mib, 0, 1 << 30, "MIB",
           "per-file memory budget of its analysis process (default 4096, 0: none)")
      .Bool("--in-process", &out->in_process,
            "analyse on threads of this process (no isolation; debugging)")
      .Action("-q,--quiet", [out] { out->verbosity = 0; }, "quieter (errors only)")
      .Action("-v,--verbose", [out] { out->verbosity = std::max(2, out->verbosity + 1); },
              "more verbose")
      .Action("-vv", [out] { out->verbosity = 3; }, "most verbose");
}

analyzers::AnalyzerOptions MakeAnalyzerOptions(const AuditFlags& flags) {
  analyzers::AnalyzerOptions options;
  options.cuda_path = flags.cuda_path;
  options.compile_commands_dir = flags.build_dir;
  options.audit_config = flags.config;
  options.file_timeout_s = flags.file_timeout_s;
  return options;
}

analyzers::AuditOptions MakeAuditOptions(const AuditFlags& flags) {
  analyzers::AuditOptions options;
  options.jobs = flags.jobs;
  options.isolation =
      flags.in_process ? analyzers::Isolation::kThreads : analyzers::Isolation::kProcesses;
  options.file_timeout_s = flags.file_timeout_s;
  options.file_memory_mib = uint64_t(flags.file_memory_mib);
  return options;
}

Expected<std::unique_ptr<analyzers::AuditGate>> MakeAuditGate(
    const AuditFlags& flags, const std::vector<std::string>* base_rule_dirs,
    const std::string& baseline) {
  analyzers::AuditGateConfig config;
  config.rule_dirs = flags.rule_dirs;
  if (base_rule_dirs) {
    config.bundled_rules = false;
    config.rule_dirs.insert(config.rule_dirs.begin(), base_rule_dirs->begin(),
                            base_rule_dirs->end());
  }
  config.fail_on = *rules::ParseSeverity(flags.fail_on);
  config.analyzer = MakeAnalyzerOptions(flags);
  config.baseline = baseline;
  return analyzers::AuditGate::Create(std::move(config));
}

}  // namespace referee::cli
