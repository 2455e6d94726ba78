#include "referee/training/task.h"

#include <gtest/gtest.h>

#include "referee/base/file.h"

namespace referee::training {
namespace {

const std::string kDir = REFEREE_TRAINING_TESTDATA "/task";

std::string Text() { return ReadFile(kDir + "/task.json").value(); }

// The bundled test task with one edit: `from` replaced by `to` (which must occur once).
Expected<TrainingTask> Edited(const std::string& from, const std::string& to) {
  std::string text = Text();
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  return ParseTrainingTask(text, "task.json", kDir);
}

std::string ErrorOf(const Expected<TrainingTask>& t) {
  EXPECT_FALSE(t.has_value());
  return t ? "" : t.error().ToString();
}

TEST(Task, LoadsEveryField) {
  Expected<TrainingTask> t = LoadTrainingTask(kDir);
  ASSERT_TRUE(t.has_value()) << t.error().ToString();
  EXPECT_EQ(t->name, "tiny");
  EXPECT_EQ(t->mode, Mode::kFixedBudget);
  EXPECT_DOUBLE_EQ(t->budget_s, 3);
  EXPECT_DOUBLE_EQ(t->grace_s, 1);
  EXPECT_EQ(t->editable, (std::vector<std::string>{"train.py", "lib/*.py"}));
  EXPECT_EQ(t->fixed, std::vector<std::string>{"prepare.py"});
  EXPECT_EQ(t->train.files, std::vector<std::string>{"train_*.txt"});
  EXPECT_TRUE(t->holdout.declared());
  EXPECT_EQ(t->validation.max_bytes, 600u);
  EXPECT_EQ(t->entry_module, "model");
  EXPECT_EQ(t->entry_function, "load_model");
  EXPECT_EQ(t->output_max_bytes, 4096u);
  EXPECT_EQ(t->metric.kind, MetricKind::kBitsPerByte);
  EXPECT_EQ(t->metric.seq_len, 64);
  EXPECT_EQ(t->metric.tokens, 512);
  EXPECT_EQ(t->probes.sequences, 2);
  EXPECT_EQ(t->acceptance.seeds, 3);
  ASSERT_TRUE(t->acceptance.threshold.has_value());
  EXPECT_DOUBLE_EQ(*t->acceptance.threshold, 8.5);
  EXPECT_EQ(t->limits.memory_bytes, 1024ull << 20);
}

TEST(Task, SyntaxErrorIsLocated) {
  std::string text = Text();
  text.replace(text.find("\"grace_s\": 1,"), 13, "\"grace_s\": 1,,");
  Expected<TrainingTask> t = ParseTrainingTask(text, "task.json", kDir);
  ASSERT_FALSE(t.has_value());
  EXPECT_EQ(t.error().loc().line, 6) << t.error().ToString();
  EXPECT_EQ(t.error().loc().file, "task.json");
}

TEST(Task, FieldErrorsNameFileLineAndColumn) {
  EXPECT_EQ(ErrorOf(Edited("\"budget_s\": 3", "\"budget_s\": -3")),
            "task.json:5:3: error: 'budget_s' must be a number in [0.1, 1e+06]");
  EXPECT_EQ(ErrorOf(Edited("\"seq_len\": 64", "\"seq_len\": 60")),
            "task.json:16:63: error: 'tokens' (512) must be a multiple of seq_len (60)");
  EXPECT_EQ(ErrorOf(Edited("\"mode\": \"fixed-budget\"", "\"mode\": \"fast\"")),
            "task.json:4:3: error: mode 'fast' is not fixed-budget or time-to-target");
  EXPECT_EQ(ErrorOf(Edited("\"grace_s\"", "\"grace\"")),
            "task.json:6:3: error: unknown field 'grace' (did you mean 'grace_s'?)");
  EXPECT_EQ(ErrorOf(Edited("\"name\": \"bpb\"", "\"name\": \"accuracy\"")),
            "task.json:16:14: error: metric 'accuracy' is not bpb or cross_entropy");
  EXPECT_EQ(ErrorOf(Edited("\"prepare.py\"]", "\"missing.py\"]")),
            "task.json:9:3: error: 'missing.py' does not exist in the task directory");
  EXPECT_EQ(ErrorOf(Edited("\"model:load_model\"", "\"model.load_model\"")),
            "task.json:15:14: error: 'entry' must be 'module:function' (e.g. model:load_model)");
}

TEST(Task, MissingRequiredParts) {
  EXPECT_NE(ErrorOf(Edited("\"validation\": {\"files\": [\"val.txt\"], \"max_bytes\": 600}",
                           "\"extra\": {}"))
                .find("unknown field 'extra'"),
            std::string::npos);
  std::string no_val = ErrorOf(Edited(",\n    \"validation\": {\"files\": [\"val.txt\"], \"max_bytes\": 600}", ""));
  EXPECT_NE(no_val.find("missing data split 'validation'"), std::string::npos) << no_val;
  std::string ttt = ErrorOf(Edited("\"fixed-budget\"", "\"time-to-target\""));
  EXPECT_NE(ttt.find("needs 'target'"), std::string::npos) << ttt;
  std::string sha = ErrorOf(Edited("\"max_bytes\": 600", "\"sha256\": \"abc\""));
  EXPECT_NE(sha.find("64 lowercase hex digits"), std::string::npos) << sha;
}

TEST(Task, TimeToTargetNeedsATarget) {
  Expected<TrainingTask> t =
      Edited("\"mode\": \"fixed-budget\",", "\"mode\": \"time-to-target\", \"target\": 2.5,");
  ASSERT_FALSE(t.has_value()) << "a threshold is for fixed-budget tasks";
  std::string text = Text();
  text.replace(text.find("\"mode\": \"fixed-budget\","), 23,
               "\"mode\": \"time-to-target\", \"target\": 2.5,");
  text.replace(text.find(", \"threshold\": 8.5"), 18, "");
  Expected<TrainingTask> ok = ParseTrainingTask(text, "task.json", kDir);
  ASSERT_TRUE(ok.has_value()) << ok.error().ToString();
  EXPECT_EQ(ok->mode, Mode::kTimeToTarget);
  EXPECT_DOUBLE_EQ(*ok->target, 2.5);
}

TEST(Task, MissingTaskFileIsAnError) {
  Expected<TrainingTask> t = LoadTrainingTask(REFEREE_TRAINING_TESTDATA);
  ASSERT_FALSE(t.has_value());
  EXPECT_NE(t.error().ToString().find("task.json: error: no training task here"),
            std::string::npos)
      << t.error().ToString();
}

TEST(Task, LocateJsonKeySkipsValuesThatLookLikeKeys) {
  std::string text = "{\n  \"a\": \"b\",\n  \"b\": {\"c\": 1}\n}";
  SourceLoc loc = LocateJsonKey(text, "f.json", {"b", "c"});
  EXPECT_EQ(loc.line, 3);
  EXPECT_EQ(loc.col, 9);
}

}  // namespace
}  // namespace referee::training
