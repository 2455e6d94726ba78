// What an audit knows about the task beyond the code: which files are the fixed
// harness, which function is the sanctioned evaluator, how the training script
// times itself, which library calls the task allows. Read from an optional
// `referee.yaml` at the audited root (docs/python-audit.md):
//
//   layout: autoresearch          # preset: autoresearch | modded-nanogpt |
//   generic fixed_files: [prepare.py]     # the harness; not audited, its
//   module is protected evaluator: [evaluate_bpb]     # the sanctioned
//   evaluator function(s) timers: [time.time, time.perf_counter] budget:
//   [TIME_BUDGET] metrics: [val_bpb] allowed_calls: [kernels.get_kernel]
//
// Security consequence: every name listed here narrows what the Python rules
// flag (a fixed file is trusted; an allowed call is never reported), so the
// file must come from the task owner, never from the audited submission.
#pragma once

#include <string>
#include <vector>

#include "referee/base/expected.h"

namespace referee::analyzers {

struct AuditConfig {
  std::string layout = "autoresearch";
  std::vector<std::string> fixed_files;    // relative to the root; basenames also match
  std::vector<std::string> fixed_modules;  // module names of the fixed files (prepare)
  std::vector<std::string> evaluators;     // sanctioned evaluator function names
  std::vector<std::string> timers;         // canonical clock functions (time.perf_counter)
  std::vector<std::string> budget_names;   // time-budget constants (TIME_BUDGET)
  std::vector<std::string> metrics;        // metric names printed by the run (val_bpb)
  // Regexes over names and string literals that denote validation data
  // (val_tokens, "val").
  std::vector<std::string> validation_data;
  // Where reading validation data is sanctioned: "evaluator" (only inside the
  // evaluator or its call) or "untimed" (also in untimed code: inline
  // validation blocks, modded-nanogpt).
  std::string validation_reads = "evaluator";
  std::vector<std::string> allowed_calls;    // canonical names a task allows (kernels.get_kernel)
  // What the harness calls (issue 18): function names (run, custom_kernel, kernel, forward) or
  // class names (ModelNew: all of its methods). The task's entry point or `--entry NAME`.
  std::vector<std::string> entry_functions;
  // The file's context: "auto" (inferred: docs/python-audit.md), "kernel", "training", "other".
  std::string context = "auto";
  // Parameter names of the entry point that are outputs (destination-passing style) and may be
  // written; every other parameter is an input. Empty: names such as out, output, dst, result.
  std::vector<std::string> outputs;
  std::string root;                          // directory the config applies to ("" = defaults)
  // Read from the trusted --config only (an in-tree referee.yaml cannot grant them):
  // `referee: ignore[id] -- why` comments are honoured; a --baseline inside the audited tree
  // is trusted.
  bool allow_suppressions = false;
  bool allow_baseline_in_tree = false;
};

// The presets: "autoresearch" (the default), "modded-nanogpt", "generic".
Expected<AuditConfig> DefaultAuditConfig(const std::string& layout);

// Parses a referee.yaml text; errors are `path:line:col: error: ...`.
Expected<AuditConfig> ParseAuditConfig(const std::string& text, const std::string& path);

// Loads `<root>/referee.yaml` when present; otherwise picks a preset from the
// files at the root (train_gpt.py without prepare.py -> modded-nanogpt; else
// autoresearch).
Expected<AuditConfig> LoadAuditConfig(const std::string& root);

// Loads an explicit config file (--config): a trusted config chosen by whoever runs the audit.
// Its fixed_files match by basename or by path relative to the current directory.
Expected<AuditConfig> LoadAuditConfigFile(const std::string& path);

// True when `path` names one of the config's fixed files.
bool IsFixedFile(const AuditConfig& config, const std::string& path);

}  // namespace referee::analyzers
