// `referee audit` and `referee rules list|test|lint|explain` (issue #3).
// Exit codes (STYLE.md): 0 clean; 1 findings at or above --fail-on, failing rule tests or lint
// problems; 2 usage, rule or input error (partial results still written); 3 internal error.
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "referee/analyzers/audit.h"
#ifdef REFEREE_HAVE_PYTHON_ANALYZER
#include "referee/analyzers/audit_config.h"
#endif
#include "referee/base/file.h"
#include "referee/base/log.h"
#include "referee/base/strings.h"
#include "referee/rules/lint.h"
#include "referee/rules/loader.h"
#include "referee/rules/report.h"

namespace referee::cli {
namespace {

namespace fs = std::filesystem;
using rules::Severity;

constexpr int kExitClean = 0;
constexpr int kExitFindings = 1;
constexpr int kExitInputError = 2;
constexpr int kExitInternal = 3;

constexpr char kAuditUsage[] =
    "usage: referee audit [options] PATH...\n"
    "Statically audits C, C++, CUDA and Python sources (files or directories, recursively).\n\n"
    "  --format text|json|sarif  report format (default text)\n"
    "  --output FILE             write the report to FILE instead of stdout\n"
    "  --rules DIR               add a rules directory (repeatable; bundled rules always load)\n"
    "  --fail-on note|warning|error  exit 1 on findings at or above this level (default warning)\n"
    "  -p BUILD_DIR              use BUILD_DIR/compile_commands.json\n"
    "  --cuda-path DIR           parse CUDA with this toolkit (default: no-toolkit mode)\n"
    "  --config FILE             trusted referee.yaml for Python files; in-tree ones are ignored\n"
    "  -j N                      audit N files in parallel (default: one per core)\n"
    "  --file-timeout SECONDS    per-file time budget; past it the file is an error (default 120)\n"
    "  --file-memory MIB         per-file memory budget of its analysis process (default 4096)\n"
    "  --in-process              analyse on threads of this process (no isolation; debugging)\n"
    "  -q, -v                    quieter (errors only) / more verbose\n";

constexpr char kRulesUsage[] =
    "usage: referee rules list|test [DIR]|lint [DIR]|explain ID [options]\n"
    "  list          id, category, severity, languages and title of each rule\n"
    "  test [DIR]    run each rule on its annotated test source (default: bundled rules)\n"
    "  lint [DIR]    check rule files, their patterns and their test sources\n"
    "  explain ID    a rule's title, message, rationale, references and pattern\n\n"
    "  --rules DIR   add a rules directory (repeatable)\n"
    "  -j N          parallel jobs for 'test'\n"
    "  -q, -v        quieter / more verbose\n";

struct Flags {
  std::string format = "text";
  std::string output;
  std::vector<std::string> rule_dirs;
  std::string fail_on = "warning";
  std::string build_dir;
  std::string cuda_path;
  std::string config;
  int jobs = 0;
  double file_timeout_s = 120;
  long file_memory_mib = 4096;
  bool in_process = false;
  int verbosity = 1;
  bool help = false;
  std::vector<std::string> positional;
};

void PrintError(const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); }

int UsageError(const std::string& message) {
  Logf(LogLevel::kError, "%s", message.c_str());
  return kExitInputError;
}

// Options with a value accept `--opt VALUE`, `--opt=VALUE` and, for -j/-p, `-jN`/`-pDIR`.
std::optional<std::string> TakeValue(const std::string& arg, const std::string& name, int argc,
                                     char** argv, int* i, Status* error) {
  if (arg == name) {
    if (*i + 1 >= argc) {
      *error = InvalidArgumentError(StrFormat("option '%s' needs a value", name.c_str()));
      return std::nullopt;
    }
    return std::string(argv[++*i]);
  }
  if (StartsWith(arg, name + "=")) return arg.substr(name.size() + 1);
  if (name.size() == 2 && StartsWith(arg, name) && arg.size() > 2) return arg.substr(2);
  return std::nullopt;
}

Status ApplyValue(const std::string& name, const std::string& value, Flags* flags) {
  if (name == "--format") {
    if (!rules::ParseReportFormat(value)) {
      return InvalidArgumentError(
          StrFormat("invalid --format '%s' (expected text, json or sarif)", value.c_str()));
    }
    flags->format = value;
  } else if (name == "--output") {
    flags->output = value;
  } else if (name == "--rules") {
    flags->rule_dirs.push_back(value);
  } else if (name == "--fail-on") {
    if (!rules::ParseSeverity(value)) {
      return InvalidArgumentError(
          StrFormat("invalid --fail-on '%s' (expected note, warning or error)", value.c_str()));
    }
    flags->fail_on = value;
  } else if (name == "-p") {
    flags->build_dir = value;
  } else if (name == "--cuda-path") {
    flags->cuda_path = value;
  } else if (name == "--config") {
    flags->config = value;
  } else if (name == "-j") {
    char* end = nullptr;
    long n = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || n < 1 || n > 1024) {
      return InvalidArgumentError(
          StrFormat("invalid -j '%s' (expected a positive integer)", value.c_str()));
    }
    flags->jobs = int(n);
  } else if (name == "--file-timeout") {
    char* end = nullptr;
    double v = std::strtod(value.c_str(), &end);
    if (value.empty() || *end != '\0' || !(v >= 0 && v <= 86400)) {
      return InvalidArgumentError(StrFormat(
          "invalid --file-timeout '%s' (expected seconds, 0 for none)", value.c_str()));
    }
    flags->file_timeout_s = v;
  } else if (name == "--file-memory") {
    char* end = nullptr;
    long v = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || v < 0 || v > (1L << 30)) {
      return InvalidArgumentError(StrFormat(
          "invalid --file-memory '%s' (expected MiB, 0 for none)", value.c_str()));
    }
    flags->file_memory_mib = v;
  }
  return OkStatus();
}

