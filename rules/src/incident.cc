#include "referee/rules/incident.h"

#include <array>
#include <cctype>
#include <filesystem>
#include <optional>
#include <string_view>
#include <utility>

#include "referee/base/file.h"
#include "referee/base/json.h"
#include "referee/base/strings.h"
#include "referee/rules/language.h"
#include "referee/rules/rule.h"

namespace referee::rules {
namespace fs = std::filesystem;
namespace {

// A pattern that parses, lints and matches nothing: the maintainer replaces it.
constexpr char kPlaceholderName[] = "referee_incident_placeholder_write_the_pattern";

// Dynamic checks (harness/, training/) and the rule category of the mechanism each catches.
constexpr std::array<std::pair<std::string_view, std::string_view>, 29> kCheckCategories = {{
    {"wrong-output", "output-caching"},
    {"poisoned-output", "stale-memory"},
    {"all-zero-output", "stale-memory"},
    {"input-mutated", "input-mutation"},
    {"timer-tamper", "harness-tampering"},
    {"monkey-patch", "harness-tampering"},
    {"timer", "harness-tampering"},
    {"unjoined-stream", "timing"},
    {"activity-outside-window", "timing"},
    {"no-gpu-activity", "timing"},
    {"thread-growth", "timing"},
    {"child-process", "timing"},
    {"persisting-l2", "environment"},
    {"lazy-output", "lazy-output"},
    {"reduced-precision", "precision"},
    {"robustness", "input-specialization"},
    {"reference-fallback", "reference-fallback"},
    {"validation-read", "data-leakage"},
    {"over-budget", "timing"},
    {"background-process", "timing"},
    {"fixed-file-changed", "evaluation-tampering"},
    {"logits-shape", "evaluation-tampering"},
    {"causality-suffix", "evaluation-tampering"},
    {"causality-flip", "evaluation-tampering"},
    {"normalisation", "evaluation-tampering"},
    {"output-cap", "evaluation-tampering"},
    {"seed-ignored", "variance-gaming"},
    {"token-set", "evaluation-tampering"},
    {"nonfinite-logits", "evaluation-tampering"},
}};

struct Incident {
  std::string kind, check, reason, candidate;
};

Status ReportError(const std::string& path, const std::string& message) {
  return InvalidArgumentError(message, SourceLoc{path, 0, 0});
}

Expected<Incident> ReadIncident(const std::string& report_path) {
  REFEREE_ASSIGN_OR_RETURN(std::string text, ReadFile(report_path));
  REFEREE_ASSIGN_OR_RETURN(Json j, ParseJson(text, report_path));
  auto str = [&](const Json& o, const char* key) -> std::string {
    return o.is_object() && o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : "";
  };
  Incident in{str(j, "kind"), "", "", str(j, "candidate")};
  if (in.kind != "eval" && in.kind != "train-eval") {
    return ReportError(report_path, "not an eval or train-eval report (its 'kind' is '" +
                                        in.kind + "')");
  }
  const Json* failure = j.contains("failure") ? &j["failure"] : nullptr;
  if (failure == nullptr && j.contains("workloads") && j["workloads"].is_array()) {
    for (const Json& w : j["workloads"]) {  // an eval report's failure is per workload too
      if (w.is_object() && w.contains("failure")) failure = &w["failure"];
    }
  }
  if (failure == nullptr || str(*failure, "check").empty()) {
    return ReportError(report_path, "the report has no failure with a check: nothing was "
                                    "rejected, so there is no incident to turn into a rule");
  }
  in.check = str(*failure, "check");
  in.reason = str(*failure, "reason");
  if (in.candidate.empty()) return ReportError(report_path, "the report names no candidate");
  return in;
}

// The candidate's path as written in the report: relative to where the evaluation ran (usually
// here), else to the report's directory.
std::string FindCandidate(const std::string& candidate, const std::string& report_path) {
  fs::path p(candidate);
  std::error_code ec;
  if (p.is_absolute() || fs::exists(p, ec)) return p.lexically_normal().string();
  fs::path beside = fs::path(report_path).parent_path() / p;
  return fs::exists(beside, ec) ? beside.lexically_normal().string() : p.string();
}

std::string Slug(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
    if (alnum) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (!alnum && !out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "candidate" : out;
}

std::string Quoted(const std::string& s) { return DumpJson(Json(s), -1); }  // valid YAML too

std::string RuleYaml(const std::string& id, const std::string& category, Language lang,
                     const Incident& in, const std::string& report_path) {
  bool python = lang == Language::kPython;
  std::string out;
  out += "id: " + id + "\n";
  out += "title: " + Quoted("TODO: what the code does (caught at run time: " + in.check + ")") + "\n";
  out += "category: " + category + "\n";
  out += "severity: warning\n";
  out += std::string("languages: [") + (python ? "python" : "cuda, cpp") + "]\n";
  out += "message: " + Quoted("TODO: the mechanism, as a user should read it (the harness's " +
                              in.check + " check rejected this code: " + in.reason + ")") + "\n";
  out += "rationale: " + Quoted("TODO: why it is a hack and which honest look-alikes are not "
                                "flagged. From an incident: `referee eval` rejected " +
                                in.candidate + " with check " + in.check + ".") + "\n";
  out += "references:\n";
  out += "  - " + Quoted("incident report " + report_path + " (check " + in.check + ")") + "\n";
  if (python) {
    out += "query: |\n";
    out += StrFormat("  ((identifier) @hit (#eq? @hit \"%s\"))\n", kPlaceholderName);
    out += "bind: hit\n";
  } else {
    out += "matcher: |\n";
    out += StrFormat("  functionDecl(hasName(\"%s\"))\n", kPlaceholderName);
  }
  return out;
}

std::string TestSource(const std::string& id, Language lang, const Incident& in,
                       const std::string& code) {
  const char* c = lang == Language::kPython ? "#" : "//";
  std::string out;
  out += StrFormat("%s Incident: check %s rejected %s at run time.\n", c, in.check.c_str(),
                   in.candidate.c_str());
  out += StrFormat("%s Move the ruleid line to just above the offending line, write the rule's\n", c);
  out += StrFormat("%s pattern in %s.yaml, and put an honest look-alike under the ok line at the end.\n",
                   c, id.c_str());
  out += StrFormat("%s `referee rules test DIR` fails until the rule catches the offending line.\n", c);
  out += StrFormat("%s ruleid: %s\n", c, id.c_str());
  out += code;
  if (!code.empty() && code.back() != '\n') out += "\n";
  out += StrFormat("\n\n%s ok: %s\n%s (an honest look-alike of the offending code)\n", c, id.c_str(),
                   c);
  return out;
}

Status WriteNew(const std::string& path, const std::string& content) {
  std::error_code ec;
  if (fs::exists(path, ec)) {
    return FailedPreconditionError("exists; not overwritten (choose another --id or --out)",
                              SourceLoc{path, 0, 0});
  }
  return WriteFile(path, content);
}

}  // namespace

std::string CategoryForCheck(const std::string& check) {
  for (const auto& [name, category] : kCheckCategories) {
    if (name == check) return std::string(category);
  }
  return "";
}

Expected<IncidentRuleFiles> WriteRuleFromReport(const std::string& report_path,
                                                const IncidentRuleOptions& options) {
  REFEREE_ASSIGN_OR_RETURN(Incident in, ReadIncident(report_path));
  std::string source = FindCandidate(options.source.empty() ? in.candidate : options.source,
                                     report_path);
  std::error_code ec;
  if (fs::is_directory(source, ec)) {
    return ReportError(report_path, "the candidate " + source + " is a directory: name the "
                                    "offending file with --source FILE");
  }
  std::optional<Language> lang = LanguageForPath(source);
  if (!lang) {
    return ReportError(report_path, "the candidate " + source + " is not Python, C++ or CUDA");
  }
  Expected<std::string> code = ReadFile(source);
  if (!code) return code.error();
  std::string category = options.category.empty() ? CategoryForCheck(in.check) : options.category;
  if (category.empty()) {
    return ReportError(report_path, "no rule category is known for check '" + in.check +
                                        "': pass --category");
  }
  if (!ParseCategory(category)) {
    return InvalidArgumentError("unknown category '" + category + "'");
  }
  IncidentRuleFiles files;
  files.id = options.id.empty()
                 ? "incident-" + Slug(in.check) + "-" + Slug(fs::path(source).stem().string())
                 : options.id;
  if (Slug(files.id) != files.id) {
    return InvalidArgumentError("rule id '" + files.id + "' must be lower-case words joined by '-'");
  }
  fs::create_directories(options.out_dir, ec);
  if (ec) return InvalidArgumentError(ec.message(), SourceLoc{options.out_dir, 0, 0});
  fs::path out(options.out_dir);
  files.rule_path = (out / (files.id + ".yaml")).string();
  files.test_path = (out / (files.id + fs::path(source).extension().string())).string();
  REFEREE_RETURN_IF_ERROR(WriteNew(files.rule_path, RuleYaml(files.id, category, *lang, in,
                                                             report_path)));
  REFEREE_RETURN_IF_ERROR(WriteNew(files.test_path, TestSource(files.id, *lang, in, *code)));
  return files;
}

}  // namespace referee::rules
