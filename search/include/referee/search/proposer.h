// Proposers (issue 19 item 2): where candidate changes come from. An external command (any
// agent) speaks JSON on stdin/stdout (external_proposer.h; docs in search/README.md
// "Proposer protocol"); built-in operators (builtin_proposers.h) implement the same
// interface in-process. A proposer never applies, builds or runs anything: the search
// applies the proposal, passes it through the patch gate and the cascade.
//
// A failure to propose (timeout, crash, malformed answer) is an error *value* the search
// records as a failed proposal and feeds back; it never stops the search.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/base/json.h"
#include "referee/search/program.h"

namespace referee::search {

struct ProgramView {
  int64_t id = 0;
  int64_t thread = 0;
  Program program;
  Json metrics = Json::object();  // {"time_s", "time_ci_s": [lo, hi], "sol_score", ...}
};

struct ProposalContext {
  int64_t seq = 0;  // the proposal's sequence number
  int64_t thread = 0;
  int64_t round = 0;
  uint64_t seed = 0;  // derived from the search seed and seq: replays identically
  ProgramView parent;
  std::vector<ProgramView> inspirations;  // other threads' strong programs (merge partner first)
  std::optional<ProgramView> ancestor;    // merges: the common ancestor of parent and partner
  std::vector<std::string> editable_files;
  std::string task_dir;
  Json request = Json::object();  // the request an external proposer receives
  // Program hashes already in the journal (the grid skips them); may be null.
  const std::set<std::string>* known_hashes = nullptr;
};

struct Proposal {
  // Exactly one of these three.
  std::optional<std::string> diff;                          // a unified diff against the parent
  std::optional<std::map<std::string, std::string>> files;  // whole editable files
  std::optional<Json> params;                               // tunable assignments
  std::string rationale;
  Json cost = Json::object();          // self-reported: {"usd": .., "tokens": ..}
  std::vector<int64_t> extra_parents;  // merges and crossovers: the other parent(s)
};

struct ProposeResult {
  std::vector<Proposal> proposals;
  std::string response;        // the raw answer (journaled as a blob)
  Json cost = Json::object();  // the whole answer's cost, summed
  double wall_s = 0;
};

class Proposer {
 public:
  virtual ~Proposer() = default;
  virtual std::string name() const = 0;
  // Merges and crossovers need a partner from another thread (ancestor / inspirations).
  virtual bool needs_partner() const { return false; }
  virtual Expected<ProposeResult> Propose(const ProposalContext& context) = 0;
};

// Parses an answer: {"proposals": [P, ...]} or a single P, where P is {"diff": "..."} or
// {"files": {"name": "..."}} or {"params": {"NAME": value}}, with optional "rationale" and
// "cost". A malformed answer is an error naming the offending field.
Expected<std::vector<Proposal>> ParseProposerAnswer(const std::string& text);

// Applies a proposal to its parent: the diff, the files (replacing those named) or the params.
Expected<Program> ApplyProposal(const Program& parent, const Proposal& p);

}  // namespace referee::search
