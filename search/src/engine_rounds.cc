// Engine: one round's proposals (one per thread, plus a merge every merge_every rounds), the
// patch gate and dedupe, and the end of a round (migration offers, stagnation resets).
// Proposals are idempotent per (round, thread, slot) and seeded by their sequence number, so
// a resumed search asks the same proposers the same questions.
#include <algorithm>

#include "engine.h"
#include "referee/base/strings.h"
#include "referee/search/builtin_proposers.h"
#include "referee/search/diff.h"
#include "referee/search/patch_gate.h"

namespace referee::search {
namespace {

constexpr size_t kMaxProposalsPerAnswer = 4;

bool HasProposal(const std::vector<ProposalRecord>& ps, int64_t round, int64_t thread,
                 const std::string& slot) {
  return std::any_of(ps.begin(), ps.end(), [&](const ProposalRecord& p) {
    return p.round == round && p.thread == thread && p.slot == slot;
  });
}

}  // namespace

Proposer* Engine::ChooseProposer(int64_t thread, const std::string& slot, std::mt19937_64& rng) {
  const std::vector<ProposerSpec>& specs = cfg_.proposers;
  if (slot == "combine") {
    for (const ProposerSpec& s : specs) {
      if (s.command.empty() && (s.name == "merge" || s.name == "crossover")) {
        return deps_.proposers.at(s.name);
      }
    }
    static std::unique_ptr<Proposer> merge = MakeBuiltinProposer("merge");
    return merge.get();
  }
  std::vector<const ProposerSpec*> usable;
  for (const ProposerSpec& s : specs) {
    Proposer* p = deps_.proposers.at(s.name);
    if (!p->needs_partner() || BestOtherIncumbent(thread)) usable.push_back(&s);
  }
  if (usable.empty()) return nullptr;
  std::vector<int64_t> search = SearchThreads();
  auto pos = std::find(search.begin(), search.end(), thread);
  if (cfg_.threads.assign == "per-thread" && pos != search.end()) {
    return deps_.proposers.at(specs[(pos - search.begin()) % specs.size()].name);
  }
  std::vector<double> w;
  for (const ProposerSpec* s : usable) w.push_back(std::max(s->weight, 0.0));
  std::discrete_distribution<size_t> pick(w.begin(), w.end());
  return deps_.proposers.at(usable[pick(rng)]->name);
}

Status Engine::ProposeMissing(int64_t round, bool baseline) {
  std::vector<int64_t> threads;
  for (const auto& [id, t] : threads_) {
    if ((t.kind == "baseline") == baseline) threads.push_back(id);
  }
  for (int64_t t : threads) {
    if (HasProposal(proposals_, round, t, "main")) continue;
    if (!ProposeStop().empty() || !HardStop().empty()) return OkStatus();
    REFEREE_RETURN_IF_ERROR(ProposeSlot(round, t, "main"));
  }
  int every = cfg_.threads.merge_every;
  if (baseline || every <= 0 || threads.size() < 2 || round % every != 0) return OkStatus();
  int64_t t = threads[static_cast<size_t>(round / every) % threads.size()];
  if (HasProposal(proposals_, round, t, "combine") || !BestOtherIncumbent(t)) return OkStatus();
  if (!ProposeStop().empty() || !HardStop().empty()) return OkStatus();
  return ProposeSlot(round, t, "combine");
}

Expected<ProposalContext> Engine::MakeContext(int64_t round, int64_t thread,
                                              const std::string& slot, int64_t seq,
                                              std::mt19937_64& rng) {
  ProposalContext ctx;
  ctx.seq = seq;
  ctx.thread = thread;
  ctx.round = round;
  ctx.seed = MixSeed(cfg_.seed ^ 0x5eedull, static_cast<uint64_t>(seq));
  ctx.editable_files = cfg_.editable;
  ctx.task_dir = cfg_.task_dir;
  ctx.known_hashes = &hashes_;
  if (slot == "combine") {
    int64_t partner = BestOtherIncumbent(thread);
    REFEREE_ASSIGN_OR_RETURN(ctx.parent, View(threads_.at(thread).incumbent));
    REFEREE_ASSIGN_OR_RETURN(ProgramView pv, View(partner));
    ctx.inspirations.push_back(std::move(pv));
    REFEREE_ASSIGN_OR_RETURN(ctx.ancestor, View(CommonAncestor(ctx.parent.id, partner)));
  } else {
    REFEREE_ASSIGN_OR_RETURN(ctx.parent, View(PickParent(thread, rng)));
    for (int64_t id : PickInspirations(thread, ctx.parent.id)) {
      REFEREE_ASSIGN_OR_RETURN(ProgramView v, View(id));
      ctx.inspirations.push_back(std::move(v));
    }
  }
  REFEREE_ASSIGN_OR_RETURN(ctx.request, BuildRequest(ctx, slot));
  return ctx;
}

// One proposal of an answer through ApplyProposal, the patch gate and dedupe; a new program
// is stored (blobs) and appended to `fresh`, anything else only explains itself in `why`.
Status Engine::Admit(const ProposalContext& ctx, const Proposal& p, const ProposalRecord& rec,
                     std::vector<CandidateRecord>& fresh, std::string& status, std::string& why,
                     int64_t& known) {
  Expected<Program> child = ApplyProposal(ctx.parent.program, p);
  if (!child) {
    status = "rejected";
    why = child.error().ToString();
    return OkStatus();
  }
  if (Status gate = CheckPatch(ctx.parent.program, *child, cfg_.gate); !gate.ok()) {
    status = "rejected";
    why = gate.ToString();
    return OkStatus();
  }
  std::string hash = ProgramHash(*child);
  bool dup = hashes_.count(hash) ||
             std::any_of(fresh.begin(), fresh.end(), [&](auto& c) { return c.hash == hash; });
  if (dup) {
    status = "duplicate";
    why = "the program is already in the journal (content hash " + hash.substr(0, 12) + ")";
    if (auto it = by_hash_.find(hash); it != by_hash_.end()) known = it->second;
    return OkStatus();
  }
  CandidateRecord c;
  c.hash = hash;
  c.thread = ctx.thread;
  c.parents = {ctx.parent.id};
  for (int64_t e : p.extra_parents) c.parents.push_back(e);
  c.proposer = rec.proposer;
  c.proposal = ctx.seq;
  c.rationale = p.rationale.substr(0, 2000);
  c.cost = p.cost;
  c.params = p.params ? *p.params : Json::object();
  c.round = ctx.round;
  c.generation = cands_.at(ctx.parent.id).generation + 1;
  c.created = NowUnix();
  REFEREE_ASSIGN_OR_RETURN(c.program_blob, StoreProgram(j_->blobs(), *child));
  REFEREE_ASSIGN_OR_RETURN(c.diff_blob, j_->blobs().Put(ProgramDiff(ctx.parent.program, *child)));
  fresh.push_back(std::move(c));
  status = "ok";
  return OkStatus();
}

// The proposal row and its candidates in one transaction, then the in-memory copies.
Status Engine::CommitProposal(ProposalRecord& rec, std::vector<CandidateRecord>& fresh) {
  Journal::Tx tx = j_->Begin();
  if (!fresh.empty()) rec.candidate = 0;
  for (CandidateRecord& c : fresh) {
    REFEREE_ASSIGN_OR_RETURN(c.id, j_->AddCandidate(c));
    if (!rec.candidate) rec.candidate = c.id;
  }
  REFEREE_ASSIGN_OR_RETURN(int64_t id, j_->AddProposal(rec));
  if (id != rec.id) return InternalError("proposal sequence out of step with the journal");
  REFEREE_RETURN_IF_ERROR(tx.Commit());
  proposals_.push_back(rec);
  proposer_usd_ += rec.cost.value("usd", 0.0);
  for (CandidateRecord& c : fresh) {
    hashes_.insert(c.hash);
    by_hash_[c.hash] = c.id;
    for (int64_t p : c.parents) children_[p]++;
    Emit(StrFormat("round %lld thread %lld: %s proposed candidate %lld (parent %lld): %s",
                   static_cast<long long>(rec.round), static_cast<long long>(rec.thread),
                   rec.proposer.c_str(), static_cast<long long>(c.id),
                   static_cast<long long>(c.parents.front()), c.rationale.substr(0, 120).c_str()));
    cands_[c.id] = std::move(c);
  }
  if (rec.status != "ok") {
    Emit(StrFormat("warning: proposal %lld (round %lld, thread %lld, %s) %s: %s",
                   static_cast<long long>(rec.id), static_cast<long long>(rec.round),
                   static_cast<long long>(rec.thread), rec.proposer.c_str(), rec.status.c_str(),
                   rec.reason.c_str()));
  }
  Update();
  return OkStatus();
}

Status Engine::ProposeSlot(int64_t round, int64_t thread, const std::string& slot) {
  int64_t seq = static_cast<int64_t>(proposals_.size()) + 1;
  std::mt19937_64 rng(MixSeed(cfg_.seed, static_cast<uint64_t>(seq)));
  Proposer* proposer = ChooseProposer(thread, slot, rng);
  REFEREE_ASSIGN_OR_RETURN(ProposalContext ctx, MakeContext(round, thread, slot, seq, rng));
  ProposalRecord rec;
  rec.id = seq;
  rec.round = round;
  rec.thread = thread;
  rec.slot = slot;
  rec.proposer = proposer ? proposer->name() : "none";
  rec.created = NowUnix();
  REFEREE_ASSIGN_OR_RETURN(rec.request_blob, j_->blobs().Put(DumpJson(ctx.request)));
  Expected<ProposeResult> answer =
      proposer ? proposer->Propose(ctx)
               : Expected<ProposeResult>(FailedPreconditionError("no usable proposer"));
  std::vector<CandidateRecord> fresh;
  if (!answer) {
    rec.status = "failed";
    rec.reason = answer.error().message();
    return CommitProposal(rec, fresh);
  }
  rec.wall_s = answer->wall_s;
  rec.cost = answer->cost;
  if (!answer->response.empty()) {
    REFEREE_ASSIGN_OR_RETURN(rec.response_blob, j_->blobs().Put(answer->response));
  }
  rec.status = "failed";
  rec.reason = "the answer holds no proposal";
  size_t n = std::min(answer->proposals.size(), kMaxProposalsPerAnswer);
  for (size_t k = 0; k < n; ++k) {
    std::string status, why;
    int64_t known = 0;
    REFEREE_RETURN_IF_ERROR(Admit(ctx, answer->proposals[k], rec, fresh, status, why, known));
    if (status == "ok") {
      rec.status = "ok";
      rec.reason.clear();
    } else if (fresh.empty() && (k == 0 || rec.status == "failed")) {
      rec.status = status;
      rec.reason = n > 1 ? StrFormat("proposal %zu: %s", k + 1, why.c_str()) : why;
      if (known) rec.candidate = known;  // a duplicate is a sample all the same (baseline)
    }
  }
  return CommitProposal(rec, fresh);
}

Status Engine::OfferMigrations(int64_t round) {
  std::vector<int64_t> ts = SearchThreads();
  int every = cfg_.threads.migrate_every;
  if (every <= 0 || ts.size() < 2 || round % every != 0) return OkStatus();
  for (size_t i = 0; i < ts.size(); ++i) {
    int64_t dest = ts[(i + 1) % ts.size()];
    const CandidateRecord& src = cands_.at(threads_.at(ts[i]).incumbent);
    const CandidateRecord& dst = cands_.at(threads_.at(dest).incumbent);
    if (src.hash == dst.hash || !Eligible(src) || Lcb(src) <= Lcb(dst)) continue;
    REFEREE_RETURN_IF_ERROR(Decide(Decision("offer", src.id, dest, "PENDING", dst.id, false,
                                            Json{{"from_thread", ts[i]}}, round)));
    Emit(StrFormat("round %lld: thread %lld's incumbent %lld offered to thread %lld",
                   static_cast<long long>(round), static_cast<long long>(ts[i]),
                   static_cast<long long>(src.id), static_cast<long long>(dest)));
  }
  return OkStatus();
}

Status Engine::ResetStagnant(int64_t round) {
  int limit = cfg_.threads.stagnation_rounds;
  if (limit <= 0) return OkStatus();
  for (int64_t t : SearchThreads()) {
    ThreadRecord& th = threads_.at(t);
    if (round - th.last_improved_round < limit) continue;
    int64_t best = 0;
    for (const auto& [id, c] : cands_) {
      auto k = threads_.find(c.thread);
      if (k == threads_.end() || k->second.kind != "search" || !Eligible(c)) continue;
      if (!best || Lcb(c) > Lcb(cands_.at(best))) best = id;
    }
    int64_t old = th.incumbent;
    if (!best || cands_.at(best).hash == cands_.at(old).hash) {
      th.last_improved_round = round;  // nothing better in the archive: wait another period
      REFEREE_RETURN_IF_ERROR(j_->UpdateThread(th));
      continue;
    }
    REFEREE_RETURN_IF_ERROR(
        Decide(Decision("reset", best, t, "STAGNANT", old, true,
                        Json{{"rounds_without_move", round - th.last_improved_round}}, round)));
    th.resets += 1;
    REFEREE_RETURN_IF_ERROR(SetIncumbent(t, best, round, true));
    Emit(StrFormat("round %lld: thread %lld stagnant, reset from %lld to the archive's %lld",
                   static_cast<long long>(round), static_cast<long long>(t),
                   static_cast<long long>(old), static_cast<long long>(best)));
  }
  return OkStatus();
}

Status Engine::EndRound(int64_t round) {
  Journal::Tx tx = j_->Begin();
  REFEREE_RETURN_IF_ERROR(OfferMigrations(round));
  REFEREE_RETURN_IF_ERROR(ResetStagnant(round));
  REFEREE_RETURN_IF_ERROR(j_->SetMeta("round", std::to_string(round + 1)));
  REFEREE_RETURN_IF_ERROR(tx.Commit());
  round_ = round + 1;
  return OkStatus();
}

}  // namespace referee::search
