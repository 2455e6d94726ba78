// SARIF 2.1.0 for GitHub code scanning (static-rules.md §6): stable rule ids, %SRCROOT%-relative
// uris, 1-based regions in UTF-16 code units, partialFingerprints, and file/run errors as
// toolExecutionNotifications.
#include <cstdint>
#include <map>

#include "referee/base/json.h"
#include "referee/base/strings.h"
#include "referee/base/version.h"
#include "referee/rules/report.h"

#ifndef REFEREE_INFORMATION_URI
#define REFEREE_INFORMATION_URI "https://github.com/"
#endif

namespace referee::rules {
namespace {

constexpr char kSchemaUri[] = "https://json.schemastore.org/sarif-2.1.0.json";

std::string Normalize(const std::string& path) {
  std::vector<std::string> out;
  for (const std::string& part : StrSplit(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == ".." && !out.empty() && out.back() != "..") {
      out.pop_back();
    } else {
      out.push_back(part);
    }
  }
  return "/" + StrJoin(out, "/");
}

std::string PercentEncode(std::string_view path) {
  std::string out;
  for (unsigned char c : path) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
    out += plain ? std::string(1, char(c)) : StrFormat("%%%02X", c);
  }
  return out;
}

// FNV-1a over the rule id and the line without whitespace: stable when lines move.
std::string LineHash(const Finding& f) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&h](unsigned char c) { h = (h ^ c) * 1099511628211ull; };
  for (char c : f.rule_id) mix(c);
  mix(0);
  for (char c : f.snippet) {
    if (c != ' ' && c != '\t' && c != '\r') mix(c);
  }
  return StrFormat("%016llx", static_cast<unsigned long long>(h));
}

Json ArtifactLocation(const std::string& path, const ReportContext& ctx) {
  std::optional<std::string> uri = SrcrootRelativeUri(path, ctx.cwd, ctx.srcroot);
  if (uri) return {{"uri", *uri}, {"uriBaseId", "%SRCROOT%"}};
  std::string abs = path.starts_with("/") ? path : ctx.cwd + "/" + path;
  return {{"uri", "file://" + PercentEncode(Normalize(abs))}};
}

Json RuleJson(const Rule& rule) {
  std::string help = rule.message + "\n\n" + rule.rationale;
  std::string markdown = "**" + rule.title + "**\n\n" + rule.message + "\n\n" + rule.rationale;
  if (!rule.references.empty()) {
    help += "\n\nReferences:";
    markdown += "\n\nReferences:\n";
    for (const std::string& ref : rule.references) {
      help += "\n- " + ref;
      markdown += "\n- " + ref;
    }
  }
  return {{"id", rule.id},
          {"name", rule.id},
          {"shortDescription", {{"text", rule.title}}},
          {"fullDescription", {{"text", rule.rationale}}},
          {"help", {{"text", help}, {"markdown", markdown}}},
          {"defaultConfiguration", {{"level", SeverityName(rule.severity)}}},
          {"properties", {{"tags", Json::array({CategoryName(rule.category)})}}}};
}

Json Region(const Finding& f) {
  Json region = {{"startLine", f.line}, {"startColumn", Utf16Column(f.snippet, f.column)}};
  if (f.end_line >= f.line && f.end_line > 0) {
    region["endLine"] = f.end_line;
    if (f.end_column > 0) {
      region["endColumn"] =
          f.end_line == f.line ? Utf16Column(f.snippet, f.end_column) : f.end_column;
    }
  }
  return region;
}

