#include "referee/analyzers/audit_gate.h"

#include <filesystem>

#include "referee/base/strings.h"
#include "referee/rules/loader.h"
#include "suppressions.h"
#ifdef REFEREE_HAVE_PYTHON_ANALYZER
#include "referee/analyzers/audit_config.h"
#endif

namespace referee::analyzers {
namespace {

namespace fs = std::filesystem;

Status CheckAnalyzerOptions(const AnalyzerOptions& o) {
  std::error_code ec;
  if (!o.cuda_path.empty() && !fs::is_directory(o.cuda_path, ec)) {
    return InvalidArgumentError("--cuda-path: no such directory", SourceLoc{o.cuda_path});
  }
  if (!o.compile_commands_dir.empty() && !fs::is_directory(o.compile_commands_dir, ec)) {
    return InvalidArgumentError("-p: no such directory", SourceLoc{o.compile_commands_dir});
  }
  if (!o.audit_config.empty()) {
#ifdef REFEREE_HAVE_PYTHON_ANALYZER
    return LoadAuditConfigFile(o.audit_config).error();
#else
    return InvalidArgumentError("--config: this build has no Python analyzer");
#endif
  }
  return OkStatus();
}

// Whether a file's outcome makes the audit an input error. A Python file that does not parse
// (tree-sitter recovers and the file is analysed in part) is as broken as a C++ file that does
// not compile (an error); a C++ file analysed in part because this host lacks some headers is
// not: its code was read.
bool IsInputError(const rules::FileResult& f) {
  if (f.status == rules::FileStatus::kError) return true;
  return f.status == rules::FileStatus::kPartial && f.language == rules::Language::kPython &&
         !f.error.empty();
}

void Tally(AuditVerdict& v) {
  for (const rules::Finding& f : v.run.result.findings) {
    if (f.suppressed) {
      ++v.suppressed;
    } else {
      ++v.by_severity[int(f.severity)];
    }
  }
  for (const rules::FileResult& f : v.run.result.files) {
    v.file_errors += IsInputError(f);
    v.skipped += f.status == rules::FileStatus::kSkipped;
  }
}

AuditOutcome Decide(const AuditVerdict& v, rules::Severity fail_on) {
  if (v.run.internal_error) return AuditOutcome::kInternalError;
  if (v.file_errors > 0 || !v.run.result.errors.empty()) return AuditOutcome::kInputError;
  for (int s = int(fail_on); s <= int(rules::Severity::kError); ++s) {
    if (v.by_severity[s] > 0) return AuditOutcome::kFindings;
  }
  return AuditOutcome::kClean;
}

}  // namespace

const char* AuditOutcomeName(AuditOutcome outcome) {
  switch (outcome) {
    case AuditOutcome::kClean: return "clean";
    case AuditOutcome::kFindings: return "findings";
    case AuditOutcome::kInputError: return "input-error";
    case AuditOutcome::kInternalError: return "internal-error";
  }
  return "internal-error";
}

std::vector<std::string> RuleDirsFor(const std::vector<std::string>& base,
                                     const std::vector<std::string>& extra,
                                     const std::string& cwd) {
  std::vector<std::string> dirs;
  for (const std::string& dir : base) {
    fs::path rel = fs::path(dir).lexically_relative(cwd);
    bool under = !cwd.empty() && !rel.empty() && *rel.begin() != "..";
    dirs.push_back(under ? rel.string() : dir);
  }
  dirs.insert(dirs.end(), extra.begin(), extra.end());
  return dirs;
}

Expected<std::unique_ptr<AuditGate>> AuditGate::Create(AuditGateConfig config) {
  REFEREE_RETURN_IF_ERROR(CheckAnalyzerOptions(config.analyzer));
  std::unique_ptr<AuditGate> gate(new AuditGate());
  gate->config_ = std::move(config);
#ifdef REFEREE_HAVE_PYTHON_ANALYZER
  if (!gate->config_.analyzer.audit_config.empty()) {  // the trusted config grants these
    REFEREE_ASSIGN_OR_RETURN(AuditConfig trusted,
                             LoadAuditConfigFile(gate->config_.analyzer.audit_config));
    gate->allow_suppressions_ = trusted.allow_suppressions;
    gate->allow_baseline_in_tree_ = trusted.allow_baseline_in_tree;
  }
#endif
  if (!gate->config_.baseline.empty()) {
    REFEREE_ASSIGN_OR_RETURN(gate->baseline_, LoadBaseline(gate->config_.baseline));
  }
  std::error_code ec;
  std::string cwd = fs::current_path(ec).string();
  std::vector<std::string> base;
  if (gate->config_.bundled_rules) base = rules::BundledRuleDirs();
  rules::LoadResult loaded = rules::LoadRules(RuleDirsFor(base, gate->config_.rule_dirs, cwd));
  gate->rules_ = std::move(loaded.rules);
  gate->rule_errors_ = std::move(loaded.errors);
  gate->analyzers_ = MakeBuiltInAnalyzers(gate->config_.analyzer);
  for (Status& s : PrepareAnalyzers(gate->analyzers_.all, gate->rules_)) {
    gate->rule_errors_.push_back(std::move(s));
  }
  gate->rule_set_hash_ = rules::RuleSetHash(gate->rules_);
  return gate;
}

AuditVerdict AuditGate::Audit(const std::vector<std::string>& paths,
                              const AuditOptions& options) const {
  AuditVerdict v;
  v.run = RunAudit(paths, rules_, analyzers_.all, options);
  if (v.run.analyzed_files == 0 && !v.run.result.files.empty()) {
    bool any_error = false;
    for (const rules::FileResult& f : v.run.result.files) {
      any_error |= f.status == rules::FileStatus::kError;
    }
    if (!any_error) {
      v.run.result.errors.push_back(
          "referee: error: nothing to audit: no analyzer in this build handles the given files");
    }
  }
  std::vector<std::string> errors;
  for (const Status& s : rule_errors_) errors.push_back(s.ToString());
  v.run.result.errors.insert(v.run.result.errors.begin(), errors.begin(), errors.end());
  std::error_code ec;
  std::string cwd = options.cwd.empty() ? fs::current_path(ec).string() : options.cwd;
  ApplyInlineSuppressions(v.run.result, cwd, allow_suppressions_);
  if (baseline_) {
    if (Status s = CheckBaselinePlace(paths, cwd); !s.ok()) {
      v.run.result.errors.push_back(s.ToString());
    } else {
      ApplyBaseline(v.run.result, *baseline_, config_.baseline);
    }
  }
  Tally(v);
  v.outcome = Decide(v, config_.fail_on);
  return v;
}

// A baseline the submission could have written (inside an audited path) is not trusted unless
// the trusted config says so.
Status AuditGate::CheckBaselinePlace(const std::vector<std::string>& paths,
                                     const std::string& cwd) const {
  if (allow_baseline_in_tree_) return OkStatus();
  std::error_code ec;
  fs::path base = fs::weakly_canonical(fs::path(cwd) / config_.baseline, ec);
  for (const std::string& p : paths) {
    fs::path root = fs::weakly_canonical(fs::path(cwd) / p, ec);
    fs::path rel = base.lexically_relative(root);
    if (base == root || (!rel.empty() && *rel.begin() != "..")) {
      return InvalidArgumentError(
          "the baseline lies inside the audited tree, where a submission could have written "
          "it; move it out, or allow it in the trusted --config (allow_baseline_in_tree: true)",
          SourceLoc{config_.baseline});
    }
  }
  return OkStatus();
}

std::string BundledRuleSetHash() {
  rules::LoadResult loaded = rules::LoadRules(rules::BundledRuleDirs());
  if (!loaded.errors.empty()) return "";
  return rules::RuleSetHash(loaded.rules);
}

}  // namespace referee::analyzers
