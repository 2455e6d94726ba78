// The Clang LibTooling analyzer for C, C++ and CUDA (issue #3). Available when the build defines
// REFEREE_HAVE_CLANG_ANALYZER (LLVM 19 found).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "referee/analyzers/analyzer.h"

namespace referee::analyzers {

// Runs a host pass (and, for CUDA, a device pass) per file and merges the findings. Analyzes
// SourceFile::content from memory, so embedded sources (Python strings) work with virtual paths.
std::unique_ptr<Analyzer> MakeClangAnalyzer(const AnalyzerOptions& options);

// Names of the built-in C++ checks a rule may name with `check:`.
std::vector<std::string> ClangCheckNames();

}  // namespace referee::analyzers
