// Runs one clang pass (C++, or the CUDA host or device side) over an in-memory source: the file
// is mapped into an overlay file system, so real paths and virtual ones (sources embedded in
// Python strings) both work and relative includes still resolve on disk. Matching is restricted
// to the main file's top-level declarations (ASTContext::setTraversalScope).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/compile_args.h"
#include "clang/finding_builder.h"
#include "clang/preamble_cache.h"
#include "referee/rules/finding.h"

namespace referee::analyzers::clang_internal {

struct PassInput {
  std::string abs_path;      // the name the file has inside the pass
  std::string display_path;  // what findings and errors show
  const std::string* content = nullptr;
  std::vector<std::string> args;  // driver flags (compile_args.h)
  const VirtualFiles* virtual_files = nullptr;
  PreambleCache* preambles = nullptr;  // compiled preambles to reuse; null: parse everything
  size_t shared_prefix_bytes = 0;  // SourceFile::shared_prefix_bytes
  // Adds the matchers of rules and checks to the pass's finder, reporting into `sink`. Objects
  // it creates must live until the pass ends; `keep_alive` owns them.
  std::function<void(clang::ast_matchers::MatchFinder* finder, FindingSink* sink,
                     std::vector<std::shared_ptr<void>>* keep_alive)>
      setup;
};

struct PassOutput {
  std::vector<rules::Finding> findings;
  std::vector<std::string> missing_includes;  // "path:line:col: 'x.h' file not found"
  std::string first_error;                    // "path:line:col: error: message", or ""
  bool ran = false;                           // the AST was built (maybe partially)
};

PassOutput RunPass(const PassInput& input);

}  // namespace referee::analyzers::clang_internal
