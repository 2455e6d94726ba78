// The HTML reports' data and escaping (issue 14); the browser test (html_report_test.py)
// checks that the pages render.
#include "referee/search/html_report.h"

#include <gtest/gtest.h>

#include <string>

#include "search_fixture.h"

namespace referee::search {
namespace {

constexpr const char* kHostile = "</script><script>alert(1)</script><!-- & \"x\" 'y'";

size_t Count(const std::string& text, const std::string& needle) {
  size_t n = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// The JSON inside <script type="application/json" id="referee-data">.
Json PageData(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"referee-data\">";
  size_t from = page.find(open);
  EXPECT_NE(from, std::string::npos);
  from += open.size();
  std::string text = page.substr(from, page.find("</script>", from) - from);
  EXPECT_EQ(text.find('<'), std::string::npos);
  Expected<Json> data = ParseJson(text, "page");
  EXPECT_TRUE(data) << data.error().ToString();
  return data ? *data : Json();
}

TEST(HtmlEscape, EscapesTheFiveMarkupCharacters) {
  EXPECT_EQ(HtmlEscape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
  EXPECT_EQ(HtmlEscape("plain"), "plain");
}

TEST(JsonForScript, CannotCloseItsElementAndReadsBackUnchanged) {
  Json value = {{"why", kHostile}, {"n", 1}};
  std::string text = JsonForScript(value);
  EXPECT_EQ(text.find('<'), std::string::npos);
  EXPECT_EQ(text.find('>'), std::string::npos);
  EXPECT_EQ(text.find('&'), std::string::npos);
  EXPECT_EQ(*ParseJson(text, "t"), value);
}

TEST(EvalReportHtml, EscapesTheTitleAndEmbedsTheReport) {
  Json report = {
      {"kind", "eval"}, {"task", "t"}, {"candidate", kHostile}, {"workloads", Json::array()}};
  Expected<std::string> page = EvalReportHtml(report);
  if (!HtmlReportsAvailable().ok()) {
    ASSERT_FALSE(page);
    EXPECT_NE(page.error().message().find("echarts.min.js"), std::string::npos);
    return;
  }
  ASSERT_TRUE(page) << page.error().ToString();
  EXPECT_EQ(Count(*page, "</script>"), 3u);  // the library, the data, the page's script
  EXPECT_NE(page->find("<title>Referee evaluation: t, &lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(PageData(*page)["report"]["candidate"], kHostile);
  EXPECT_NE(page->find("Content-Security-Policy"), std::string::npos);
}

TEST_F(SearchTest, TheHtmlReportCarriesCandidatesStagesAndRuleHitsAsInertData) {
  SearchConfig c = Config();
  c.budget.max_candidates = 2;
  Init(c);
  ScriptedProposer p("script", [](const ProposalContext& ctx) -> Expected<ProposeResult> {
    if (ctx.seq == 1) return Params({{"BLOCK", 512}}, kHostile);
    return Edit(ctx, "def run(x, y):", "# fake: fail=input-mutated@1\n# </script>\ndef run(x, y):",
                kHostile);
  });
  ASSERT_TRUE(Run({{"script", &p}}));
  Expected<std::string> page = SearchReportHtml(dir_);
  if (!HtmlReportsAvailable().ok()) {
    ASSERT_FALSE(page);
    EXPECT_EQ(page.error().code(), StatusCode::kFailedPrecondition);
    return;
  }
  ASSERT_TRUE(page) << page.error().ToString();
  EXPECT_EQ(Count(*page, "</script>"), 3u);
  Json data = PageData(*page);
  ASSERT_EQ(data["candidates"].size(), 3u);
  const Json& hack = data["candidates"][2];
  EXPECT_EQ(hack["rationale"], kHostile);
  EXPECT_TRUE(hack["hack"].get<bool>());
  EXPECT_NE(hack["diff"].get<std::string>().find("+# </script>"), std::string::npos);
  EXPECT_EQ(hack["stages"].back()["check"], "input-mutated");
  ASSERT_EQ(data["rule_hits"].size(), 1u);
  EXPECT_EQ(data["rule_hits"][0]["category"], "dynamic check");
  EXPECT_EQ(data["report"]["incidents"].size(), 1u);
  EXPECT_FALSE(data["events"].empty());
}

}  // namespace
}  // namespace referee::search