Expected<Flags> ParseFlags(int argc, char** argv) {
  static const char* kValued[] = {"--format",       "--output",      "--rules", "--fail-on",
                                  "-p",             "--cuda-path",   "-j",      "--config",
                                  "--file-timeout", "--file-memory"};
  Flags flags;
  bool only_paths = false;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (only_paths || arg.empty() || arg[0] != '-' || arg == "-") {
      flags.positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      only_paths = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      flags.help = true;
      continue;
    }
    if (arg == "-q" || arg == "--quiet") {
      flags.verbosity = 0;
      continue;
    }
    if (arg == "-v" || arg == "--verbose") {
      flags.verbosity = std::max(2, flags.verbosity + 1);
      continue;
    }
    if (arg == "-vv") {
      flags.verbosity = 3;
      continue;
    }
    if (arg == "--in-process") {
      flags.in_process = true;
      continue;
    }
    if (arg == "-o") arg = "--output";
    bool matched = false;
    for (const char* name : kValued) {
      Status error;
      std::optional<std::string> value = TakeValue(arg, name, argc, argv, &i, &error);
      if (!error.ok()) return error;
      if (!value) continue;
      REFEREE_RETURN_IF_ERROR(ApplyValue(name, *value, &flags));
      matched = true;
      break;
    }
    if (!matched) {
      return InvalidArgumentError(StrFormat("unknown option '%s'", arg.c_str()));
    }
  }
  return flags;
}

// `base` (the bundled rules, made relative to the cwd when under it, so rule errors read
// `rules/cpp/...`) followed by the --rules directories.
std::vector<std::string> RuleDirs(const Flags& flags, const std::vector<std::string>& base) {
  std::vector<std::string> dirs;
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  for (const std::string& dir : base) {
    fs::path rel = fs::path(dir).lexically_relative(cwd);
    bool under = !ec && !rel.empty() && *rel.begin() != "..";
    dirs.push_back(under ? rel.string() : dir);
  }
  dirs.insert(dirs.end(), flags.rule_dirs.begin(), flags.rule_dirs.end());
  return dirs;
}

