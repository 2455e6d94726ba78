// The analyzers compiled into this build. Each is guarded by the macro its sources.cmake defines
// PUBLIC on referee_analyzers, so a build without LLVM or tree-sitter still audits what it can.
#include "referee/analyzers/audit.h"

#ifdef REFEREE_HAVE_CLANG_ANALYZER
#include "referee/analyzers/clang_analyzer.h"
#endif
#ifdef REFEREE_HAVE_PYTHON_ANALYZER
#include "referee/analyzers/python_analyzer.h"
#endif

namespace referee::analyzers {

BuiltInAnalyzers MakeBuiltInAnalyzers(const AnalyzerOptions& options) {
  BuiltInAnalyzers out;
#ifdef REFEREE_HAVE_CLANG_ANALYZER
  out.clang = MakeClangAnalyzer(options);
  if (out.clang) out.all.push_back(out.clang.get());
#endif
#ifdef REFEREE_HAVE_PYTHON_ANALYZER
  out.python = MakePythonAnalyzer(options, out.clang.get());
  if (out.python) out.all.push_back(out.python.get());
#endif
  (void)options;
  return out;
}

std::vector<std::string> BuiltInCheckNames() {
  std::vector<std::string> names;
#ifdef REFEREE_HAVE_CLANG_ANALYZER
  for (std::string& n : ClangCheckNames()) names.push_back(std::move(n));
#endif
#ifdef REFEREE_HAVE_PYTHON_ANALYZER
  for (std::string& n : PythonCheckNames()) names.push_back(std::move(n));
#endif
  return names;
}

}  // namespace referee::analyzers
