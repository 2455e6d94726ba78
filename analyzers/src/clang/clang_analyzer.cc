// The Clang analyzer (issue #3): per file, one pass per side (C++; CUDA host + device), matcher
// rules and built-in checks in every pass, findings merged and de-duplicated.
#include "referee/analyzers/clang_analyzer.h"

#include <filesystem>
#include <map>
#include <set>

#include "clang/checks/check.h"
#include "clang/compile_args.h"
#include "clang/matcher_rules.h"
#include "clang/pass_runner.h"

namespace referee::analyzers {
namespace {

using clang_internal::CheckContext;
using clang_internal::CheckRegistry;
using clang_internal::CompiledMatcherRule;
using clang_internal::CompileSetup;
using clang_internal::PassKind;

bool Handled(const rules::Rule& rule) {
  return (!rule.matcher.empty() || !rule.check.empty()) &&
         (rule.AppliesTo(rules::Language::kCpp) || rule.AppliesTo(rules::Language::kCuda));
}

// Headers are audited on their own, without the declarations their includers provide, so a
// parse error there makes the analysis partial rather than failing the file.
bool IsHeader(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  return ext == ".h" || ext == ".cuh" || ext == ".hpp" || ext == ".hh" || ext == ".hxx";
}

std::string AbsolutePath(const std::string& path) {
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(path, ec);
  return ec ? path : abs.lexically_normal().string();
}

class ClangAnalyzer final : public Analyzer {
 public:
  explicit ClangAnalyzer(const AnalyzerOptions& options) : setup_(options) {
    clang_internal::RegisterChecks(&checks_);
  }

  const char* name() const override { return "clang"; }
  bool Handles(rules::Language language) const override {
    return language == rules::Language::kCpp || language == rules::Language::kCuda;
  }

  std::vector<Status> Prepare(const rules::RuleSet& rules) override {
    std::vector<Status> errors;
    compiled_.clear();
    for (const rules::Rule& rule : rules.rules) {
      if (!Handled(rule)) continue;
      if (!rule.check.empty()) {
        if (checks_.Find(rule.check) == nullptr) {
          SourceLoc loc{rule.source_path, rule.pattern_pos.line, rule.pattern_pos.col};
          errors.push_back(InvalidArgumentError(
              "unknown check '" + rule.check + "' [" + rule.id + "]", loc));
        }
        continue;
      }
      Expected<CompiledMatcherRule> compiled = clang_internal::CompileMatcherRule(rule);
      if (!compiled) {
        errors.push_back(compiled.error());
        continue;
      }
      compiled_.emplace(rule.id, std::move(compiled.value()));
    }
    return errors;
  }

  AnalysisOutput Analyze(const SourceFile& file, const rules::RuleSet& rules) const override;

 private:
  void Setup(const rules::RuleSet& rules, rules::Language language,
             clang::ast_matchers::MatchFinder* finder, clang_internal::FindingSink* sink,
             std::vector<std::shared_ptr<void>>* keep_alive) const;

  CompileSetup setup_;
  CheckRegistry checks_;
  std::map<std::string, CompiledMatcherRule> compiled_;
  mutable clang_internal::PreambleCache preambles_;
};

void ClangAnalyzer::Setup(const rules::RuleSet& rules, rules::Language language,
                          clang::ast_matchers::MatchFinder* finder,
                          clang_internal::FindingSink* sink,
                          std::vector<std::shared_ptr<void>>* keep_alive) const {
  for (const rules::Rule& rule : rules.rules) {
    if (!Handled(rule) || !rule.AppliesTo(language)) continue;
    if (!rule.check.empty()) {
      clang_internal::CheckFactory factory = checks_.Find(rule.check);
      if (factory == nullptr) continue;
      std::shared_ptr<clang_internal::ClangCheck> check = factory(CheckContext{&rule, sink});
      check->RegisterMatchers(finder);
      keep_alive->push_back(check);
      continue;
    }
    auto it = compiled_.find(rule.id);
    if (it == compiled_.end()) continue;  // malformed (reported by Prepare) or not prepared
    auto callback =
        std::make_shared<clang_internal::MatcherRuleCallback>(&it->second, &rule, sink);
    finder->addDynamicMatcher(*it->second.matcher, callback.get());
    keep_alive->push_back(callback);
  }
}

AnalysisOutput ClangAnalyzer::Analyze(const SourceFile& file, const rules::RuleSet& rules) const {
  AnalysisOutput out;
  std::string display = file.display_path.empty() ? file.path : file.display_path;
  out.file.path = display;
  out.file.language = file.language;
  std::string abs_path = AbsolutePath(file.path);
  std::set<std::string> notes;
  bool partial = false;
  for (PassKind kind : setup_.PassesFor(file.language, file.path)) {
    clang_internal::PassInput input;
    input.abs_path = abs_path;
    input.display_path = display;
    input.content = &file.content;
    input.args = setup_.Args(kind, abs_path);
    input.virtual_files = &setup_.virtual_files();
    input.preambles = &preambles_;
    input.shared_prefix_bytes = file.shared_prefix_bytes;
    input.setup = [&](clang::ast_matchers::MatchFinder* finder, clang_internal::FindingSink* sink,
                      std::vector<std::shared_ptr<void>>* keep_alive) {
      Setup(rules, file.language, finder, sink, keep_alive);
    };
    clang_internal::PassOutput pass = clang_internal::RunPass(input);
    out.findings.insert(out.findings.end(), pass.findings.begin(), pass.findings.end());
    for (const std::string& missing : pass.missing_includes) {
      notes.insert(missing + " (analysis is partial)");
      partial = true;
    }
    if (pass.first_error.empty()) continue;
    if (kind == PassKind::kCudaDevice) {
      // Host-only constructs (dynamic parallelism, host calls) can fail the device side alone.
      notes.insert("device pass: " + pass.first_error);
      partial = true;
    } else if (IsHeader(file.path)) {
      notes.insert("header analysed on its own: " + pass.first_error);
      partial = true;
    } else if (out.file.error.empty()) {
      out.file.error = pass.first_error;
    }
  }
  out.file.notes.assign(notes.begin(), notes.end());
  if (!out.file.error.empty()) {
    out.file.status = rules::FileStatus::kError;
  } else if (partial) {
    out.file.status = rules::FileStatus::kPartial;
  }
  rules::ApplyContext(rules, file.context, &out.findings);
  rules::SortAndDeduplicate(&out.findings);
  return out;
}

}  // namespace

std::unique_ptr<Analyzer> MakeClangAnalyzer(const AnalyzerOptions& options) {
  return std::make_unique<ClangAnalyzer>(options);
}

std::vector<std::string> ClangCheckNames() {
  clang_internal::CheckRegistry registry;
  clang_internal::RegisterChecks(&registry);
  return registry.Names();
}

}  // namespace referee::analyzers