// Loads the rules, printing each malformed one and adding it to `errors`.
rules::RuleSet LoadAndReport(const std::vector<std::string>& dirs,
                             std::vector<std::string>* errors) {
  rules::LoadResult loaded = rules::LoadRules(dirs);
  for (const Status& s : loaded.errors) {
    PrintError(s.ToString());
    errors->push_back(s.ToString());
  }
  return std::move(loaded.rules);
}

analyzers::AnalyzerOptions MakeAnalyzerOptions(const Flags& flags) {
  analyzers::AnalyzerOptions options;
  options.cuda_path = flags.cuda_path;
  options.compile_commands_dir = flags.build_dir;
  options.audit_config = flags.config;
  options.file_timeout_s = flags.file_timeout_s;
  return options;
}

Status CheckDirFlags(const Flags& flags) {
  std::error_code ec;
  if (!flags.cuda_path.empty() && !fs::is_directory(flags.cuda_path, ec)) {
    return InvalidArgumentError("--cuda-path: no such directory", SourceLoc{flags.cuda_path});
  }
  if (!flags.build_dir.empty() && !fs::is_directory(flags.build_dir, ec)) {
    return InvalidArgumentError("-p: no such directory", SourceLoc{flags.build_dir});
  }
  if (!flags.config.empty()) {
#ifdef REFEREE_HAVE_PYTHON_ANALYZER
    return analyzers::LoadAuditConfigFile(flags.config).error();
#else
    return InvalidArgumentError("--config: this build has no Python analyzer");
#endif
  }
  return OkStatus();
}

// The directory SARIF uris are relative to: the enclosing git work tree, else the cwd.
std::string SourceRoot(const std::string& cwd) {
  std::error_code ec;
  for (fs::path dir = cwd; !dir.empty(); dir = dir.parent_path()) {
    if (fs::exists(dir / ".git", ec)) return dir.string();
    if (dir == dir.parent_path()) break;
  }
  return cwd;
}

void PrintFileDiagnostics(const rules::AuditResult& result, int verbosity) {
  for (const rules::FileResult& f : result.files) {
    if (!f.error.empty()) PrintError(f.error);
    if (verbosity < 1) continue;
    for (const std::string& note : f.notes) PrintError(f.path + ": note: " + note);
  }
  for (const std::string& e : result.errors) PrintError(e);
}

struct Tally {
  int by_severity[3] = {0, 0, 0};
  int file_errors = 0;
  int skipped = 0;
};

Tally Count(const rules::AuditResult& result) {
  Tally t;
  for (const rules::Finding& f : result.findings) ++t.by_severity[int(f.severity)];
  for (const rules::FileResult& f : result.files) {
    t.file_errors += f.status == rules::FileStatus::kError;
    t.skipped += f.status == rules::FileStatus::kSkipped;
  }
  return t;
}

void PrintSummary(const rules::AuditResult& result, const Tally& t) {
  int total = t.by_severity[0] + t.by_severity[1] + t.by_severity[2];
  std::string line =
      StrFormat("referee: %d finding%s (%d error, %d warning, %d note) in %zu file%s", total,
                total == 1 ? "" : "s", t.by_severity[2], t.by_severity[1], t.by_severity[0],
                result.files.size(), result.files.size() == 1 ? "" : "s");
  if (t.file_errors > 0) line += StrFormat("; %d with errors", t.file_errors);
  if (t.skipped > 0) line += StrFormat("; %d skipped", t.skipped);
  PrintError(line);
}

Status WriteReport(const std::string& report, const std::string& output) {
  if (output.empty() || output == "-") {
    if (std::fwrite(report.data(), 1, report.size(), stdout) != report.size()) {
      return ErrnoError("writing the report to stdout", errno);
    }
    std::fflush(stdout);
    return OkStatus();
  }
  Status s = WriteFile(output, report);
  return s.ok() ? s : s.WithLoc(SourceLoc{output});
}

