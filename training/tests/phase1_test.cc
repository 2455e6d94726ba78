// Phase 1 under the real sandbox, on small plain-Python scripts (no torch): the budget, the
// tripwire, the output cap, background processes, crashes and missing checkpoints.
#include <unistd.h>

#include <filesystem>
#include <gtest/gtest.h>

#include "referee/base/file.h"
#include "referee/sandbox/sandbox.h"
#include "seed_run.h"

namespace referee::training {
namespace {

namespace fs = std::filesystem;
const std::string kDir = REFEREE_TRAINING_TESTDATA "/task";

// Writes the checkpoint and the entry point the task asks for.
const char kWriteCheckpoint[] =
    "open('/output/model.py', 'w').write('def load_model(p):\\n    return None\\n')\n";

class Phase1Test : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const sandbox::LayerSupport& s : sandbox::HostSupport().layers) {
      if (!s.available) GTEST_SKIP() << "sandbox layer unavailable: " << s.detail;
    }
    char tmpl[] = "/tmp/referee-phase1-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    chmod(root_.c_str(), 0755);
    fs::create_directories(root_ + "/cand");
    fs::create_directories(root_ + "/run");
    chmod((root_ + "/run").c_str(), 0755);
    task_ = LoadTrainingTask(kDir).value();
  }
  void TearDown() override {
    if (!root_.empty()) fs::remove_all(root_);
  }

  Phase1Result Train(const std::string& script, double budget = 3) {
    EXPECT_TRUE(WriteFile(root_ + "/cand/train.py", script).ok());
    Expected<Workspace> ws = PrepareWorkspace(task_, root_ + "/cand", root_ + "/run");
    EXPECT_TRUE(ws.has_value()) << ws.error().ToString();
    ws_ = *ws;
    Expected<StagedData> data = StageData(task_, root_ + "/run", "/usr/bin/python3");
    EXPECT_TRUE(data.has_value()) << data.error().ToString();
    data_ = *data;
    SeedContext c;
    c.task = &task_;
    c.workspace = &ws_;
    c.data = &data_;
    c.run_dir = root_ + "/run";
    c.output_dir = root_ + "/run/seed-" + std::to_string(++runs_) + "/output";
    c.python = "/usr/bin/python3";
    c.candidate_dir = "cand";
    c.seed = 1234;
    c.budget_s = budget;
    c.sandbox_id = 56990;
    Expected<Phase1Result> r = RunPhase1(c);
    EXPECT_TRUE(r.has_value()) << r.error().ToString();
    fs::remove_all(root_ + "/run/data");
    fs::remove_all(root_ + "/run/valdata");
    return r ? *r : Phase1Result{};
  }

  std::string root_;
  TrainingTask task_;
  Workspace ws_;
  StagedData data_;
  int runs_ = 0;
};

std::string CheckOf(const Phase1Result& r) { return r.failure ? r.failure->check : "ok"; }

TEST_F(Phase1Test, HonestScriptSeesTrainDataSeedAndBudget) {
  Phase1Result r = Train(std::string(
      "import os, sys\n"
      "data = open('/data/train.bin', 'rb').read()\n"
      "hold = open('/data/holdout.bin', 'rb').read()\n"
      "assert os.environ['REFEREE_SEED'] == '1234', os.environ['REFEREE_SEED']\n"
      "assert os.environ['REFEREE_BUDGET_S'] == '3'\n"
      "assert len(data) == 500 and len(hold) == 100, (len(data), len(hold))\n"
      "import prepare\n"
      "assert prepare.FIXED == 1\n"
      "for path in ('/work/prepare.py', '/work/train.py', '/data/train.bin'):\n"
      "    try:\n"
      "        open(path, 'a').write('x')\n"
      "        sys.exit('wrote ' + path)\n"
      "    except OSError:\n"
      "        pass\n"
      "assert not os.path.exists('/valdata')\n"
      "print('val_bpb: 0.001')\n") +
                         kWriteCheckpoint);
  EXPECT_EQ(CheckOf(r), "ok") << (r.failure ? r.failure->Line() : "");
  EXPECT_FALSE(r.output_sha256.empty());
  EXPECT_GT(r.output_bytes, 0u);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("Referee ignores it"), std::string::npos);
}

