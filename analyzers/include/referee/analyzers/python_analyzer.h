// The tree-sitter analyzer for Python (issue #4). Available when the build defines
// REFEREE_HAVE_PYTHON_ANALYZER (tree-sitter and the grammar found).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "referee/analyzers/analyzer.h"

namespace referee::analyzers {

// `embedded` analyzes CUDA/C++ sources found in Python strings (load_inline, cupy.RawKernel, ...);
// may be null (then embedded sources are reported as skipped notes). Not owned; must outlive the
// returned analyzer.
std::unique_ptr<Analyzer> MakePythonAnalyzer(const AnalyzerOptions& options,
                                             Analyzer* embedded);

// Names of the built-in Python checks a rule may name with `check:`.
std::vector<std::string> PythonCheckNames();

}  // namespace referee::analyzers
