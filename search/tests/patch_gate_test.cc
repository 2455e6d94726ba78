#include "referee/search/patch_gate.h"

#include <gtest/gtest.h>

namespace referee::search {
namespace {

const char* kParent =
    "import torch\n"               // 1
    "# referee: begin-editable\n"  // 2
    "def run(x, y):\n"             // 3
    "    return x + y\n"           // 4
    "# referee: end-editable\n"    // 5
    "CHECK = 1\n";                 // 6

GateOptions Options() {
  GateOptions o;
  o.editable_files = {"k.py"};
  return o;
}

Program With(const std::string& text) { return Program{{{"k.py", text}, {"fixed.py", "F = 1\n"}}}; }

TEST(PatchGate, AcceptsChangesInsideTheRegion) {
  std::string child = kParent;
  child.replace(child.find("x + y"), 5, "torch.add(x, y)");
  EXPECT_TRUE(CheckPatch(With(kParent), With(child), Options()).ok());
  std::string grown = kParent;
  grown.insert(grown.find("    return"), "    z = 1\n");
  EXPECT_TRUE(CheckPatch(With(kParent), With(grown), Options()).ok());
}

TEST(PatchGate, RefusesChangesOutsideTheRegion) {
  std::string child = kParent;
  child.replace(child.find("CHECK = 1"), 9, "CHECK = 0");
  Status s = CheckPatch(With(kParent), With(child), Options());
  EXPECT_EQ(s.ToString(),
            "k.py:6:1: error: the change removes or edits line 6 of the parent, outside the "
            "editable lines 3-4");
  std::string marker = kParent;
  marker.replace(marker.find("# referee: end-editable"), 23, "# moved");
  EXPECT_FALSE(CheckPatch(With(kParent), With(marker), Options()).ok());
  std::string before = std::string("import os\n") + kParent;
  Status b = CheckPatch(With(kParent), With(before), Options());
  EXPECT_EQ(b.ToString(),
            "k.py:1:1: error: the change inserts line 1 after parent line 0, outside the "
            "editable lines 3-4");
}

TEST(PatchGate, RefusesFixedFilesNewFilesAndNoOps) {
  Program parent = With(kParent);
  Program fixed = parent;
  fixed.files["fixed.py"] = "F = 2\n";
  EXPECT_EQ(CheckPatch(parent, fixed, Options()).ToString(),
            "fixed.py: error: the change edits a fixed (non-editable) file");
  Program added = parent;
  added.files["new.py"] = "x\n";
  EXPECT_EQ(CheckPatch(parent, added, Options()).ToString(),
            "new.py: error: the change adds a file the program does not have");
  Program removed = parent;
  removed.files.erase("fixed.py");
  EXPECT_FALSE(CheckPatch(parent, removed, Options()).ok());
  EXPECT_EQ(CheckPatch(parent, parent, Options()).ToString(),
            "error: the proposal changes nothing");
}

TEST(PatchGate, EnforcesSizeCaps) {
  GateOptions o = Options();
  o.max_file_bytes = 64;
  std::string child = kParent;
  child.replace(child.find("x + y"), 5, "x + y + 0 * " + std::string(80, '1'));
  EXPECT_NE(CheckPatch(With(kParent), With(child), o).message().find("over the cap of 64"),
            std::string::npos);
  GateOptions lines = Options();
  lines.max_changed_lines = 1;
  std::string two = kParent;
  two.replace(two.find("x + y"), 5, "y + x");
  EXPECT_NE(CheckPatch(With(kParent), With(two), lines).message().find("touches 2 lines"),
            std::string::npos);
}

TEST(PatchGate, ATunableOutsideTheRegionMayTakeAListedValueOnly) {
  std::string parent = std::string("BLOCK = 256  # referee: tune BLOCK in [128, 256]\n") + kParent;
  std::string child = parent;
  child.replace(child.find("BLOCK = 256"), 11, "BLOCK = 128");
  EXPECT_TRUE(CheckPatch(With(parent), With(child), Options()).ok());
  std::string unlisted = parent;
  unlisted.replace(unlisted.find("BLOCK = 256"), 11, "BLOCK = 512");
  EXPECT_EQ(CheckPatch(With(parent), With(unlisted), Options()).ToString(),
            "k.py:1:1: error: tunable BLOCK = 512 is not one of its listed values");
  std::string annotation = parent;
  annotation.replace(annotation.find("[128, 256]"), 10, "[128, 512]");
  EXPECT_FALSE(CheckPatch(With(parent), With(annotation), Options()).ok());
}

TEST(PatchGate, AFileWithoutMarkersIsEditableWhole) {
  Program a{{{"k.py", "a\nb\n"}}}, b{{{"k.py", "x\nb\ny\n"}}};
  EXPECT_TRUE(CheckPatch(a, b, Options()).ok());
}

}  // namespace
}  // namespace referee::search
