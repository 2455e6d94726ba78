#include "referee/rules/loader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "loader_internal.h"
#include "referee/base/file.h"

namespace referee::rules {
namespace {

constexpr char kPath[] = "rules/cpp/output-caching/output-caching-pointer-key.yaml";

constexpr char kGood[] = R"(id: output-caching-pointer-key
title: Output cached by input pointer
category: output-caching
severity: error
languages: [cuda, cpp]
message: the wrapper returns a cached output keyed on an input pointer
rationale: |
  A cache keyed on data_ptr() returns stale results when the harness reuses buffers.
references:
  - https://example.org/kernel-hacks
let:
  ptr: declRefExpr()
matcher: |

  callExpr(callee(functionDecl(hasName("find"))))
bind: call
options:
  allow: [cublasSgemm, cublasGemmEx]
  mode: strict
)";

// The good rule with one line replaced (1-based), to produce each malformed case.
std::string WithLine(int line, const std::string& replacement) {
  std::string text = kGood;
  size_t begin = 0;
  for (int i = 1; i < line; ++i) begin = text.find('\n', begin) + 1;
  size_t end = text.find('\n', begin);
  return text.substr(0, begin) + replacement + text.substr(end);
}

std::string ErrorOf(const std::string& text, const std::vector<std::string>& checks = {}) {
  Expected<Rule> rule = ParseRule(text, kPath, checks);
  if (rule) return "parsed";
  return rule.error().ToString();
}

TEST(ParseRule, ReadsEveryFieldOfAGoodRule) {
  Expected<Rule> rule = ParseRule(kGood, kPath);
  ASSERT_TRUE(rule) << rule.error().ToString();
  EXPECT_EQ(rule->id, "output-caching-pointer-key");
  EXPECT_EQ(rule->title, "Output cached by input pointer");
  EXPECT_EQ(rule->category, Category::kOutputCaching);
  EXPECT_EQ(rule->severity, Severity::kError);
  EXPECT_EQ(rule->languages, (std::vector<Language>{Language::kCuda, Language::kCpp}));
  EXPECT_EQ(rule->message, "the wrapper returns a cached output keyed on an input pointer");
  EXPECT_EQ(rule->rationale,
            "A cache keyed on data_ptr() returns stale results when the harness reuses buffers.\n");
  EXPECT_EQ(rule->references, std::vector<std::string>{"https://example.org/kernel-hacks"});
  EXPECT_EQ(rule->matcher, "\ncallExpr(callee(functionDecl(hasName(\"find\"))))\n");
  ASSERT_EQ(rule->let.size(), 1u);
  EXPECT_EQ(rule->let[0].first, "ptr");
  EXPECT_EQ(rule->let[0].second, "declRefExpr()");
  ASSERT_EQ(rule->let_pos.size(), 1u);
  EXPECT_EQ(rule->let_pos[0].line, 12);
  EXPECT_EQ(rule->let_pos[0].col, 8);
  EXPECT_EQ(rule->bind, "call");
  EXPECT_EQ(rule->options.at("allow"), "cublasSgemm,cublasGemmEx");
  EXPECT_EQ(rule->options.at("mode"), "strict");
  EXPECT_EQ(rule->source_path, kPath);
  // The block scalar's text starts on the line after `|` (here blank), indented by 2.
  EXPECT_EQ(rule->pattern_pos.line, 14);
  EXPECT_EQ(rule->pattern_pos.col, 3);
  EXPECT_TRUE(rule->query.empty());
  EXPECT_TRUE(rule->check.empty());
}

TEST(ParseRule, RecordsThePositionOfAnInlinePattern) {
  std::string text = kGood;
  text = text.substr(0, text.find("let:")) + "check:   cuda-side-stream\n";
  Expected<Rule> rule = ParseRule(text, kPath, {"cuda-side-stream"});
  ASSERT_TRUE(rule) << rule.error().ToString();
  EXPECT_EQ(rule->check, "cuda-side-stream");
  EXPECT_EQ(rule->pattern_pos.line, 11);
  EXPECT_EQ(rule->pattern_pos.col, 10);
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(ParseRule, ReportsPatternsNestedTooDeepAtTheBracket) {
  // The dynamic matcher parser and tree-sitter's query parser recurse per level (issue 20).
  EXPECT_EQ(ErrorOf(WithLine(15, "  " + Repeat("anyOf(", 10000) + "stmt()")),
            std::string(kPath) +
                ":15:608: error: pattern nests too deep (more than 100 levels of brackets)");
  EXPECT_EQ(ErrorOf(WithLine(12, "  ptr: x" + Repeat("(", 200))),
            std::string(kPath) +
                ":12:109: error: pattern nests too deep (more than 100 levels of brackets)");
  std::string query = kGood;
  query = query.substr(0, query.find("let:")) + "query: |\n  " + Repeat("(", 100000) + "\n";
  EXPECT_EQ(ErrorOf(query), std::string(kPath) +
                                ":12:103: error: pattern nests too deep (more than 100 levels "
                                "of brackets)");
}

TEST(ParseRule, BracketsInStringsAndQueryCommentsDoNotNest) {
  std::string text = kGood;
  text = text.substr(0, text.find("let:")) + "query: |\n  ; " + Repeat("(", 300) +
         "\n  ((call) @c (#eq? @c \"" + Repeat("(", 300) + "\"))\n";
  EXPECT_EQ(ErrorOf(text), "parsed");
}

TEST(ParseRule, ReportsInvalidYamlAtItsPosition) {
  EXPECT_EQ(ErrorOf(WithLine(5, "languages: [cuda, cpp")),
            std::string(kPath) + ":6:8: error: invalid YAML: end of sequence flow not found");
}

TEST(ParseRule, ReportsUnknownFieldWithSuggestion) {
  EXPECT_EQ(ErrorOf(WithLine(4, "sevrity: error")),
            std::string(kPath) + ":4:1: error: unknown field 'sevrity'; did you mean 'severity'?");
}

TEST(ParseRule, ReportsMissingRequiredField) {
  EXPECT_EQ(ErrorOf(WithLine(6, "notes: none")),
            std::string(kPath) + ":1:1: error: missing required field 'message'");
}

TEST(ParseRule, ReportsEmptyRequiredField) {
  EXPECT_EQ(ErrorOf(WithLine(2, "title: \"  \"")),
            std::string(kPath) + ":2:8: error: field 'title' must not be empty");
}

TEST(ParseRule, ReportsWrongType) {
  EXPECT_EQ(ErrorOf(WithLine(6, "message: [a, b]")),
            std::string(kPath) + ":6:10: error: field 'message' must be a string");
}

TEST(ParseRule, ReportsInvalidSeverity) {
  EXPECT_EQ(ErrorOf(WithLine(4, "severity: loud")),
            std::string(kPath) +
                ":4:11: error: invalid severity 'loud' (expected note, warning or error)");
}

TEST(ParseRule, ReportsUnknownCategory) {
  EXPECT_EQ(
      ErrorOf(WithLine(3, "category: caching")),
      std::string(kPath) +
          ":3:11: error: unknown category 'caching' (see docs/rules.md for the 14 categories)");
}

TEST(ParseRule, ReportsUnknownLanguageAtTheListItem) {
  EXPECT_EQ(
      ErrorOf(WithLine(5, "languages: [cuda, rust]")),
      std::string(kPath) + ":5:19: error: unknown language 'rust' (expected cpp, cuda or python)");
}

TEST(ParseRule, ReportsEmptyLanguages) {
  EXPECT_EQ(ErrorOf(WithLine(5, "languages: []")),
            std::string(kPath) + ":5:12: error: field 'languages' must not be empty");
}

TEST(ParseRule, ReportsIdThatIsNotTheFileName) {
  EXPECT_EQ(ErrorOf(WithLine(1, "id: output-caching-other")),
            std::string(kPath) +
                ":1:5: error: rule id 'output-caching-other' does not match the file name "
                "'output-caching-pointer-key.yaml'");
}

TEST(ParseRule, ReportsIdThatIsNotKebabCase) {
  EXPECT_EQ(ErrorOf(WithLine(1, "id: Output_Caching")),
            std::string(kPath) +
                ":1:5: error: rule id 'Output_Caching' must be kebab-case (a-z, 0-9 and '-')");
}

TEST(ParseRule, ReportsMissingPattern) {
  std::string text = kGood;
  text = text.substr(0, text.find("let:")) + "bind: call\n";
  EXPECT_EQ(ErrorOf(text), std::string(kPath) +
                               ":1:1: error: rule has no pattern: set exactly one of 'matcher', "
                               "'query' or 'check'");
}

TEST(ParseRule, ReportsTwoPatternsAtTheSecond) {
  EXPECT_EQ(
      ErrorOf(WithLine(16, "query: (call) @c")),
      std::string(kPath) +
          ":16:8: error: rule has more than one pattern ('matcher' and 'query'); set exactly one");
}

TEST(ParseRule, ReportsLetWithoutMatcher) {
  std::string text = kGood;
  text = text.substr(0, text.find("matcher:")) + "query: (call) @c\n";
  EXPECT_EQ(ErrorOf(text),
            std::string(kPath) + ":12:3: error: field 'let' is only allowed with 'matcher'");
}

TEST(ParseRule, ReportsUnknownCheckWhenChecksAreKnown) {
  std::string text = kGood;
  text = text.substr(0, text.find("let:")) + "check: no-such-check\n";
  EXPECT_EQ(ErrorOf(text, {"cuda-side-stream"}),
            std::string(kPath) + ":11:8: error: unknown check 'no-such-check'");
  EXPECT_EQ(ErrorOf(text), "parsed");  // no known list: left to Analyzer::Prepare
}

TEST(ParseRule, ReportsBadOptions) {
  EXPECT_EQ(ErrorOf(WithLine(19, "  mode: {a: b}")),
            std::string(kPath) + ":19:9: error: option values must be strings or lists");
}

TEST(ParseRule, ReportsNonMappingAndEmptyFiles) {
  EXPECT_EQ(ErrorOf("- a\n- b\n"),
            std::string(kPath) + ":1:1: error: a rule file must be a YAML mapping of fields");
  EXPECT_EQ(ErrorOf(""), std::string(kPath) + ":1:1: error: empty rule file");
  EXPECT_EQ(ErrorOf("# only a comment\n"), std::string(kPath) + ":1:1: error: empty rule file");
}

class LoadRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/referee-loader-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Write(const std::string& rel, const std::string& text) {
    std::string path = dir_ + "/" + rel;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    EXPECT_TRUE(WriteFile(path, text).ok());
    return path;
  }
  std::string dir_;
};

std::string RuleText(const std::string& id) {
  std::string text = kGood;
  return "id: " + id + text.substr(text.find('\n'));
}

TEST_F(LoadRulesTest, LoadsGoodRulesAndReportsBadOnes) {
  Write("cpp/output-caching/b-rule.yaml", RuleText("b-rule"));
  Write("cpp/output-caching/a-rule.yaml", RuleText("a-rule"));
  std::string bad = Write("cpp/timing/bad-rule.yaml", WithLine(1, "id: bad-rule") + "bogus: 1\n");
  Write(".hidden/x.yaml", "not: [valid");
  Write("testdata/y.yaml", "not: [valid");
  Write("cpp/output-caching/readme.md", "not a rule");
  LoadResult loaded = LoadRules({dir_});
  ASSERT_EQ(loaded.rules.rules.size(), 2u);
  EXPECT_EQ(loaded.rules.rules[0].id, "a-rule");
  EXPECT_EQ(loaded.rules.rules[1].id, "b-rule");
  ASSERT_EQ(loaded.errors.size(), 1u);
  EXPECT_EQ(loaded.errors[0].ToString(), bad + ":20:1: error: unknown field 'bogus'");
}

TEST_F(LoadRulesTest, ReportsDuplicateIdsAndMissingDirs) {
  std::string first = Write("a/dup.yaml", RuleText("dup"));
  std::string second = Write("b/dup.yaml", RuleText("dup"));
  LoadResult loaded = LoadRules({dir_, dir_ + "/nope"});
  ASSERT_EQ(loaded.rules.rules.size(), 1u);
  EXPECT_EQ(loaded.rules.rules[0].source_path, first);
  ASSERT_EQ(loaded.errors.size(), 2u);
  EXPECT_EQ(loaded.errors[0].ToString(), dir_ + "/nope: error: no such rules directory");
  EXPECT_EQ(loaded.errors[1].ToString(),
            second + ":1:1: error: duplicate rule id 'dup' (first defined in " + first + ")");
}

TEST(BundledRuleDirs, PointsAtTheSourceTreeRules) {
  std::vector<std::string> dirs = BundledRuleDirs();
  ASSERT_EQ(dirs.size(), 1u);
  EXPECT_TRUE(std::filesystem::exists(dirs[0] + "/include/referee/rules/rule.h")) << dirs[0];
}

TEST(ParseRuleTest, UnterminatedQuoteIsReportedAtItsLine) {
  Expected<Rule> r = ParseRule("id: x-bad\ntitle: \"unterminated\ncategory: timing\n",
                               "rules/python/timing/x-bad.yaml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().ToString(),
            "rules/python/timing/x-bad.yaml:2:8: error: invalid YAML: unterminated "
            "double-quoted string");
  r = ParseRule("id: x-bad\nmessage: 'it''s open\n", "r.yaml");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().loc().line, 2);
}

TEST(ParseRuleTest, QuotesThatCloseOrSitInBlocksAreFine) {
  EXPECT_TRUE(CheckQuotedScalars("title: \"a \\\" b\"\nmessage: 'it''s'\n"
                                 "rationale: don't worry\nquery: |\n  (call \"x\n  (y)\n"
                                 "notes: \"spans\n  two lines\"\nid: z\n",
                                 "r.yaml")
                  .ok());
}

}  // namespace
}  // namespace referee::rules
