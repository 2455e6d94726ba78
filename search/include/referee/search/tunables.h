// Annotated tunables: compile-time parameters a proposer (or the built-in tuner) may set.
//
//   BLOCK = 256  # referee: tune BLOCK in [64, 128, 256, 1024]
//   # referee: tune SCHEDULE in ["static", "dynamic"]
//   SCHEDULE = "static"
//   constexpr int kTile = 32;  // referee: tune kTile in [16, 32, 64]
//   #define UNROLL 4           // referee: tune UNROLL in [1, 2, 4, 8]
//
// The annotation names the parameter and its allowed values (numbers, quoted strings, bare
// words such as True); it applies to the assignment on its own line or, when the comment
// stands alone, on the next line. An assignment is `NAME = value`, `NAME: type = value`, a
// declaration ending in `NAME = value;`, or `#define NAME value`.
#pragma once

#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/base/json.h"
#include "referee/search/program.h"

namespace referee::search {

struct Tunable {
  std::string name;
  std::vector<std::string> values;  // literal text, as written in the annotation
  std::string file;
  int line = 0;            // the assignment's line (1-based)
  std::string current;     // the literal currently assigned
  int current_index = -1;  // its index in `values` (-1: not one of them)
};

// Every annotated tunable of the program's files, in file and line order. A malformed
// annotation, or one whose assignment cannot be found, is an error at its line.
Expected<std::vector<Tunable>> FindTunables(const Program& p);

// The index of `value` (a JSON number, string or boolean) in `t.values`, or -1.
int ValueIndex(const Tunable& t, const Json& value);

// Sets the named tunables ({"BLOCK": 128, ...}); an unknown name or a value outside the
// annotation's list is an error. Text outside the assigned literals is untouched.
Expected<Program> ApplyParams(const Program& p, const Json& params);

// The current assignment {"NAME": literal-as-JSON, ...} of every tunable.
Json CurrentParams(const std::vector<Tunable>& tunables);

}  // namespace referee::search
