// "Did you mean ...?" for unknown-key errors (task, training-task and rule loaders).
#pragma once

#include <string_view>

#include "referee/base/strings.h"

namespace referee {

// The name in `known` nearest to `name`, at most `max_edits` edits away (the first of equals), or
// "" when none is that close.
template <typename Names>
std::string_view ClosestName(std::string_view name, const Names& known, int max_edits = 2) {
  std::string_view best;
  int best_distance = max_edits + 1;
  for (std::string_view k : known) {
    int d = EditDistance(name, k);
    if (d < best_distance) best = k, best_distance = d;
  }
  return best;
}

}  // namespace referee
