#include "referee/rules/report.h"

#include <gtest/gtest.h>

#include "referee/base/json.h"

namespace referee::rules {
namespace {

RuleSet Rules() {
  RuleSet set;
  Rule r;
  r.id = "timing-event-record";
  r.title = "Event timing in the candidate";
  r.category = Category::kTiming;
  r.severity = Severity::kError;
  r.languages = {Language::kCuda};
  r.message = "the candidate records CUDA events";
  r.rationale = "Timing belongs to the harness.";
  r.references = {"https://example.org/timing"};
  r.check = "x";
  set.rules.push_back(r);
  r.id = "environment-getenv";
  r.category = Category::kEnvironment;
  r.severity = Severity::kWarning;
  set.rules.push_back(r);
  return set;
}

AuditResult Result() {
  AuditResult result;
  FileResult ok{"src/k.cu", Language::kCuda, FileStatus::kOk, "", {}};
  FileResult bad{
      "src/bad.cu", Language::kCuda, FileStatus::kError, "src/bad.cu:3:1: error: expected ';'", {}};
  result.files = {ok, bad};
  Finding f;
  f.rule_id = "timing-event-record";
  f.category = Category::kTiming;
  f.severity = Severity::kError;
  f.path = "src/k.cu";
  f.line = 7;
  f.column = 9;  // byte column of `cudaEventRecord`, after a 2-byte 'é'
  f.end_line = 7;
  f.end_column = 24;  // exclusive
  f.message = "the candidate records CUDA events";
  f.snippet = "\t/*é*/ cudaEventRecord(e);";
  result.findings.push_back(f);
  result.errors.push_back("missing: error: no such file or directory");
  return result;
}

ReportContext Context(const RuleSet* rules) {
  return ReportContext{rules, {"referee", "audit", "src"}, "/repo/sub", "/repo"};
}

TEST(FormatText, PrintsCompilerStyleLineSnippetAndCaret) {
  EXPECT_EQ(FormatText(Result()),
            "src/k.cu:7:9: error: the candidate records CUDA events [timing-event-record]\n"
            "\t/*é*/ cudaEventRecord(e);\n"
            "\t      ^~~~~~~~~~~~~~~\n");
}

TEST(FormatJson, HasTheSchemaFields) {
  RuleSet rules = Rules();
  Expected<Json> j = ParseJson(FormatJson(Result(), Context(&rules)), "report.json");
  ASSERT_TRUE(j) << j.error().ToString();
  EXPECT_EQ((*j)["schema_version"], 2);
  EXPECT_EQ((*j)["kind"], "audit");
  EXPECT_EQ((*j)["tool"]["name"], "referee");
  EXPECT_TRUE((*j)["tool"]["version"].is_string());
  ASSERT_EQ((*j)["files"].size(), 2u);
  EXPECT_EQ((*j)["files"][1]["path"], "src/bad.cu");
  EXPECT_EQ((*j)["files"][1]["language"], "cuda");
  EXPECT_EQ((*j)["files"][1]["status"], "error");
  EXPECT_EQ((*j)["files"][1]["error"], "src/bad.cu:3:1: error: expected ';'");
  const Json& f = (*j)["findings"][0];
  for (const char* key : {"rule_id", "category", "severity", "path", "line", "column", "end_line",
                          "end_column", "message", "snippet"}) {
    EXPECT_TRUE(f.contains(key)) << key;
  }
  EXPECT_EQ(f["category"], "timing");
  EXPECT_EQ(f["severity"], "error");
  EXPECT_EQ(f["line"], 7);
  EXPECT_EQ(f["column"], 9);
  EXPECT_EQ((*j)["errors"][0], "missing: error: no such file or directory");
}

TEST(FormatSarif, HasEveryRequiredFieldAndPointsAtTheToken) {
  RuleSet rules = Rules();
  AuditResult result = Result();
  Expected<Json> j = ParseJson(FormatSarif(result, Context(&rules)), "report.sarif");
  ASSERT_TRUE(j) << j.error().ToString();
  EXPECT_EQ((*j)["version"], "2.1.0");
  EXPECT_EQ((*j)["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
  ASSERT_EQ((*j)["runs"].size(), 1u);
  const Json& run = (*j)["runs"][0];
  const Json& driver = run["tool"]["driver"];
  EXPECT_EQ(driver["name"], "referee");
  EXPECT_TRUE(driver["version"].is_string());
  EXPECT_TRUE(driver["informationUri"].is_string());
  ASSERT_EQ(driver["rules"].size(), 2u);
  const Json& rule = driver["rules"][0];
  EXPECT_EQ(rule["id"], "timing-event-record");
  EXPECT_EQ(rule["shortDescription"]["text"], "Event timing in the candidate");
  EXPECT_EQ(rule["fullDescription"]["text"], "Timing belongs to the harness.");
  EXPECT_TRUE(rule["help"]["text"].is_string());
  EXPECT_TRUE(rule["help"]["markdown"].is_string());
  EXPECT_EQ(rule["defaultConfiguration"]["level"], "error");
  EXPECT_EQ(rule["properties"]["tags"], Json::array({"timing"}));

  ASSERT_EQ(run["results"].size(), 1u);
  const Json& r = run["results"][0];
  EXPECT_EQ(r["ruleId"], "timing-event-record");
  EXPECT_EQ(r["ruleIndex"], 0);
  EXPECT_EQ(r["level"], "error");
  EXPECT_EQ(r["message"]["text"], "the candidate records CUDA events");
  const Json& loc = r["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["artifactLocation"]["uri"], "sub/src/k.cu");
  EXPECT_EQ(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  const Json& region = loc["region"];
  EXPECT_EQ(region["startLine"], 7);
  EXPECT_EQ(region["endLine"], 7);
  // In UTF-16 code units 'é' is one unit, so the token starts at column 8 and ends before 23.
  EXPECT_EQ(region["startColumn"], 8);
  EXPECT_EQ(region["endColumn"], 23);
  std::u16string line = u"\t/*é*/ cudaEventRecord(e);";
  EXPECT_EQ(line.substr(region["startColumn"].get<int>() - 1, 15), u"cudaEventRecord");
  std::string hash = r["partialFingerprints"]["primaryLocationLineHash"];
  EXPECT_EQ(hash.size(), 18u);
  EXPECT_TRUE(hash.ends_with(":1"));
  EXPECT_EQ(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///repo/");

  const Json& inv = run["invocations"][0];
  EXPECT_EQ(inv["executionSuccessful"], false);
  ASSERT_EQ(inv["toolExecutionNotifications"].size(), 2u);
  EXPECT_EQ(inv["toolExecutionNotifications"][0]["message"]["text"],
            "src/bad.cu:3:1: error: expected ';'");
  EXPECT_EQ(inv["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]
               ["artifactLocation"]["uri"],
            "sub/src/bad.cu");
}

TEST(FormatSarif, FingerprintsSurviveLineMovesAndCountOccurrences) {
  RuleSet rules = Rules();
  AuditResult result = Result();
  result.errors.clear();
  result.findings.push_back(result.findings[0]);
  result.findings[1].line = 40;
  result.findings[1].end_line = 40;
  Expected<Json> j = ParseJson(FormatSarif(result, Context(&rules)), "r.sarif");
  ASSERT_TRUE(j);
  std::string a = (*j)["runs"][0]["results"][0]["partialFingerprints"]["primaryLocationLineHash"];
  std::string b = (*j)["runs"][0]["results"][1]["partialFingerprints"]["primaryLocationLineHash"];
  EXPECT_EQ(a.substr(0, 16), b.substr(0, 16));
  EXPECT_TRUE(b.ends_with(":2"));
}

TEST(SrcrootRelativeUri, EncodesAndRejectsOutsidePaths) {
  EXPECT_EQ(SrcrootRelativeUri("a b/c#.cu", "/r", "/r"), "a%20b/c%23.cu");
  EXPECT_EQ(SrcrootRelativeUri("../x.cu", "/r/sub", "/r"), "x.cu");
  EXPECT_EQ(SrcrootRelativeUri("/elsewhere/x.cu", "/r", "/r"), std::nullopt);
  EXPECT_EQ(SrcrootRelativeUri("/rx/x.cu", "/r", "/r"), std::nullopt);
}

TEST(ParseReportFormat, KnowsTheThreeFormats) {
  EXPECT_EQ(ParseReportFormat("sarif"), ReportFormat::kSarif);
  EXPECT_EQ(ParseReportFormat("json"), ReportFormat::kJson);
  EXPECT_EQ(ParseReportFormat("text"), ReportFormat::kText);
  EXPECT_EQ(ParseReportFormat("xml"), std::nullopt);
}

}  // namespace
}  // namespace referee::rules
