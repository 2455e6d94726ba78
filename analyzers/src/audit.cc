// The audit driver: reads each input, dispatches it to an analyzer on a worker thread, and
// merges the outcomes in input order so the report does not depend on -j.
#include "referee/analyzers/audit.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <mutex>
#include <set>
#include <thread>

#include "audit_internal.h"
#include "child_pool.h"
#include "large_stack.h"
#include "outcome_wire.h"
#include "referee/base/file.h"
#include "referee/base/strings.h"

namespace referee::analyzers {
namespace {

class Progress {
 public:
  Progress(bool enabled, int total) : enabled_(enabled), total_(total) {}
  ~Progress() {
    if (enabled_ && done_ > 0) std::fprintf(stderr, "\r\033[K");
  }
  void Done(const std::string& path) {
    if (!enabled_) return;
    std::lock_guard<std::mutex> lock(mu_);
    ++done_;
    std::fprintf(stderr, "\r\033[K[%d/%d] %s", done_, total_, path.c_str());
    std::fflush(stderr);
  }

 private:
  bool enabled_;
  int total_;
  int done_ = 0;
  std::mutex mu_;
};

Analyzer* AnalyzerFor(rules::Language language, const std::vector<Analyzer*>& analyzers) {
  for (Analyzer* a : analyzers) {
    if (a->Handles(language)) return a;
  }
  return nullptr;
}

// Makes an analyzer's output consistent: reported paths, snippets, the rule's category and
// severity (the rule file is the authority: the analyzer may only pick one of the rule's
// per-context severities), one-line errors, and findings only in the audited
// file (never in headers it includes; those are audited as files of their own when named).
void Normalize(const InputFile& in, const std::string& content, const rules::RuleSet& rules,
               AnalysisOutput* out) {
  out->file.path = in.display_path;
  out->file.language = in.language;
  std::string& error = out->file.error;
  if (size_t nl = error.find('\n'); nl != std::string::npos) error.resize(nl);
  std::vector<rules::Finding> kept;
  for (rules::Finding& f : out->findings) {
    if (f.path.empty() || f.path == in.path) f.path = in.display_path;
    if (f.path != in.display_path) continue;
    if (f.snippet.empty()) f.snippet = LineAt(content, f.line);
    if (const rules::Rule* rule = rules.Find(f.rule_id)) {
      f.category = rule->category;
      // The analyzer chose the severity for the file's context; it must be one the rule has.
      bool allowed = f.severity == rule->severity;
      for (const auto& [context, severity] : rule->contexts) {
        allowed = allowed || (severity && *severity == f.severity);
      }
      if (!allowed) f.severity = rule->severity;
      if (f.message.empty()) f.message = rule->message;
    }
    kept.push_back(std::move(f));
  }
  out->findings = std::move(kept);
}

FileOutcome AnalyzeOne(const InputFile& in, const rules::RuleSet& rules,
                const std::vector<Analyzer*>& analyzers) {
  FileOutcome slot;
  rules::FileResult& file = slot.output.file;
  file.path = in.display_path;
  file.language = in.language;
  // Far beyond any source file, and below the parsers' 32-bit offsets (issue 20).
  constexpr uintmax_t kMaxSourceBytes = uintmax_t{256} << 20;
  std::error_code ec;
  if (uintmax_t size = std::filesystem::file_size(in.path, ec); !ec && size > kMaxSourceBytes) {
    file.status = rules::FileStatus::kError;
    file.error = StrFormat("%s: error: file too large to audit (%ju MiB; the limit is %ju MiB)",
                           in.display_path.c_str(), size >> 20, kMaxSourceBytes >> 20);
    return slot;
  }
  Expected<std::string> content = ReadFile(in.path);
  if (!content) {
    file.status = rules::FileStatus::kError;
    file.error = in.display_path + ": error: " + content.error().message();
    return slot;
  }
  if (LooksBinary(*content)) {
    file.status = rules::FileStatus::kError;
    file.error = in.display_path + ": error: binary file, not source";
    return slot;
  }
  Analyzer* analyzer = AnalyzerFor(in.language, analyzers);
  if (analyzer == nullptr) {
    std::string_view lang = rules::LanguageName(in.language);
    file.status = rules::FileStatus::kSkipped;
    file.notes.push_back(
        StrFormat("no analyzer for %.*s in this build", int(lang.size()), lang.data()));
    return slot;
  }
  SourceFile source{in.path, in.display_path, std::move(*content), in.language};
  try {
    slot.output = analyzer->Analyze(source, rules);
    slot.analyzed = true;
    Normalize(in, source.content, rules, &slot.output);
  } catch (const std::exception& e) {
    slot.internal_error = true;
    file.status = rules::FileStatus::kError;
    file.error = StrFormat("%s: error: internal error in the %s analyzer: %s",
                           in.display_path.c_str(), analyzer->name(), e.what());
  } catch (...) {
    slot.internal_error = true;
    file.status = rules::FileStatus::kError;
    file.error = StrFormat("%s: error: internal error in the %s analyzer", in.display_path.c_str(),
                           analyzer->name());
  }
  return slot;
}

// Each file in a child process (child_pool.h); a file whose process died, hung or grew past the
// budget gets that as its error, and the reply of a corrupted process is not trusted.
std::vector<FileOutcome> AnalyzeInChildren(const std::vector<InputFile>& files,
                                           const rules::RuleSet& rules,
                                           const std::vector<Analyzer*>& analyzers,
                                           const AuditOptions& options,
                                           const std::function<void(int)>& done) {
  ChildLimits limits{options.file_timeout_s, options.file_memory_mib << 20};
  std::vector<TaskResult> results = RunInChildren(
      int(files.size()), options.jobs, limits,
      [&](int i) { return EncodeOutcome(AnalyzeOne(files[i], rules, analyzers)); }, done);
  std::vector<FileOutcome> slots(files.size());
  for (size_t i = 0; i < files.size(); ++i) {
    if (results[i].ok && DecodeOutcome(results[i].reply, &slots[i])) continue;
    std::string why = results[i].ok ? "the analysis process sent a malformed reply"
                                    : results[i].failure;
    slots[i] = FileOutcome{};
    rules::FileResult& file = slots[i].output.file;
    file.path = files[i].display_path;
    file.language = files[i].language;
    file.status = rules::FileStatus::kError;
    file.error = files[i].display_path + ": error: " + why;
  }
  return slots;
}

}  // namespace

std::string LineAt(const std::string& content, int line) {
  if (line < 1) return "";
  size_t begin = 0;
  for (int i = 1; i < line; ++i) {
    begin = content.find('\n', begin);
    if (begin == std::string::npos) return "";
    ++begin;
  }
  size_t end = content.find('\n', begin);
  std::string out =
      content.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return out;
}

void ParallelFor(int count, int jobs, const std::function<void(int)>& task) {
  if (count <= 0) return;
  if (jobs <= 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  jobs = std::min(jobs, count);
  // Even one job runs on a thread of its own: the main thread's stack is too small (large_stack.h).
  std::atomic<int> next{0};
  RunThreadsOnLargeStacks(jobs, [&](int) {
    for (int i = next++; i < count; i = next++) task(i);
  });
}

AuditRun AnalyzeFiles(const std::vector<InputFile>& files, const rules::RuleSet& rules,
                      const std::vector<Analyzer*>& analyzers, const AuditOptions& options) {
  std::vector<FileOutcome> slots;
  {
    // A progress line only pays for itself when there are many files.
    constexpr size_t kProgressMinFiles = 8;
    Progress progress(options.progress && files.size() >= kProgressMinFiles, int(files.size()));
    auto done = [&](int i) { progress.Done(files[i].display_path); };
    if (options.isolation == Isolation::kProcesses) {
      slots = AnalyzeInChildren(files, rules, analyzers, options, done);
    } else {
      slots.resize(files.size());
      ParallelFor(int(files.size()), options.jobs, [&](int i) {
        slots[i] = AnalyzeOne(files[i], rules, analyzers);
        done(i);
      });
    }
  }
  AuditRun run;
  for (FileOutcome& slot : slots) {
    run.analyzed_files += slot.analyzed;
    run.internal_error |= slot.internal_error;
    run.result.files.push_back(std::move(slot.output.file));
    for (rules::Finding& f : slot.output.findings) run.result.findings.push_back(std::move(f));
  }
  rules::SortAndDeduplicate(&run.result.findings);
  return run;
}

AuditRun RunAudit(const std::vector<std::string>& paths, const rules::RuleSet& rules,
                  const std::vector<Analyzer*>& analyzers, const AuditOptions& options) {
  std::string cwd = options.cwd.empty() ? CurrentDir() : options.cwd;
  InputSet inputs = CollectInputs(paths, cwd);
  AuditRun run = AnalyzeFiles(inputs.files, rules, analyzers, options);
  for (rules::FileResult& r : inputs.rejected) run.result.files.push_back(std::move(r));
  run.result.errors = std::move(inputs.errors);
  return run;
}

std::vector<Status> PrepareAnalyzers(const std::vector<Analyzer*>& analyzers,
                                     const rules::RuleSet& rules) {
  std::vector<Status> errors;
  std::set<std::string> seen;  // an analyzer may prepare another it embeds: report once
  for (Analyzer* a : analyzers) {
    for (Status& s : a->Prepare(rules)) {
      if (!s.ok() && seen.insert(s.ToString()).second) errors.push_back(std::move(s));
    }
  }
  return errors;
}

}  // namespace referee::analyzers
