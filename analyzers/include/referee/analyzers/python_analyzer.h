// The tree-sitter analyzer for Python (issue #4). Available when the build
// defines REFEREE_HAVE_PYTHON_ANALYZER (tree-sitter and the grammar found).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "referee/analyzers/analyzer.h"
#include "referee/analyzers/audit_config.h"

namespace referee::analyzers {

// `embedded` analyzes CUDA/C++ sources found in Python strings (load_inline,
// cupy.RawKernel, ...); may be null (then embedded sources are reported as
// skipped notes). Not owned; must outlive the returned analyzer, and the caller
// prepares it (Prepare) with the same rules.
//
// The audit config (audit_config.h) of each file is `referee.yaml` in the
// nearest directory at or above the file, or the preset chosen from the file's
// directory; files the config names as fixed (the harness) are skipped with a
// note.
//
//   auto clang = MakeClangAnalyzer(options);
//   auto py = MakePythonAnalyzer(options, clang.get());
//   clang->Prepare(rules); py->Prepare(rules);
//   AnalysisOutput out = py->Analyze({"train.py", "train.py", text,
//   Language::kPython}, rules);
std::unique_ptr<Analyzer> MakePythonAnalyzer(const AnalyzerOptions& options, Analyzer* embedded);
// The same with one config for every file (no referee.yaml lookup).
std::unique_ptr<Analyzer> MakePythonAnalyzer(const AnalyzerOptions& options, Analyzer* embedded,
                                             const AuditConfig& config);

// Names of the built-in Python checks a rule may name with `check:`.
std::vector<std::string> PythonCheckNames();

}  // namespace referee::analyzers