Json Results(const AuditResult& result, const ReportContext& ctx,
             const std::map<std::string, int>& rule_index) {
  Json results = Json::array();
  std::map<std::string, int> occurrences;  // (path, hash) -> count so far
  for (const Finding& f : result.findings) {
    std::string hash = LineHash(f);
    int n = ++occurrences[f.path + "\n" + hash];
    Json r = {{"ruleId", f.rule_id}};
    auto it = rule_index.find(f.rule_id);
    if (it != rule_index.end()) r["ruleIndex"] = it->second;
    r["level"] = SeverityName(f.severity);
    r["message"] = {{"text", f.message}};
    r["locations"] = Json::array(
        {{{"physicalLocation",
           {{"artifactLocation", ArtifactLocation(f.path, ctx)}, {"region", Region(f)}}}}});
    r["partialFingerprints"] = {{"primaryLocationLineHash", StrFormat("%s:%d", hash.c_str(), n)}};
    r["properties"] = {{"category", CategoryName(f.category)}};
    if (f.suppressed) {  // SARIF 2.1.0 §3.35: inSource (a comment) or external (a baseline)
      r["suppressions"] = Json::array(
          {{{"kind", f.suppressed->kind == "inline" ? "inSource" : "external"},
            {"justification", f.suppressed->justification}}});
    }
    results.push_back(std::move(r));
  }
  return results;
}

Json Invocation(const AuditResult& result, const ReportContext& ctx) {
  Json notes = Json::array();
  bool success = result.errors.empty();
  for (const FileResult& f : result.files) {
    if (f.status != FileStatus::kError) continue;
    success = false;
    notes.push_back(
        {{"level", "error"},
         {"message", {{"text", f.error}}},
         {"locations", Json::array({{{"physicalLocation",
                                      {{"artifactLocation", ArtifactLocation(f.path, ctx)}}}}})}});
  }
  for (const std::string& e : result.errors) {
    notes.push_back({{"level", "error"}, {"message", {{"text", e}}}});
  }
  Json inv = {{"executionSuccessful", success}, {"arguments", ctx.argv}};
  inv["toolExecutionNotifications"] = std::move(notes);
  return inv;
}

}  // namespace

int Utf16Column(std::string_view line, int byte_column) {
  int units = 0;
  size_t end = byte_column > 0 ? size_t(byte_column - 1) : 0;
  for (size_t i = 0; i < end; ++i) {
    if (i >= line.size()) {
      ++units;  // past the snippet: count bytes
      continue;
    }
    unsigned char c = line[i];
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    units += (c >= 0xF0) ? 2 : 1;      // 4-byte sequences are surrogate pairs
  }
  return units + 1;
}

std::optional<std::string> SrcrootRelativeUri(const std::string& path, const std::string& cwd,
                                              const std::string& srcroot) {
  std::string abs = Normalize(path.starts_with("/") ? path : cwd + "/" + path);
  std::string root = Normalize(srcroot);
  if (root == "/") return PercentEncode(abs.substr(1));
  if (!abs.starts_with(root + "/")) return std::nullopt;
  return PercentEncode(abs.substr(root.size() + 1));
}

std::string FormatSarif(const AuditResult& result, const ReportContext& ctx) {
  Json rules = Json::array();
  std::map<std::string, int> rule_index;
  if (ctx.rules != nullptr) {
    for (const Rule& rule : ctx.rules->rules) {
      rule_index[rule.id] = int(rules.size());
      rules.push_back(RuleJson(rule));
    }
  }
  Json driver = {{"name", kToolName},
                 {"version", kVersion},
                 {"semanticVersion", kVersion},
                 {"informationUri", REFEREE_INFORMATION_URI},
                 {"rules", std::move(rules)}};
  Json run = {{"tool", {{"driver", std::move(driver)}}}};
  std::string root = PercentEncode(Normalize(ctx.srcroot));
  if (!root.ends_with("/")) root += "/";
  run["originalUriBaseIds"] = {{"%SRCROOT%", {{"uri", "file://" + root}}}};
  run["invocations"] = Json::array({Invocation(result, ctx)});
  run["results"] = Results(result, ctx, rule_index);
  run["columnKind"] = "utf16CodeUnits";
  Json sarif = {{"$schema", kSchemaUri}, {"version", "2.1.0"}};
  sarif["runs"] = Json::array({std::move(run)});
  return DumpJson(sarif, 2) + "\n";
}

}  // namespace referee::rules
