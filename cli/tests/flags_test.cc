#include "flags.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace referee::cli {
namespace {

// argv from words; argv[0] is the subcommand.
class Args {
 public:
  explicit Args(std::vector<std::string> words) : words_(std::move(words)) {
    for (std::string& w : words_) ptrs_.push_back(w.data());
  }
  int argc() { return static_cast<int>(ptrs_.size()); }
  char** argv() { return ptrs_.data(); }

 private:
  std::vector<std::string> words_;
  std::vector<char*> ptrs_;
};

struct Parsed {
  std::string task, format = "text", mode = "cold";
  std::vector<std::string> rules, positional, command;
  int jobs = 0;
  double timeout = 10;
  bool quick = false;
  int verbosity = 1;
};

FlagSet MakeFlags(Parsed* p) {
  FlagSet f("referee x [options]", "test");
  f.String("--task", &p->task, "DIR", "a task")
      .Choice("--mode", &p->mode, {"cold", "hot"}, "mode")
      .Repeated("--rules", &p->rules, "DIR", "rules")
      .Int("-j,--jobs", &p->jobs, 1, 64, "N", "jobs")
      .Double("--call-timeout", &p->timeout, 0, "S", "timeout")
      .Bool("--quick", &p->quick, "quick")
      .Action("-v", [p] { ++p->verbosity; }, "verbose")
      .Action("-vv", [p] { p->verbosity = 3; }, "very verbose")
      .Positionals(&p->positional, "PATH");
  AddFormatFlag(f, &p->format, {"text", "json", "sarif"});
  return f;
}

Status Parse(Parsed* p, std::vector<std::string> words) {
  FlagSet f = MakeFlags(p);
  words.insert(words.begin(), "x");
  Args a(std::move(words));
  return f.Parse(a.argc(), a.argv());
}

TEST(FlagSetTest, AcceptsEveryValueForm) {
  Parsed p;
  ASSERT_TRUE(Parse(&p, {"--task", "t", "--mode=hot", "-j4", "--rules", "a", "--rules=b",
                         "--quick", "p1", "-vv", "--", "-notaflag"})
                  .ok());
  EXPECT_EQ(p.task, "t");
  EXPECT_EQ(p.mode, "hot");
  EXPECT_EQ(p.jobs, 4);
  EXPECT_EQ(p.rules, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(p.quick);
  EXPECT_EQ(p.verbosity, 3);
  EXPECT_EQ(p.positional, (std::vector<std::string>{"p1", "-notaflag"}));
}

TEST(FlagSetTest, JsonIsAnAliasOfFormatJson) {
  Parsed p;
  ASSERT_TRUE(Parse(&p, {"--json"}).ok());
  EXPECT_EQ(p.format, "json");
  ASSERT_TRUE(Parse(&p, {"--format", "sarif"}).ok());
  EXPECT_EQ(p.format, "sarif");
}

TEST(FlagSetTest, ErrorsAreOneLineAndNameTheFlag) {
  Parsed p;
  Status s = Parse(&p, {"--fromat", "json"});
  EXPECT_EQ(s.message(), "unknown option '--fromat'; did you mean '--format'?");
  EXPECT_EQ(Parse(&p, {"--mode", "warm"}).message(),
            "invalid --mode 'warm' (expected cold or hot)");
  EXPECT_EQ(Parse(&p, {"-j", "0"}).message(),
            "invalid -j '0' (expected a whole number from 1 to 64)");
  EXPECT_EQ(Parse(&p, {"--call-timeout", "-1"}).message(),
            "invalid --call-timeout '-1' (expected a number above 0)");
  EXPECT_EQ(Parse(&p, {"--task"}).message(), "option '--task' needs a value");
  EXPECT_EQ(Parse(&p, {"--quick=yes"}).message(), "option '--quick' takes no value");
  EXPECT_EQ(Parse(&p, {"--zzzzzzzz"}).message(), "unknown option '--zzzzzzzz'");
}

TEST(FlagSetTest, PositionalsAreRefusedUnlessDeclared) {
  std::string task;
  FlagSet f("referee y", "");
  f.String("--task", &task, "DIR", "a task");
  Args a({"y", "stray"});
  EXPECT_EQ(f.Parse(a.argc(), a.argv()).message(), "unexpected argument 'stray'");
}

TEST(FlagSetTest, AfterDashesKeepsTheCommandApart) {
  std::vector<std::string> sub, command;
  std::string profile;
  FlagSet f("referee sandbox", "");
  f.String("--profile", &profile, "P", "p").Positionals(&sub, "run").AfterDashes(&command);
  Args a({"sandbox", "run", "--profile", "python", "--", "/bin/echo", "-n", "--profile"});
  ASSERT_TRUE(f.Parse(a.argc(), a.argv()).ok());
  EXPECT_EQ(sub, (std::vector<std::string>{"run"}));
  EXPECT_EQ(profile, "python");
  EXPECT_EQ(command, (std::vector<std::string>{"/bin/echo", "-n", "--profile"}));
}

TEST(FlagSetTest, HelpStopsParsingAndUsageListsEveryFlag) {
  Parsed p;
  FlagSet f = MakeFlags(&p);
  Args a({"x", "--help", "--bogus"});
  ASSERT_TRUE(f.Parse(a.argc(), a.argv()).ok());
  EXPECT_TRUE(f.help_requested());
  std::string usage = f.Usage();
  for (const char* name : {"--task DIR", "--mode cold|hot", "-j, --jobs N", "--format", "--json",
                           "--quick"}) {
    EXPECT_NE(usage.find(name), std::string::npos) << name << "\n" << usage;
  }
}

}  // namespace
}  // namespace referee::cli