TEST_F(Phase1Test, StillRunningAtTheBudgetIsRejected) {
  Phase1Result r = Train(std::string(kWriteCheckpoint) + "import time\ntime.sleep(60)\n", 1);
  EXPECT_EQ(CheckOf(r), "over-budget");
  EXPECT_NE(r.failure->message.find("SIGTERM ended it"), std::string::npos) << r.failure->message;
  EXPECT_EQ(r.failure->verdict, Verdict::kRejected);
  EXPECT_LT(r.wall_s, 1.9);
}

TEST_F(Phase1Test, IgnoringSigtermIsKilledAfterTheGrace) {
  Phase1Result r = Train(std::string(kWriteCheckpoint) +
                             "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                             "while True: time.sleep(0.01)\n",
                         1);
  EXPECT_EQ(CheckOf(r), "over-budget");
  EXPECT_NE(r.failure->message.find("ignored SIGTERM"), std::string::npos) << r.failure->message;
  EXPECT_GE(r.wall_s, 2.0);
}

TEST_F(Phase1Test, OpeningTheValidationPathTripsTheWire) {
  Phase1Result r = Train("import glob\nfor p in sorted(glob.glob('/data/*.bin')):\n"
                         "    open(p, 'rb').read()\n");
  EXPECT_EQ(CheckOf(r), "validation-read");
  EXPECT_NE(r.failure->message.find("/data/val.bin"), std::string::npos);
  EXPECT_LT(r.wall_s, 2.5);
}

TEST_F(Phase1Test, BackgroundProcessIsRejected) {
  Phase1Result r = Train(std::string(kWriteCheckpoint) +
                         "import os, time\nif os.fork() == 0:\n    os.setsid()\n"
                         "    time.sleep(30)\n    os._exit(0)\ntime.sleep(0.2)\n");
  EXPECT_EQ(CheckOf(r), "background-process");
  EXPECT_NE(r.failure->message.find("1 process(es)"), std::string::npos) << r.failure->message;
}

TEST_F(Phase1Test, OversizedOutputIsRejected) {
  Phase1Result r = Train(std::string(kWriteCheckpoint) +
                         "open('/output/ckpt.bin', 'wb').write(b'x' * 8192)\n");
  EXPECT_EQ(CheckOf(r), "output-cap");
  EXPECT_NE(r.failure->message.find("over the task's"), std::string::npos);
}

TEST_F(Phase1Test, GrowingOutputIsStoppedWhileRunning) {
  Phase1Result r = Train("import time\nf = open('/output/ckpt.bin', 'wb')\n"
                         "while True:\n    f.write(b'x' * 1024); f.flush(); time.sleep(0.01)\n");
  EXPECT_EQ(CheckOf(r), "output-cap");
  EXPECT_NE(r.failure->message.find("stopped"), std::string::npos) << r.failure->message;
  EXPECT_LT(r.wall_s, 2.5);
}

TEST_F(Phase1Test, CrashIsAnErrorAtTheLine) {
  Phase1Result r = Train("x = 1\n\ndef main():\n    return x / 0\n\nmain()\n");
  EXPECT_EQ(CheckOf(r), "crash");
  EXPECT_EQ(r.failure->verdict, Verdict::kError);
  EXPECT_EQ(r.failure->Line(),
            "cand/train.py:4: error: ZeroDivisionError: division by zero (exited with status "
            "1) [crash]");
}

TEST_F(Phase1Test, NoCheckpointIsAnError) {
  Phase1Result r = Train("print('trained')\n");
  EXPECT_EQ(CheckOf(r), "no-checkpoint");
  EXPECT_EQ(r.failure->Line(),
            "cand/train.py: error: wrote no checkpoint: /output is empty (the task's entry "
            "point is /output/model.py, defining load_model(path)) [no-checkpoint]");
}

TEST_F(Phase1Test, NetworkIsAViolation) {
  Phase1Result r = Train("import socket\ntry:\n    socket.socket(socket.AF_INET)\n"
                         "except OSError:\n    pass\n" + std::string(kWriteCheckpoint));
  EXPECT_EQ(CheckOf(r), "sandbox-violation");
  EXPECT_NE(r.failure->message.find("socket"), std::string::npos);
}

TEST_F(Phase1Test, SymlinkInTheOutputIsRefused) {
  Phase1Result r = Train(std::string(kWriteCheckpoint) +
                         "import os\nos.symlink('/data/train.bin', '/output/data.bin')\n");
  EXPECT_EQ(CheckOf(r), "output-contents");
}

}  // namespace
}  // namespace referee::training
