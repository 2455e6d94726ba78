// Built-in proposers (issue 19 item 2), in-process, deterministic given the context's seed:
//
//   tune       mutates one or two annotated tunables (tunables.h) of the parent: a
//              neighbouring value in the annotation's list or, half the time, any other one
//   random     assigns every tunable a uniformly random listed value
//   grid       the first point of the tunables' grid (lexicographic) not yet in the journal
//   crossover  uniform crossover: each tunable from the parent or the partner (another
//              thread's incumbent) with probability 1/2
//   merge      three-way merge of the parent's and the partner's changes against their
//              common ancestor (diff.h Merge3); a conflict is a failed proposal
#pragma once

#include <memory>
#include <string>

#include "referee/search/proposer.h"

namespace referee::search {

// nullptr for an unknown name.
std::unique_ptr<Proposer> MakeBuiltinProposer(const std::string& name);
bool IsBuiltinProposer(const std::string& name);

}  // namespace referee::search
