// The literal prefilter in front of std::regex (issue #4, performance): it may
// only skip texts the regex cannot match.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "python/regex_prefilter.h"

namespace referee::analyzers::python {
namespace {

using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

TEST(RegexPrefilter, AnchoredAlternationGivesEachBranchsLiteral) {
  RegexPrefilter f("^(requests\\.\\w+|socket\\.(socket|create_connection)|os\\.fork)$");
  EXPECT_THAT(f.literals(), UnorderedElementsAre("requests.", "socket.socket",
                                                 "socket.create_connection", "os.fork"));
  EXPECT_TRUE(f.MayMatch("requests.get"));
  EXPECT_FALSE(f.MayMatch("torch.zeros"));
}

TEST(RegexPrefilter, OptionalPrefixIsExpanded) {
  RegexPrefilter f("(^|\\.)Model$");
  EXPECT_THAT(f.literals(), UnorderedElementsAre("Model", ".Model"));
  EXPECT_FALSE(f.MayMatch("torch.nn.Linear"));
}

TEST(RegexPrefilter, LongestRequiredPieceOfASequenceIsKept) {
  RegexPrefilter f("\\b(attn_mask|block_mask|mask)\\s*=\\s*(?!None\\b)");
  EXPECT_THAT(f.literals(), UnorderedElementsAre("attn_mask", "block_mask", "mask"));
  RegexPrefilter g("flash_attn_\\w*func$");
  EXPECT_THAT(g.literals(), UnorderedElementsAre("flash_attn_"));
}

TEST(RegexPrefilter, PatternsWithoutARequiredLiteralFilterNothing) {
  for (const char* p : {"", "^$", "\\w+", "(a|)", "a*", "[abc]+", "x?", "(foo|\\d)", ".", "\\x41",
                        "\\1", "(?<=a)b", "a{", "(a"}) {
    RegexPrefilter f(p);
    EXPECT_THAT(f.literals(), IsEmpty()) << p;
    EXPECT_TRUE(f.MayMatch("anything")) << p;
  }
}

TEST(RegexPrefilter, RepetitionKeepsTheRepeatedLiteral) {
  EXPECT_THAT(RegexPrefilter("(ab)+c").literals(), UnorderedElementsAre("ab"));
  EXPECT_THAT(RegexPrefilter("x(ab){2,}").literals(), UnorderedElementsAre("ab"));
  EXPECT_THAT(RegexPrefilter("x(ab){0,1}y").literals(), UnorderedElementsAre("xaby", "xy"));
}

// Whatever the prefilter concludes, FastRegex::Search agrees with
// std::regex_search.
TEST(RegexPrefilter, NeverChangesTheRegexResult) {
  const std::vector<std::string> patterns = {
      "^(requests\\.\\w+|urllib\\.request\\.\\w+|socket\\.(socket|create_"
      "connection))$",
      "(^|\\.)Model$",
      "^torch\\.(?!cuda\\.|utils\\.)",
      "\\b(attn_mask|block_mask|mask)\\s*=\\s*(?!None\\b)",
      "^[rbuRBU]?['\"](to|double|cpu)['\"]$",
      "^\\(\\s*-1\\s*,\\s*-1\\s*\\)$",
      "^functools\\.(lru_cache|cache)(\\(\\))?$",
      "/proc/[^'\"]*(environ|cmdline)",
      "(\\bpip3?\\b|['\" ]uv['\" ]|apt-get)",
      "a{2}b",
      "(x|y)z{0}",
      "^(ab|a)(c|bc)$",
  };
  const std::vector<std::string> texts = {"",
                                          "requests.get",
                                          "socket.socket",
                                          "socket.sock",
                                          "torch.nn.Model",
                                          "Model",
                                          "xModel",
                                          "torch.cuda.synchronize",
                                          "torch.matmul",
                                          "attn_mask = m",
                                          "mask=None",
                                          "mask = x",
                                          "'to'",
                                          "b\"cpu\"",
                                          "(-1, -1)",
                                          "( -1,-1 )",
                                          "functools.cache()",
                                          "functools.lru_cache",
                                          "open('/proc/self/environ')",
                                          "pip install x",
                                          " uv ",
                                          "aab",
                                          "ab",
                                          "xz",
                                          "y",
                                          "abc",
                                          "ac"};
  for (const std::string& p : patterns) {
    FastRegex fast(p);
    std::regex slow(p, std::regex::ECMAScript);
    for (const std::string& t : texts) {
      EXPECT_EQ(fast.Search(t), std::regex_search(t, slow)) << p << " on " << t;
    }
  }
}

}  // namespace
}  // namespace referee::analyzers::python