int AuditExitCode(const analyzers::AuditRun& run, const Tally& t, bool input_error,
                  Severity fail_on) {
  if (run.internal_error) return kExitInternal;
  if (input_error || t.file_errors > 0 || !run.result.errors.empty()) return kExitInputError;
  for (int s = int(fail_on); s <= int(Severity::kError); ++s) {
    if (t.by_severity[s] > 0) return kExitFindings;
  }
  return kExitClean;
}

}  // namespace

int RunAuditCommand(int argc, char** argv) {
  Expected<Flags> parsed = ParseFlags(argc, argv);
  if (!parsed) return UsageError(parsed.error().message() + "; see 'referee audit --help'");
  const Flags& flags = *parsed;
  if (flags.help) {
    std::fputs(kAuditUsage, stdout);
    return kExitClean;
  }
  SetLogVerbosity(flags.verbosity);
  if (flags.positional.empty()) {
    return UsageError("audit needs at least one PATH; see 'referee audit --help'");
  }
  if (Status s = CheckDirFlags(flags); !s.ok()) {
    PrintError(s.ToString());
    return kExitInputError;
  }

  std::vector<std::string> rule_errors;
  rules::RuleSet rule_set = LoadAndReport(RuleDirs(flags, rules::BundledRuleDirs()), &rule_errors);
  analyzers::BuiltInAnalyzers built = analyzers::MakeBuiltInAnalyzers(MakeAnalyzerOptions(flags));
  for (const Status& s : analyzers::PrepareAnalyzers(built.all, rule_set)) {
    PrintError(s.ToString());
    rule_errors.push_back(s.ToString());
  }

  analyzers::AuditOptions options;
  options.jobs = flags.jobs;
  options.progress = isatty(STDERR_FILENO) && flags.verbosity >= 1;
  options.isolation =
      flags.in_process ? analyzers::Isolation::kThreads : analyzers::Isolation::kProcesses;
  options.file_timeout_s = flags.file_timeout_s;
  options.file_memory_mib = uint64_t(flags.file_memory_mib);
  std::error_code ec;
  options.cwd = fs::current_path(ec).string();
  analyzers::AuditRun run = analyzers::RunAudit(flags.positional, rule_set, built.all, options);
  bool nothing_audited = run.analyzed_files == 0 && !run.result.files.empty();
  if (nothing_audited && Count(run.result).file_errors == 0) {
    run.result.errors.push_back(
        "referee: error: nothing to audit: no analyzer in this build handles "
        "the given files");
  }
  PrintFileDiagnostics(run.result, flags.verbosity);
  // Rule errors were printed as they were found; the reports carry them too.
  run.result.errors.insert(run.result.errors.begin(), rule_errors.begin(), rule_errors.end());

  std::vector<std::string> argv_list{"referee"};
  argv_list.insert(argv_list.end(), argv, argv + argc);
  rules::ReportContext context{&rule_set, argv_list, options.cwd, SourceRoot(options.cwd)};
  std::string report =
      rules::FormatReport(*rules::ParseReportFormat(flags.format), run.result, context);
  Tally tally = Count(run.result);
  bool input_error = false;
  if (Status s = WriteReport(report, flags.output); !s.ok()) {
    PrintError(s.ToString());
    input_error = true;
  }
  if (flags.verbosity >= 1) PrintSummary(run.result, tally);
  return AuditExitCode(run, tally, input_error, *rules::ParseSeverity(flags.fail_on));
}

