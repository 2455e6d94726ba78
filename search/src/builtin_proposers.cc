#include "referee/search/builtin_proposers.h"

#include <algorithm>
#include <random>

#include "referee/base/strings.h"
#include "referee/search/diff.h"
#include "referee/search/tunables.h"

namespace referee::search {
namespace {

Expected<std::vector<Tunable>> ParentTunables(const ProposalContext& ctx) {
  REFEREE_ASSIGN_OR_RETURN(std::vector<Tunable> t, FindTunables(ctx.parent.program));
  if (t.empty()) {
    return FailedPreconditionError(
        "the parent has no annotated tunables "
        "('# referee: tune NAME in [...]')");
  }
  return t;
}

Json Literal(const Tunable& t, size_t k) {
  Json params =
      CurrentParams({Tunable{t.name, t.values, t.file, t.line, t.values[k], static_cast<int>(k)}});
  return params[t.name];
}

ProposeResult One(Proposal p) {
  ProposeResult r;
  r.response =
      DumpJson({{"params", p.params ? *p.params : Json()}, {"rationale", p.rationale}}, -1);
  r.proposals.push_back(std::move(p));
  return r;
}

class TuneProposer final : public Proposer {
 public:
  std::string name() const override { return "tune"; }
  Expected<ProposeResult> Propose(const ProposalContext& ctx) override {
    REFEREE_ASSIGN_OR_RETURN(std::vector<Tunable> ts, ParentTunables(ctx));
    std::mt19937_64 rng(ctx.seed);
    std::vector<size_t> movable;
    for (size_t i = 0; i < ts.size(); ++i) {
      if (ts[i].values.size() > 1) movable.push_back(i);
    }
    if (movable.empty()) return FailedPreconditionError("every tunable has a single value");
    std::shuffle(movable.begin(), movable.end(), rng);
    size_t count = movable.size() > 1 && std::uniform_real_distribution<>(0, 1)(rng) < 0.3 ? 2 : 1;
    Proposal p;
    p.params = Json::object();
    std::vector<std::string> what;
    for (size_t c = 0; c < count; ++c) {
      const Tunable& t = ts[movable[c]];
      int n = static_cast<int>(t.values.size());
      int cur = t.current_index;
      int next;
      if (cur >= 0 && std::uniform_real_distribution<>(0, 1)(rng) < 0.5) {
        int step = (cur == 0 || (cur < n - 1 && rng() % 2)) ? 1 : -1;
        next = cur + step;
      } else {
        do {
          next = static_cast<int>(rng() % static_cast<uint64_t>(n));
        } while (next == cur);
      }
      (*p.params)[t.name] = Literal(t, static_cast<size_t>(next));
      what.push_back(t.name + " " + t.current + " -> " + t.values[static_cast<size_t>(next)]);
    }
    p.rationale = "tune: " + StrJoin(what, ", ");
    return One(std::move(p));
  }
};

class RandomProposer final : public Proposer {
 public:
  std::string name() const override { return "random"; }
  Expected<ProposeResult> Propose(const ProposalContext& ctx) override {
    REFEREE_ASSIGN_OR_RETURN(std::vector<Tunable> ts, ParentTunables(ctx));
    std::mt19937_64 rng(ctx.seed);
    Proposal p;
    p.params = Json::object();
    for (const Tunable& t : ts) {
      (*p.params)[t.name] = Literal(t, rng() % t.values.size());
    }
    p.rationale = "random assignment of every tunable";
    return One(std::move(p));
  }
};

class GridProposer final : public Proposer {
 public:
  std::string name() const override { return "grid"; }
  Expected<ProposeResult> Propose(const ProposalContext& ctx) override {
    REFEREE_ASSIGN_OR_RETURN(std::vector<Tunable> ts, ParentTunables(ctx));
    std::vector<size_t> idx(ts.size(), 0);
    std::string parent_hash = ProgramHash(ctx.parent.program);
    for (int visited = 0; visited < 100000; ++visited) {
      Json params = Json::object();
      for (size_t i = 0; i < ts.size(); ++i) params[ts[i].name] = Literal(ts[i], idx[i]);
      Expected<Program> child = ApplyParams(ctx.parent.program, params);
      if (child) {
        std::string h = ProgramHash(*child);
        bool known = h == parent_hash || (ctx.known_hashes && ctx.known_hashes->count(h));
        if (!known) {
          Proposal p;
          p.params = params;
          p.rationale = "grid point " + DumpJson(params, -1);
          return One(std::move(p));
        }
      }
      size_t i = ts.size();  // odometer increment, last tunable fastest
      while (i-- > 0) {
        if (++idx[i] < ts[i].values.size()) break;
        idx[i] = 0;
      }
      if (i == static_cast<size_t>(-1)) break;
    }
    return FailedPreconditionError("every point of the tunables' grid has been tried");
  }
};

Expected<const ProgramView*> Partner(const ProposalContext& ctx) {
  if (ctx.inspirations.empty()) {
    return FailedPreconditionError("no partner from another thread to combine with");
  }
  return &ctx.inspirations.front();
}

class CrossoverProposer final : public Proposer {
 public:
  std::string name() const override { return "crossover"; }
  bool needs_partner() const override { return true; }
  Expected<ProposeResult> Propose(const ProposalContext& ctx) override {
    REFEREE_ASSIGN_OR_RETURN(const ProgramView* partner, Partner(ctx));
    REFEREE_ASSIGN_OR_RETURN(std::vector<Tunable> mine, ParentTunables(ctx));
    REFEREE_ASSIGN_OR_RETURN(std::vector<Tunable> theirs, FindTunables(partner->program));
    std::mt19937_64 rng(ctx.seed);
    Proposal p;
    p.params = Json::object();
    std::vector<std::pair<std::string, std::string>> differing;
    for (const Tunable& t : mine) {
      for (const Tunable& o : theirs) {
        if (o.name == t.name && o.current != t.current && o.current_index >= 0) {
          differing.push_back({t.name, o.current});
        }
      }
    }
    if (differing.empty()) {
      return FailedPreconditionError("the parents agree on every tunable (nothing to cross)");
    }
    for (const auto& [name, value] : differing) {
      if (rng() % 2) (*p.params)[name] = CurrentParams({Tunable{name, {}, "", 0, value}})[name];
    }
    if (p.params->empty()) {  // uniform crossover that took nothing: take one gene
      const auto& [name, value] = differing[rng() % differing.size()];
      (*p.params)[name] = CurrentParams({Tunable{name, {}, "", 0, value}})[name];
    }
    p.rationale =
        StrFormat("crossover with candidate %lld: ", static_cast<long long>(partner->id)) +
        DumpJson(*p.params, -1);
    p.extra_parents = {partner->id};
    return One(std::move(p));
  }
};

class MergeProposer final : public Proposer {
 public:
  std::string name() const override { return "merge"; }
  bool needs_partner() const override { return true; }
  Expected<ProposeResult> Propose(const ProposalContext& ctx) override {
    REFEREE_ASSIGN_OR_RETURN(const ProgramView* partner, Partner(ctx));
    if (!ctx.ancestor) return FailedPreconditionError("no common ancestor to merge against");
    if (partner->program == ctx.parent.program) {
      return FailedPreconditionError("the branches are identical (nothing to merge)");
    }
    REFEREE_ASSIGN_OR_RETURN(
        Program merged, MergePrograms(ctx.ancestor->program, ctx.parent.program, partner->program));
    if (merged == ctx.parent.program || merged == partner->program) {
      return FailedPreconditionError("one branch already holds the other's changes");
    }
    Proposal p;
    p.files = merged.files;
    p.rationale =
        StrFormat("three-way merge of candidates %lld and %lld over %lld",
                  static_cast<long long>(ctx.parent.id), static_cast<long long>(partner->id),
                  static_cast<long long>(ctx.ancestor->id));
    p.extra_parents = {partner->id};
    ProposeResult r;
    r.response = ProgramDiff(ctx.parent.program, merged);
    r.proposals.push_back(std::move(p));
    return r;
  }
};

}  // namespace

bool IsBuiltinProposer(const std::string& name) {
  return name == "tune" || name == "random" || name == "grid" || name == "crossover" ||
         name == "merge";
}

std::unique_ptr<Proposer> MakeBuiltinProposer(const std::string& name) {
  if (name == "tune") return std::make_unique<TuneProposer>();
  if (name == "random") return std::make_unique<RandomProposer>();
  if (name == "grid") return std::make_unique<GridProposer>();
  if (name == "crossover") return std::make_unique<CrossoverProposer>();
  if (name == "merge") return std::make_unique<MergeProposer>();
  return nullptr;
}

}  // namespace referee::search
