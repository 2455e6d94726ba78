// Name resolution through imports and alias assignments (issue #4).
#include <gtest/gtest.h>

#include "python/module_index.h"
#include "python/ts_util.h"

namespace referee::analyzers::python {
namespace {

// Resolves the callee of every call, in order.
std::vector<std::string> Callees(const std::string& code) {
  TreePtr tree = ParsePython(code);
  ModuleIndex index(code, ts_tree_root_node(tree.get()));
  std::vector<std::string> out;
  for (TSNode c : index.calls()) out.push_back(index.Resolve(Field(c, "function")));
  return out;
}

TEST(PythonResolver, ImportAsRewritesTheRoot) {
  EXPECT_EQ(Callees("import torch as t\nt.cuda.Stream()\n"),
            std::vector<std::string>{"torch.cuda.Stream"});
}

TEST(PythonResolver, FromImportAsNamesTheCanonicalFunction) {
  EXPECT_EQ(Callees("from time import perf_counter as pc\npc()\n"),
            std::vector<std::string>{"time.perf_counter"});
  EXPECT_EQ(Callees("from torch.utils.cpp_extension import load_inline\nload_inline()\n"),
            std::vector<std::string>{"torch.utils.cpp_extension.load_inline"});
}

TEST(PythonResolver, DottedImportAsModule) {
  EXPECT_EQ(Callees("import torch.nn.functional as F\nF.relu(x)\n"),
            std::vector<std::string>{"torch.nn.functional.relu"});
}

TEST(PythonResolver, AliasAssignmentOfAnImportedName) {
  EXPECT_EQ(Callees("import torch\nS = torch.cuda.Stream\ns = S()\n"),
            std::vector<std::string>{"torch.cuda.Stream"});
  EXPECT_EQ(Callees("import time\nclock = time.perf_counter\nclock()\n"),
            std::vector<std::string>{"time.perf_counter"});
}

TEST(PythonResolver, LocalAssignmentOfANonImportIsNotAnAlias) {
  // `f = g` where g is not imported leaves f alone.
  EXPECT_EQ(Callees("def g(): pass\nf = g\nf()\n"), std::vector<std::string>{"f"});
}

TEST(PythonResolver, UnboundNamesResolveToThemselves) {
  EXPECT_EQ(Callees("open('x')\n"), std::vector<std::string>{"open"});
}

TEST(PythonResolver, CallsInsideChainsAreWrittenWithParentheses) {
  EXPECT_EQ(Callees("import torch\ntorch.cuda.current_stream().wait_stream(s)\n"),
            (std::vector<std::string>{"torch.cuda.current_stream().wait_stream",
                                      "torch.cuda.current_stream"}));
}

TEST(PythonResolver, SubscriptBasesDoNotResolve) {
  EXPECT_EQ(Callees("x[0].foo()\n"), std::vector<std::string>{""});
}

TEST(PythonResolver, NnModuleSubclassesAreFoundTransitively) {
  std::string code =
      "import torch.nn as nn\nclass A(nn.Module): pass\nclass "
      "B(A): pass\nclass C(object): pass\n";
  TreePtr tree = ParsePython(code);
  ModuleIndex index(code, ts_tree_root_node(tree.get()));
  ASSERT_EQ(index.classes().size(), 3u);
  EXPECT_TRUE(index.IsNnModuleClass(index.classes()[0]));
  EXPECT_TRUE(index.IsNnModuleClass(index.classes()[1]));
  EXPECT_FALSE(index.IsNnModuleClass(index.classes()[2]));
}

TEST(PythonResolver, SingleModuleAssignmentIgnoresReassignedNames) {
  std::string code = "A = 'x'\nB = 'y'\nB = 'z'\ndef f():\n    C = 'w'\n";
  TreePtr tree = ParsePython(code);
  ModuleIndex index(code, ts_tree_root_node(tree.get()));
  EXPECT_FALSE(ts_node_is_null(index.SingleModuleAssignment("A")));
  EXPECT_TRUE(ts_node_is_null(index.SingleModuleAssignment("B")));
  EXPECT_TRUE(ts_node_is_null(index.SingleModuleAssignment("C")));
}

}  // namespace
}  // namespace referee::analyzers::python
