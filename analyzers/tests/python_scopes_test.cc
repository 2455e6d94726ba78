// Scope predicates and the timed region of a training loop (issue #4).
#include <gtest/gtest.h>

#include "python/module_index.h"
#include "python/scopes.h"
#include "python/timer_regions.h"
#include "python/ts_util.h"

namespace referee::analyzers::python {
namespace {

class Parsed {
 public:
  explicit Parsed(std::string code)
      : code_(std::move(code)),
        tree_(ParsePython(code_)),
        index_(code_, ts_tree_root_node(tree_.get())) {}
  // The call whose text starts with `prefix` (the first one).
  TSNode Call(const std::string& prefix) const {
    for (TSNode c : index_.calls()) {
      if (NodeText(c, code_).substr(0, prefix.size()) == prefix) return c;
    }
    ADD_FAILURE() << "no call " << prefix;
    return {};
  }
  const ModuleIndex& index() const { return index_; }
  std::string_view src() const { return code_; }

 private:
  std::string code_;
  TreePtr tree_;
  ModuleIndex index_;
};

TEST(PythonScopes, InsideFunctionByName) {
  Parsed p(
      "def forward(x):\n    def inner():\n        a()\n    b()\ndef "
      "other():\n    c()\nd()\n");
  EXPECT_TRUE(InsideFunction(p.Call("a"), p.src(), {"forward"}));
  EXPECT_TRUE(InsideFunction(p.Call("b"), p.src(), {"forward", "run"}));
  EXPECT_FALSE(InsideFunction(p.Call("c"), p.src(), {"forward"}));
  EXPECT_TRUE(InsideFunction(p.Call("c"), p.src(), {}));
  EXPECT_FALSE(InsideFunction(p.Call("d"), p.src(), {}));
}

TEST(PythonScopes, InsideNnModuleThroughAliasesAndLocalBases) {
  Parsed p(
      "from torch import nn as tnn\nclass A(tnn.Module):\n    def "
      "f(self):\n        a()\n"
      "class B(A):\n    def f(self):\n        b()\nclass C:\n    def "
      "f(self):\n        c()\n");
  EXPECT_TRUE(InsideNnModule(p.Call("a"), p.index()));
  EXPECT_TRUE(InsideNnModule(p.Call("b"), p.index()));
  EXPECT_FALSE(InsideNnModule(p.Call("c"), p.index()));
}

TEST(PythonScopes, InsideLoopStopsAtFunctionsAndHeaders) {
  Parsed p(
      "for i in it():\n    a()\nwhile w():\n    b()\nfor j in x:\n    def "
      "f():\n        c()\n"
      "d()\ny = [e() for k in x]\n");
  EXPECT_TRUE(InsideLoop(p.Call("a")));
  EXPECT_FALSE(InsideLoop(p.Call("it")));
  EXPECT_TRUE(InsideLoop(p.Call("b")));
  EXPECT_FALSE(InsideLoop(p.Call("w")));
  EXPECT_FALSE(InsideLoop(p.Call("c")));
  EXPECT_FALSE(InsideLoop(p.Call("d")));
  EXPECT_TRUE(InsideLoop(p.Call("e")));
}

TEST(PythonScopes, InsideTritonJitThroughImportAlias) {
  Parsed p(
      "import triton as tr\n@tr.jit\ndef k(x):\n    "
      "a()\n@tr.autotune(configs=[])\n@tr.jit\n"
      "def k2(x):\n    b()\n@staticmethod\ndef g():\n    c()\n");
  EXPECT_TRUE(InsideTritonJit(p.Call("a"), p.index()));
  EXPECT_TRUE(InsideTritonJit(p.Call("b"), p.index()));
  EXPECT_FALSE(InsideTritonJit(p.Call("c"), p.index()));
}

TEST(PythonScopes, ModuleLevelTryAndExcept) {
  Parsed p(
      "a()\nclass K:\n    b()\ndef f():\n    c()\ntry:\n    d()\nexcept "
      "E:\n    e()\n");
  EXPECT_TRUE(AtModuleLevel(p.Call("a")));
  EXPECT_TRUE(AtModuleLevel(p.Call("b")));
  EXPECT_FALSE(AtModuleLevel(p.Call("c")));
  EXPECT_TRUE(InsideTryBody(p.Call("d")));
  EXPECT_FALSE(InsideExcept(p.Call("d")));
  EXPECT_TRUE(InsideExcept(p.Call("e")));
  EXPECT_FALSE(InsideTryBody(p.Call("e")));
}

const std::vector<std::string> kTimers = {"time.time", "time.perf_counter"};

TEST(PythonTimerRegions, AutoresearchLoopTimesBetweenT0AndT1) {
  Parsed p(
      "import time\nsetup()\nt_start = time.time()\nbuild()\nwhile "
      "True:\n    t0 = time.time()\n"
      "    train()\n    t1 = time.time()\n    dt = t1 - t0\n    total += "
      "dt\n    log()\n"
      "t_end = time.time()\nprint(t_end - t_start)\n");
  TimerRegions r(p.index(), kTimers);
  ASSERT_TRUE(r.has_timer());
  EXPECT_TRUE(r.InTimed(p.Call("train")));
  EXPECT_FALSE(r.InTimed(p.Call("log")));
  EXPECT_TRUE(r.InUntimedGap(p.Call("log")));
  EXPECT_FALSE(r.InUntimedGap(p.Call("train")));
  EXPECT_TRUE(r.BeforeTimerStart(p.Call("build")));
  EXPECT_TRUE(r.BeforeTimerStart(p.Call("setup")));
  EXPECT_FALSE(r.BeforeTimerStart(p.Call("train")));
}

TEST(PythonTimerRegions, ModdedLoopStopsTheClockForValidation) {
  Parsed p(
      "from time import perf_counter as pc\nwarmup()\nt0 = pc()\nfor step "
      "in range(10):\n"
      "    if step % 5 == 0:\n        ms += 1000 * (pc() - t0)\n        "
      "validate()\n"
      "        t0 = pc()\n    train()\n    approx = ms + 1000 * (pc() - "
      "t0)\n    report()\n");
  TimerRegions r(p.index(), kTimers);
  ASSERT_TRUE(r.has_timer());
  EXPECT_TRUE(r.InTimed(p.Call("train")));
  EXPECT_TRUE(r.InTimed(p.Call("report")));  // a read that is not accumulated stops nothing
  EXPECT_FALSE(r.InTimed(p.Call("validate")));
  EXPECT_TRUE(r.InUntimedGap(p.Call("validate")));
  EXPECT_TRUE(r.BeforeTimerStart(p.Call("warmup")));
}

TEST(PythonTimerRegions, UnaccumulatedTimingIsNotATrainingClock) {
  Parsed p("import time\nt0 = time.time()\nwork()\nprint(time.time() - t0)\n");
  TimerRegions r(p.index(), kTimers);
  EXPECT_FALSE(r.has_timer());
  EXPECT_FALSE(r.InTimed(p.Call("work")));
  EXPECT_FALSE(r.BeforeTimerStart(p.Call("work")));
}

}  // namespace
}  // namespace referee::analyzers::python
