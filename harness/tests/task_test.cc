// Task readers: native definitions, SOL-ExecBench definition.json/workload.jsonl/solution.json,
// KernelBench problem files, and malformed input with precise errors.
#include "referee/harness/task.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>

#include "referee/base/file.h"
#include "referee/harness/candidate.h"

namespace referee::harness {
namespace {

namespace fs = std::filesystem;
const std::string kData = REFEREE_TESTDATA;
const std::string kKernels = std::string(REFEREE_TESTDATA) + "/../../../kernels/cpu";

// A task directory holding `definition` as definition.json and a trivial reference.
std::string TaskDir(const std::string& definition_file) {
  char tmpl[] = "/tmp/referee-task-test-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  fs::copy_file(definition_file, dir + "/definition.json");
  (void)WriteFile(dir + "/reference.py", "def run(x):\n    return x\n");
  return dir;
}

TEST(Task, LoadsNativeTaskWithExprAxesConstraintsAndBaseline) {
  Expected<Task> t = LoadTask(kKernels + "/matmul");
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_EQ(t->name, "matmul");
  EXPECT_EQ(t->inputs.size(), 2u);
  EXPECT_FALSE(t->baseline_path.empty());
  Expected<ConcreteWorkload> w = Instantiate(*t, t->workloads[0]);
  ASSERT_TRUE(w) << w.error().ToString();
  EXPECT_EQ(w->outputs[0].shape, (std::vector<long long>{128, 96}));  // N = M // 2 + 32
  EXPECT_DOUBLE_EQ(w->flops, 2.0 * 128 * 96 * 96);
  EXPECT_DOUBLE_EQ(w->bytes, 4.0 * (128 * 96 + 96 * 96 + 128 * 96));
  EXPECT_DOUBLE_EQ(w->tolerance.atol, 1e-3);
}

TEST(Task, NativeWorkloadsSetVarAxesAndGenerators) {
  Expected<Task> t = LoadTask(kKernels + "/vector_add");
  ASSERT_TRUE(t) << t.error().ToString();
  ASSERT_EQ(t->workloads.size(), 2u);
  EXPECT_EQ(t->inputs[1].generator.kind, "uniform");
  EXPECT_DOUBLE_EQ(t->inputs[1].generator.a, -2);
  Expected<ConcreteWorkload> w = Instantiate(*t, t->workloads[1]);
  ASSERT_TRUE(w);
  EXPECT_EQ(w->inputs[0].numel, 262144u);
}

TEST(Task, ReadsSolExecBenchDefinitionAndWorkloads) {
  Expected<Task> t = LoadTask(kData + "/solexecbench/rmsnorm");
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_EQ(t->name, "001_rmsnorm_h256");
  EXPECT_FALSE(t->reference_code.empty());
  ASSERT_EQ(t->workloads.size(), 2u);
  EXPECT_EQ(t->workloads[1].name, "0b6a3c1e-rms-64");
  ASSERT_TRUE(t->workloads[0].tolerance);
  EXPECT_DOUBLE_EQ(t->workloads[0].tolerance->atol, 0.02);
  EXPECT_DOUBLE_EQ(t->workloads[0].tolerance->matched_ratio, 0.99);
  EXPECT_TRUE(t->inputs[2].is_scalar);
  EXPECT_EQ(t->inputs[0].dtype, DType::kBFloat16);
  Expected<ConcreteWorkload> w = Instantiate(*t, t->workloads[1]);
  ASSERT_TRUE(w);
  EXPECT_DOUBLE_EQ(w->scalars.at("eps"), 1e-6);
  EXPECT_EQ(w->inputs[0].shape, (std::vector<long long>{64, 256}));
}

TEST(Task, ResolvesSolExecBenchSolutionSources) {
  Expected<Candidate> c = ResolveCandidate(kData + "/solexecbench/rmsnorm/solution.json");
  ASSERT_TRUE(c) << c.error().ToString();
  EXPECT_TRUE(c->dps);
  EXPECT_EQ(c->entry, "run");
  EXPECT_TRUE(fs::exists(c->scratch_dir + "/helpers.py"));
  fs::remove_all(c->scratch_dir);
}

TEST(Task, RejectsSolutionsEscapingTheirDirectory) {
  char tmpl[] = "/tmp/referee-sol-test-XXXXXX";
  std::string dir = mkdtemp(tmpl);
  ASSERT_TRUE(WriteFile(dir + "/solution.json",
                        R"({"spec": {"entry_point": "m.py::run"},
                            "sources": [{"path": "../m.py", "content": "x"}]})").ok());
  Expected<Candidate> c = ResolveCandidate(dir);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message().find("bad source entry"), std::string::npos);
}

TEST(Task, DetectsKernelBenchProblemFiles) {
  Expected<Task> t = LoadTask(kData + "/kernelbench/19_ReLU.py");
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_EQ(t->format, TaskFormat::kKernelBench);
  EXPECT_EQ(t->name, "19_ReLU");
  Expected<Task> not_kb = LoadTask(kData + "/kernelbench/relu_new.py");
  ASSERT_FALSE(not_kb);
  EXPECT_NE(not_kb.error().message().find("class Model"), std::string::npos);
}

TEST(Task, MalformedJsonHasLineAndColumn) {
  Expected<Task> t = LoadTask(TaskDir(kData + "/bad_tasks/syntax.json"));
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().ToString().find("definition.json:"), std::string::npos);
  EXPECT_GT(t.error().loc().line, 0);
}

