// Line diffs, unified diffs and three-way merges of programs (own implementation: Myers'
// O(ND) difference algorithm, "An O(ND) Difference Algorithm and Its Variations", 1986; the
// merge is the classic diff3 walk over lines both sides left unchanged).
//
//   std::string d = ProgramDiff(parent, child);            // "--- a/kernel.py\n+++ b/..."
//   Expected<Program> back = ApplyUnifiedDiff(parent, d);  // == child
//   Expected<Program> m = MergePrograms(ancestor, ours, theirs);  // conflict: an error
#pragma once

#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/search/program.h"

namespace referee::search {

enum class EditOp { kEqual, kDelete, kInsert };
struct Edit {
  EditOp op;
  int a = -1;  // line index in the old text (equal, delete)
  int b = -1;  // line index in the new text (equal, insert)
};

// A shortest edit script from `a` to `b` (in order). Past a few thousand differences it
// falls back to deleting and inserting the differing middle wholesale (still a valid script).
std::vector<Edit> DiffLines(const std::vector<std::string>& a, const std::vector<std::string>& b);

// A unified diff of one file with `context` lines (empty when equal); /dev/null for a file
// created or deleted (empty `old_text` / `new_text` with `exists` false).
std::string UnifiedDiff(const std::string& name, const std::string& old_text,
                        const std::string& new_text, int context = 3, bool old_exists = true,
                        bool new_exists = true);
// Every file's diff, in name order.
std::string ProgramDiff(const Program& from, const Program& to);
// Changed lines (deleted + inserted) between two programs.
int ChangedLines(const Program& from, const Program& to);

// Applies a unified diff (git's or diff -u's) to `base`. A hunk whose context is not found is
// an error naming the file and hunk; files the diff does not mention are kept.
Expected<Program> ApplyUnifiedDiff(const Program& base, const std::string& diff);

// Three-way merge of one file: changes of `ours` and `theirs` against `base` are combined;
// overlapping different changes are a conflict (an error naming the base line).
Expected<std::string> Merge3(const std::string& base, const std::string& ours,
                             const std::string& theirs, const std::string& name);
Expected<Program> MergePrograms(const Program& base, const Program& ours, const Program& theirs);

}  // namespace referee::search