namespace {

std::string Languages(const rules::Rule& rule) {
  std::vector<std::string> names;
  for (rules::Language l : rule.languages) names.emplace_back(rules::LanguageName(l));
  return StrJoin(names, ",");
}

int ListRules(const rules::RuleSet& set) {
  size_t id_w = 2, cat_w = 8, lang_w = 9;
  for (const rules::Rule& r : set.rules) {
    id_w = std::max(id_w, r.id.size());
    cat_w = std::max(cat_w, rules::CategoryName(r.category).size());
    lang_w = std::max(lang_w, Languages(r).size());
  }
  std::printf("%-*s  %-*s  %-8s  %-*s  %s\n", int(id_w), "ID", int(cat_w), "CATEGORY", "SEVERITY",
              int(lang_w), "LANGUAGES", "TITLE");
  for (const rules::Rule& r : set.rules) {
    std::string cat(rules::CategoryName(r.category));
    std::string sev(rules::SeverityName(r.severity));
    std::printf("%-*s  %-*s  %-8s  %-*s  %s\n", int(id_w), r.id.c_str(), int(cat_w), cat.c_str(),
                sev.c_str(), int(lang_w), Languages(r).c_str(), r.title.c_str());
  }
  return kExitClean;
}

void PrintIndented(const std::string& text) {
  for (const std::string& line : StrSplit(StripWhitespace(text), '\n')) {
    std::printf("  %s\n", line.c_str());
  }
}

int ExplainRule(const rules::RuleSet& set, const std::string& id) {
  const rules::Rule* r = set.Find(id);
  if (r == nullptr) {
    const rules::Rule* near = nullptr;
    int best = 4;
    for (const rules::Rule& candidate : set.rules) {
      int d = EditDistance(id, candidate.id);
      if (d < best) best = d, near = &candidate;
    }
    return UsageError(
        near ? StrFormat("unknown rule '%s'; did you mean '%s'?", id.c_str(), near->id.c_str())
             : StrFormat("unknown rule '%s'; see 'referee rules list'", id.c_str()));
  }
  std::string cat(rules::CategoryName(r->category)), sev(rules::SeverityName(r->severity));
  std::printf("%s: %s\n\n", r->id.c_str(), r->title.c_str());
  std::printf("category:  %s\nseverity:  %s\nlanguages: %s\nfile:      %s\n\n", cat.c_str(),
              sev.c_str(), Languages(*r).c_str(), r->source_path.c_str());
  std::printf("message:\n");
  PrintIndented(r->message);
  std::printf("\nrationale:\n");
  PrintIndented(r->rationale);
  if (!r->references.empty()) std::printf("\nreferences:\n");
  for (const std::string& ref : r->references) std::printf("  - %s\n", ref.c_str());
  const char* kind = !r->matcher.empty() ? "matcher" : !r->query.empty() ? "query" : "check";
  std::printf("\npattern (%s, %s:%d:%d):\n", kind, r->source_path.c_str(), r->pattern_pos.line,
              r->pattern_pos.col);
  PrintIndented(r->matcher + r->query + r->check);
  for (const auto& [name, text] : r->let)
    std::printf("  let %s = %s\n", name.c_str(), text.c_str());
  if (!r->bind.empty()) std::printf("  bind: %s\n", r->bind.c_str());
  for (const auto& [key, value] : r->options) {
    std::printf("  option %s = %s\n", key.c_str(), value.c_str());
  }
  return kExitClean;
}

std::string Lines(const std::vector<int>& lines) {
  std::vector<std::string> parts;
  for (int l : lines) parts.push_back(std::to_string(l));
  return StrJoin(parts, ", ");
}

// Prints one rule's outcome; returns 0 pass, 1 fail, 2 skipped.
int PrintRuleTest(const analyzers::RuleTestOutcome& o, int verbosity) {
  const rules::RuleTestResult& r = o.result;
  if (!o.skipped.empty()) {
    if (verbosity >= 1) std::printf("SKIP %s: %s\n", r.rule_id.c_str(), o.skipped.c_str());
    return 2;
  }
  bool pass = r.passed();
  if (!pass || verbosity >= 1) std::printf("%s %s\n", pass ? "PASS" : "FAIL", r.rule_id.c_str());
  for (const std::string& e : r.errors) std::printf("  %s\n", e.c_str());
  for (int line : r.missed) {
    std::printf("  %s:%d: missed: 'ruleid: %s' line not flagged\n", o.test_file.c_str(), line,
                r.rule_id.c_str());
  }
  for (int line : r.unexpected) {
    std::printf("  %s:%d: unexpected: flagged by %s without a 'ruleid' annotation\n",
                o.test_file.c_str(), line, r.rule_id.c_str());
  }
  if (verbosity >= 1 && !r.todo_missed.empty()) {
    std::printf("  todo: known gaps on lines %s\n", Lines(r.todo_missed).c_str());
  }
  if (!r.todo_flagged.empty()) {
    std::printf("  todo: lines %s now flagged; turn 'todoruleid' into 'ruleid'\n",
                Lines(r.todo_flagged).c_str());
  }
  if (verbosity >= 1 && !r.todo_ok_flagged.empty()) {
    std::printf("  todo: known false positives on lines %s\n", Lines(r.todo_ok_flagged).c_str());
  }
  return pass ? 0 : 1;
}

int TestRules(const rules::RuleSet& set, const Flags& flags, bool load_errors) {
  analyzers::BuiltInAnalyzers built = analyzers::MakeBuiltInAnalyzers(MakeAnalyzerOptions(flags));
  std::vector<Status> prepare = analyzers::PrepareAnalyzers(built.all, set);
  int counts[3] = {0, 0, 0};
  for (const analyzers::RuleTestOutcome& o :
       analyzers::RunRuleTests(set, built.all, prepare, flags.jobs)) {
    ++counts[PrintRuleTest(o, flags.verbosity)];
  }
  std::printf("%zu rules: %d passed, %d failed, %d skipped\n", set.rules.size(), counts[0],
              counts[1], counts[2]);
  if (load_errors) return kExitInputError;
  return counts[1] > 0 ? kExitFindings : kExitClean;
}

int LintRuleSet(const rules::RuleSet& set, const Flags& flags, bool load_errors) {
  analyzers::BuiltInAnalyzers built = analyzers::MakeBuiltInAnalyzers(MakeAnalyzerOptions(flags));
  std::vector<Status> prepare = analyzers::PrepareAnalyzers(built.all, set);
  for (const Status& s : prepare) PrintError(s.ToString());
  std::vector<Status> problems = rules::LintRules(set);
  for (const Status& s : problems) PrintError(s.ToString());
  if (flags.verbosity >= 1) {
    PrintError(StrFormat("referee: %zu rules, %zu problems", set.rules.size(),
                         problems.size() + prepare.size()));
  }
  if (load_errors || !prepare.empty()) return kExitInputError;
  return problems.empty() ? kExitClean : kExitFindings;
}

}  // namespace

