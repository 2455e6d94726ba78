// Turns AST locations into Findings: only locations in the audited (main) file are kept, never
// headers; line and column are 1-based (expansion locations, so macro uses point at the use);
// the snippet is the source line.
#pragma once

#include <string>
#include <vector>

#include "clang/AST/ASTContext.h"
#include "clang/AST/ASTTypeTraits.h"
#include "referee/rules/finding.h"
#include "referee/rules/rule.h"

namespace referee::analyzers::clang_internal {

class FindingSink final {
 public:
  FindingSink(std::string display_path, const std::string* content)
      : display_path_(std::move(display_path)), content_(content) {}

  // Adds a finding of `rule` at `range` unless it lies outside the main file. `message`
  // replaces the rule's message when non-empty.
  void Add(const rules::Rule& rule, clang::SourceRange range, const clang::ASTContext& ctx,
           const std::string& message = "");
  void Add(const rules::Rule& rule, const clang::DynTypedNode& node,
           const clang::ASTContext& ctx);

  std::vector<rules::Finding>& findings() { return findings_; }

 private:
  std::string LineText(int line) const;

  std::string display_path_;
  const std::string* content_;
  std::vector<rules::Finding> findings_;
};

// The range reported for a node: a named declaration's name, otherwise the node's range.
clang::SourceRange ReportRange(const clang::DynTypedNode& node);

}  // namespace referee::analyzers::clang_internal
