#include "referee/base/json.h"
#include "referee/base/version.h"
#include "referee/rules/report.h"

namespace referee::rules {
namespace {

Json FileJson(const FileResult& file) {
  Json j = Json::object();
  j["path"] = file.path;
  j["language"] = LanguageName(file.language);
  j["status"] = FileStatusName(file.status);
  j["error"] = file.error;
  j["notes"] = file.notes;
  return j;
}

Json FindingJson(const Finding& f) {
  Json j = Json::object();
  j["rule_id"] = f.rule_id;
  j["category"] = CategoryName(f.category);
  j["severity"] = SeverityName(f.severity);
  j["path"] = f.path;
  j["line"] = f.line;
  j["column"] = f.column;
  j["end_line"] = f.end_line;
  j["end_column"] = f.end_column;
  j["message"] = f.message;
  j["snippet"] = f.snippet;
  if (f.suppressed) {
    j["suppressed"] = {{"kind", f.suppressed->kind}, {"justification", f.suppressed->justification}};
  }
  return j;
}

}  // namespace

std::string FormatJson(const AuditResult& result, const ReportContext& context) {
  Json j = Json::object();
  j["schema_version"] = kJsonSchemaVersion;
  j["kind"] = "audit";
  j["tool"] = {{"name", kToolName}, {"version", kVersion}};
  j["argv"] = context.argv;
  if (!context.rule_set_hash.empty()) j["rule_set_hash"] = context.rule_set_hash;
  if (!context.outcome.empty()) {
    j["verdict"] = {{"outcome", context.outcome}, {"fail_on", context.fail_on}};
  }
  int counts[3] = {0, 0, 0};
  int suppressed = 0;
  for (const Finding& f : result.findings) {
    if (f.suppressed) {
      ++suppressed;
    } else {
      ++counts[int(f.severity)];
    }
  }
  j["summary"] = {{"error", counts[int(Severity::kError)]},
                  {"warning", counts[int(Severity::kWarning)]},
                  {"note", counts[int(Severity::kNote)]},
                  {"suppressed", suppressed},
                  {"files", result.files.size()}};
  Json files = Json::array();
  for (const FileResult& f : result.files) files.push_back(FileJson(f));
  j["files"] = std::move(files);
  Json findings = Json::array();
  for (const Finding& f : result.findings) findings.push_back(FindingJson(f));
  j["findings"] = std::move(findings);
  j["errors"] = result.errors;
  return DumpJson(j, 2) + "\n";
}

}  // namespace referee::rules