int RunRulesCommand(int argc, char** argv) {
  Expected<Flags> parsed = ParseFlags(argc, argv);
  if (!parsed) return UsageError(parsed.error().message() + "; see 'referee rules --help'");
  Flags flags = *parsed;
  if (flags.help) {
    std::fputs(kRulesUsage, stdout);
    return kExitClean;
  }
  SetLogVerbosity(flags.verbosity);
  if (flags.positional.empty())
    return UsageError("rules needs a subcommand: list, test, lint or explain");
  std::string sub = flags.positional[0];
  std::vector<std::string> args(flags.positional.begin() + 1, flags.positional.end());
  bool takes_dir = sub == "test" || sub == "lint";
  size_t max_args = sub == "explain" ? 1 : takes_dir ? 1 : 0;
  if (sub != "list" && sub != "explain" && !takes_dir) {
    return UsageError(
        StrFormat("unknown rules subcommand '%s' (expected list, test, lint or "
                  "explain)",
                  sub.c_str()));
  }
  if (args.size() > max_args || (sub == "explain" && args.empty())) {
    return UsageError(StrFormat("usage: referee rules %s", sub == "explain" ? "explain ID"
                                                           : takes_dir ? (sub + " [DIR]").c_str()
                                                                       : "list"));
  }
  std::vector<std::string> base = (takes_dir && !args.empty()) ? args : rules::BundledRuleDirs();
  std::vector<std::string> load_errors;
  rules::RuleSet set = LoadAndReport(RuleDirs(flags, base), &load_errors);
  if (sub == "list") {
    ListRules(set);
    return load_errors.empty() ? kExitClean : kExitInputError;
  }
  if (sub == "explain") return ExplainRule(set, args[0]);
  if (sub == "test") return TestRules(set, flags, !load_errors.empty());
  return LintRuleSet(set, flags, !load_errors.empty());
}

}  // namespace referee::cli
