// Tasks are input too (issue 20): every field is type-checked at its file:line:col, sizes are
// bounded before anything is allocated, expressions cannot overflow the stack, and errors are
// one printable line.
#include <gtest/gtest.h>

#include <string>

#include "referee/harness/expr.h"
#include "referee/harness/task.h"
#include "task/json_locator.h"

namespace referee::harness {
namespace {

// A definition whose line 4 is `line4` (the inputs) and line 5 `line5`.
std::string Definition(const std::string& line4 = R"(  "inputs": {"x": {"shape": ["N"], "dtype": "float32"}},)",
                       const std::string& line5 = R"(  "entry_point": "run",)") {
  return "{\n"
         "  \"name\": \"t\",\n"
         "  \"axes\": {\"N\": {\"type\": \"const\", \"value\": 8}},\n" +
         line4 + "\n" + line5 + "\n" +
         "  \"outputs\": {\"y\": {\"shape\": [\"N\"], \"dtype\": \"float32\"}},\n"
         "  \"reference\": \"def run(x):\\n    return x\\n\"\n"
         "}\n";
}

std::string ErrorOf(const std::string& text) {
  Expected<Task> t = ParseTaskText(text, "/tmp", "def.json");
  if (!t) return t.error().ToString();
  Expected<ConcreteWorkload> w = Instantiate(*t, t->workloads.empty() ? Workload{} : t->workloads[0]);
  return w ? "ok" : w.error().ToString();
}

TEST(TaskHostile, WrongJsonTypesAreLocatedErrorsNotInternalErrors) {
  EXPECT_EQ(ErrorOf(Definition()), "ok");
  EXPECT_EQ(ErrorOf(Definition(R"(  "inputs": {"x": {"shape": ["N"], "dtype": "float32"}},)",
                               R"(  "entry_point": 1,)")),
            "def.json:5:18: error: 'entry_point' must be a string");
  EXPECT_EQ(ErrorOf(Definition(R"(  "inputs": {"x": {"shape": ["N"], "dtype": "float32", )"
                               R"("generator": {"kind": {}}}},)")),
            "def.json:4:78: error: 'kind' must be a string");
  EXPECT_EQ(ErrorOf(Definition(R"(  "inputs": {"x": {"shape": ["N"], "dtype": "float32"}},)",
                               R"(  "tolerance": {"allow_nonfinite": "yes"},)")),
            "def.json:5:36: error: 'allow_nonfinite' must be true or false");
  std::string axes_bad = Definition();
  axes_bad.replace(axes_bad.find("\"const\""), 7, "true");
  EXPECT_EQ(ErrorOf(axes_bad), "def.json:3:26: error: 'type' must be a string");
  EXPECT_EQ(ErrorOf(Definition(R"(  "inputs": {"x": {"shape": ["N"], "dtype": 7}},)")),
            "def.json:4:45: error: 'dtype' must be a string");
}

TEST(TaskHostile, DeepExpressionsAreErrorsNotStackOverflows) {
  std::string deep_parens = std::string(4000, '(') + "1" + std::string(4000, ')');
  std::string text = Definition(R"(  "inputs": {"x": {"shape": ["N"], "dtype": "float32"}},)",
                                "  \"flops\": \"" + deep_parens + "\",");
  std::string error = ErrorOf(text);
  EXPECT_EQ(error.substr(0, 27), "def.json:5:213: error: flop") << error;
  EXPECT_NE(error.find("nesting too deep"), std::string::npos) << error;
  Expected<double> minus = EvalExpr(std::string(100000, '-') + "1", {});
  ASSERT_FALSE(minus);
  EXPECT_NE(minus.error().message().find("nesting too deep at column 201"), std::string::npos);
  EXPECT_TRUE(EvalExpr(std::string(150, '(') + "1" + std::string(150, ')'), {}));
}

TEST(TaskHostile, AHugeOutputIsRefusedBeforeAnythingIsAllocated) {
  std::string text = Definition();
  text.replace(text.find("\"shape\": [\"N\"], \"dtype\": \"float32\"}},\n  \"ref"), 14,
               "\"shape\": [\"N*536870912\"]");  // 4.3e9 float32 elements: 16 GiB
  Expected<Task> t = ParseTaskText(text, "/tmp", "def.json");
  ASSERT_TRUE(t) << t.error().ToString();
  Expected<ConcreteWorkload> w = Instantiate(*t, t->workloads.empty() ? Workload{} : t->workloads[0]);
  ASSERT_FALSE(w);
  EXPECT_EQ(w.error().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(w.error().message().find("needs 16.0 GiB of inputs and outputs, more than the budget "
                                     "of 8.0 GiB"),
            std::string::npos)
      << w.error().ToString();
  t->limits.max_workload_bytes = uint64_t{32} << 30;
  w = Instantiate(*t, Workload{});
  EXPECT_TRUE(w) << w.error().ToString();  // sizes only: nothing is allocated here
  text.replace(text.find("N*536870912"), 11, "N*1e15*1e3");
  t = ParseTaskText(text, "/tmp", "def.json");
  ASSERT_TRUE(t);
  w = Instantiate(*t, Workload{});
  ASSERT_FALSE(w);  // 8e18 elements: past 64 bits of bytes
  EXPECT_NE(w.error().ToString().find("def.json:6:"), std::string::npos) << w.error().ToString();
}

TEST(TaskHostile, ExpressionErrorsPointIntoTheExpression) {
  std::string text = Definition();
  text.replace(text.find("{\"type\": \"const\", \"value\": 8}"), 29,
               "{\"type\": \"const\", \"value\": 8}, \"C\": {\"type\": \"expr\", \"expression\": \"N%0\"}");
  EXPECT_EQ(ErrorOf(text),
            "def.json:3:88: error: axis 'C': expression 'N%0': division by zero at column 4");
}

TEST(TaskHostile, OverflowingNumbersDeepJsonAndRawBytesAreLocatedAndPrintable) {
  EXPECT_EQ(ErrorOf(Definition(R"(  "inputs": {"x": {"shape": ["N"], "dtype": "float32"}},)",
                               R"(  "flops": 1e999,)")),
            "def.json:5:12: error: number '1e999' is out of range");
  std::string deep = "{\"name\": " + std::string(100, '[') + std::string(100, ']') + "}";
  EXPECT_EQ(ErrorOf(deep), "def.json:1:73: error: JSON nests too deep (more than 64 levels)");
  std::string raw = Definition(std::string("  \"inputs\": {\"x\\u0000\\u0007y\": 3},"));
  std::string error = ErrorOf(raw);
  EXPECT_EQ(error, "def.json:4:32: error: tensor 'x\\x00\\x07y' must be an object");
}

TEST(TaskHostile, WorkloadLinesAreLocatedInTheirFile) {
  Expected<Task> t = ParseTaskText(Definition(), "/tmp", "def.json");
  ASSERT_TRUE(t);
  std::string jsonl = "{\"axes\": {}}\n\n{\"name\": \"b\", \"inputs\": {\"x\": {\"type\": 3}}}\n";
  auto ws = ParseWorkloadJsonl(jsonl, "w.jsonl", *t);
  ASSERT_FALSE(ws);
  EXPECT_EQ(ws.error().ToString(), "w.jsonl:3:40: error: 'type' must be a string");
  t->limits.max_workloads = 2;
  ws = ParseWorkloadJsonl("{}\n{}\n{}\n", "w.jsonl", *t);
  ASSERT_FALSE(ws);
  EXPECT_EQ(ws.error().ToString(), "w.jsonl:3:1: error: more than 2 workloads");
}

TEST(JsonLocator, FindsValuesByPointerAndFallsBackToTheirParent) {
  std::string text = "{\"a\": [1, {\"b/c\": \"x\"}],\n \"d\": true}";
  JsonLocator where(text, "f.json");
  ASSERT_TRUE(where.status().ok());
  EXPECT_EQ(where.At("/a/1/b~1c").col, 19);
  EXPECT_EQ(where.At("/d").line, 2);
  EXPECT_EQ(where.At("/d").col, 7);
  EXPECT_EQ(where.At("/a/7/zz").col, 7);
  EXPECT_EQ(where.InString("/a/1/b~1c", 0).col, 20);
}

// Issue 15: a misspelt key used to be ignored, leaving the default (looser) tolerance in force.
TEST(TaskHostile, UnknownKeysAreLocatedErrorsWithTheClosestKnownKey) {
  const std::string in = R"(  "inputs": {"x": {"shape": ["N"], "dtype": "float32"}},)";
  EXPECT_EQ(ErrorOf(Definition(in, R"(  "tolerence": {"atol": 1e-6},)")),
            "def.json:5:16: error: unknown key 'tolerence'; did you mean 'tolerance'?");
  EXPECT_EQ(ErrorOf(Definition(in, R"(  "tolerance": {"atoll": 1e-6},)")),
            "def.json:5:26: error: unknown key 'atoll' in 'tolerance'; did you mean 'atol'?");
  std::string far = ErrorOf(Definition(in, R"(  "speed": 1,)"));
  EXPECT_EQ(far.rfind("def.json:5:12: error: unknown key 'speed' (known: name, ", 0), 0u) << far;
  // SOL-ExecBench's metadata, and the probes' switches, are keys a definition may have.
  EXPECT_EQ(ErrorOf(Definition(in, R"(  "op_type": "gemm", "tags": ["x"], "precision": false,)")),
            "ok");
  Expected<Task> t = ParseTaskText(Definition(in, R"(  "robustness": {"scale": 10},)"), "/tmp",
                                   "def.json");
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_EQ(t->robustness_scale, 10);
  EXPECT_TRUE(t->precision_probe);
  t = ParseTaskText(Definition(in, R"(  "robustness": false, "precision": false,)"), "/tmp",
                    "def.json");
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_EQ(t->robustness_scale, 0);
  EXPECT_FALSE(t->precision_probe);
  EXPECT_EQ(ErrorOf(Definition(in, R"(  "robustness": {"scale": 1},)")),
            "def.json:5:27: error: 'robustness.scale' must be from 2 to 1e6");
  EXPECT_EQ(ErrorOf(Definition(in, R"(  "precision": "no",)")),
            "def.json:5:16: error: 'precision' must be true or false");
}

// Issue 18 item 6: a task can require that the candidate's own kernels do the work.
TEST(TaskHostile, KernelPolicyIsParsedAndCheckedWhereItIsWritten) {
  const std::string in = R"(  "inputs": {"x": {"shape": ["N"], "dtype": "float32"}},)";
  Expected<Task> t = ParseTaskText(
      Definition(in, R"(  "kernels": {"max_library_share": 0.2, "allow": ["^nvjet_"]},)"), "/tmp",
      "def.json");
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_TRUE(t->kernel_policy.require_own);  // writing "kernels" asks for it
  EXPECT_DOUBLE_EQ(t->kernel_policy.max_library_share, 0.2);
  EXPECT_EQ(t->kernel_policy.allow, std::vector<std::string>{"^nvjet_"});
  t = ParseTaskText(Definition(in), "/tmp", "def.json");
  ASSERT_TRUE(t);
  EXPECT_FALSE(t->kernel_policy.require_own);  // off by default
  EXPECT_EQ(ErrorOf(Definition(in, R"(  "kernels": {"allow": ["(unclosed"]},)")).rfind(
                "def.json:5:25: error: invalid regex '(unclosed'", 0),
            0u);
  EXPECT_EQ(ErrorOf(Definition(in, R"(  "kernels": {"max_library_share": 1},)")),
            "def.json:5:36: error: 'max_library_share' must be from 0 to below 1");
  EXPECT_EQ(ErrorOf(Definition(in, R"(  "kernels": {"require_owm": true},)")),
            "def.json:5:30: error: unknown key 'require_owm' in 'kernels'; did you mean "
            "'require_own'?");
}

}  // namespace
}  // namespace referee::harness
