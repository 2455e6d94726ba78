// Built-in C++ checks for what AST matchers cannot express (clang-tidy style: one class per check).
// A rule names a check with `check: <name>`; the analyzer creates a fresh check object per pass,
// so checks may keep per-translation-unit state. Registered by RegisterChecks(), no static
// registries (STYLE.md).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/finding_builder.h"
#include "referee/rules/rule.h"

namespace referee::analyzers::clang_internal {

// What a check reports through: its rule (id, message, options) and the pass's finding sink.
struct CheckContext {
  const rules::Rule* rule = nullptr;
  FindingSink* sink = nullptr;
};

class ClangCheck : public clang::ast_matchers::MatchFinder::MatchCallback {
 public:
  explicit ClangCheck(const CheckContext& context) : context_(context) {}
  // Adds this check's matchers (with `this` as the callback) to the pass's finder.
  virtual void RegisterMatchers(clang::ast_matchers::MatchFinder* finder) = 0;

 protected:
  const rules::Rule& rule() const { return *context_.rule; }
  void Report(clang::SourceRange range, const clang::ASTContext& ctx,
              const std::string& detail = "") {
    context_.sink->Add(rule(), range, ctx,
                       detail.empty() ? "" : rule().message + " (" + detail + ")");
  }

 private:
  CheckContext context_;
};

using CheckFactory = std::unique_ptr<ClangCheck> (*)(const CheckContext&);

class CheckRegistry final {
 public:
  void Register(const std::string& name, CheckFactory factory) { factories_[name] = factory; }
  CheckFactory Find(const std::string& name) const {
    auto it = factories_.find(name);
    return it == factories_.end() ? nullptr : it->second;
  }
  std::vector<std::string> Names() const {
    std::vector<std::string> names;
    for (const auto& [name, factory] : factories_) names.push_back(name);
    return names;
  }

 private:
  std::map<std::string, CheckFactory> factories_;
};

// Registers every built-in check (register_checks.cc lists them, one per line).
void RegisterChecks(CheckRegistry* registry);

}  // namespace referee::analyzers::clang_internal