TEST(Task, BadFieldsPointAtTheirKey) {
  Expected<Task> dtype = LoadTask(TaskDir(kData + "/bad_tasks/bad_dtype.json"));
  ASSERT_FALSE(dtype);
  EXPECT_EQ(dtype.error().loc().line, 4);
  EXPECT_NE(dtype.error().message().find("complex64"), std::string::npos);
  Expected<Task> axis = LoadTask(TaskDir(kData + "/bad_tasks/bad_axis.json"));
  ASSERT_FALSE(axis);
  EXPECT_EQ(axis.error().loc().line, 3);
  Expected<Task> shape = LoadTask(TaskDir(kData + "/bad_tasks/unknown_shape_axis.json"));
  ASSERT_TRUE(shape);  // the definition parses; the workload cannot be instantiated
  Expected<ConcreteWorkload> w = Instantiate(*shape, shape->workloads[0]);
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message().find("unknown axis 'M'"), std::string::npos);
}

TEST(Task, WorkloadJsonlErrorsNameTheLine) {
  Expected<Task> t = LoadTask(kKernels + "/vector_add");
  ASSERT_TRUE(t);
  Expected<std::string> text = ReadFile(kData + "/bad_tasks/bad_workload.jsonl");
  ASSERT_TRUE(text);
  auto ws = ParseWorkloadJsonl(*text, "w.jsonl", *t);
  ASSERT_FALSE(ws);
  EXPECT_EQ(ws.error().loc().line, 2);
  EXPECT_NE(ws.error().message().find("must be a number"), std::string::npos);
}

TEST(Task, MissingWorkloadAxisAndViolatedConstraintAreErrors) {
  Json def = {{"name", "t"},
              {"axes", {{"N", {{"type", "var"}}}, {"K", {{"type", "const"}, {"value", 30}}}}},
              {"inputs", {{"x", {{"shape", {"N"}}, {"dtype", "float32"}}}}},
              {"outputs", {{"y", {{"shape", {"N"}}, {"dtype", "float32"}}}}},
              {"constraints", {"K % 32 == 0"}},
              {"reference", "def run(x):\n    return x\n"},
              {"workloads", {{{"name", "w"}, {"axes", Json::object()}}}}};
  Expected<Task> t = ParseTaskJson(def, "/tmp", "def.json");
  ASSERT_FALSE(t);
  EXPECT_NE(t.error().message().find("does not set axis 'N'"), std::string::npos);
  def["workloads"][0]["axes"]["N"] = 8;
  t = ParseTaskJson(def, "/tmp", "def.json");
  ASSERT_TRUE(t) << t.error().ToString();
  Expected<ConcreteWorkload> w = Instantiate(*t, t->workloads[0]);
  ASSERT_FALSE(w);
  EXPECT_NE(w.error().message().find("violates constraint"), std::string::npos);
}

}  // namespace
}  // namespace referee::harness
