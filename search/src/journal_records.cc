// Journal: typed reads and writes of each record (one statement per operation, cached).
#include <unistd.h>

#include "referee/search/journal.h"
#include "sqlite_db.h"

namespace referee::search {

double NowUnix();

namespace {

std::string J(const Json& j) { return DumpJson(j, -1); }

Json ParseOr(const std::string& text, Json fallback) {
  if (text.empty()) return fallback;
  Expected<Json> j = ParseJson(text, "journal");
  return j ? *j : fallback;
}

std::vector<int64_t> ParseIds(const std::string& text) {
  std::vector<int64_t> ids;
  Json j = ParseOr(text, Json::array());
  if (!j.is_array()) return ids;
  for (const Json& v : j) {
    if (v.is_number_integer()) ids.push_back(v.get<int64_t>());
  }
  return ids;
}

constexpr const char* kCandidateCols =
    "id, hash, thread, parents, proposer, proposal, rationale, cost, program_blob, diff_blob, "
    "params, round, generation, status, attempts, quarantined, tainted_by, metric, metric_se, "
    "sol_score, created";

// Binds every column but id from index 2 (id is 1 for updates, NULL for inserts).
void BindCandidate(Stmt& s, const CandidateRecord& c) {
  Json parents = Json::array();
  for (int64_t p : c.parents) parents.push_back(p);
  s.Bind(2, c.hash).Bind(3, c.thread).Bind(4, J(parents)).Bind(5, c.proposer);
  s.Bind(6, c.proposal).Bind(7, c.rationale).Bind(8, J(c.cost)).Bind(9, c.program_blob);
  s.Bind(10, c.diff_blob).Bind(11, J(c.params)).Bind(12, c.round).Bind(13, c.generation);
  s.Bind(14, c.status).Bind(15, c.attempts).Bind(16, c.quarantined ? 1 : 0);
  s.Bind(17, c.tainted_by).Bind(18, c.metric).Bind(19, c.metric_se).Bind(20, c.sol_score);
  s.Bind(21, c.created);
}

CandidateRecord ReadCandidate(const Stmt& s) {
  CandidateRecord c;
  c.id = s.Int(0);
  c.hash = s.Text(1);
  c.thread = s.Int(2);
  c.parents = ParseIds(s.Text(3));
  c.proposer = s.Text(4);
  c.proposal = s.Int(5);
  c.rationale = s.Text(6);
  c.cost = ParseOr(s.Text(7), Json::object());
  c.program_blob = s.Text(8);
  c.diff_blob = s.Text(9);
  c.params = ParseOr(s.Text(10), Json::object());
  c.round = s.Int(11);
  c.generation = static_cast<int>(s.Int(12));
  c.status = s.Text(13);
  c.attempts = static_cast<int>(s.Int(14));
  c.quarantined = s.Int(15) != 0;
  c.tainted_by = s.Int(16);
  c.metric = s.OptReal(17);
  c.metric_se = s.Real(18);
  c.sol_score = s.OptReal(19);
  c.created = s.Real(20);
  return c;
}

template <typename T, typename Read>
Expected<std::vector<T>> ReadAll(Stmt& s, Read read) {
  std::vector<T> out;
  while (true) {
    REFEREE_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(read(s));
  }
  s.Reset();
  return out;
}

}  // namespace

Expected<int64_t> Journal::AddCandidate(const CandidateRecord& c) {
  REFEREE_ASSIGN_OR_RETURN(Stmt * s,
                           db().Prepare(std::string("INSERT INTO candidates(") + kCandidateCols +
                                        ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  s->BindNull(1);
  BindCandidate(*s, c);
  REFEREE_RETURN_IF_ERROR(s->Run());
  return db().LastInsertId();
}

Status Journal::UpdateCandidate(const CandidateRecord& c) {
  REFEREE_ASSIGN_OR_RETURN(
      Stmt * s, db().Prepare("UPDATE candidates SET hash=?2, thread=?3, parents=?4, "
                             "proposer=?5, proposal=?6, rationale=?7, cost=?8, program_blob=?9, "
                             "diff_blob=?10, params=?11, round=?12, generation=?13, status=?14, "
                             "attempts=?15, quarantined=?16, tainted_by=?17, metric=?18, "
                             "metric_se=?19, sol_score=?20, created=?21 WHERE id=?1"));
  s->Bind(1, c.id);
  BindCandidate(*s, c);
  return s->Run();
}

Expected<std::vector<CandidateRecord>> Journal::Candidates() {
  REFEREE_ASSIGN_OR_RETURN(Stmt * s, db().Prepare(std::string("SELECT ") + kCandidateCols +
                                                  " FROM candidates ORDER BY id"));
  s->Reset();
  return ReadAll<CandidateRecord>(*s, ReadCandidate);
}

Expected<std::optional<CandidateRecord>> Journal::CandidateById(int64_t id) {
  REFEREE_ASSIGN_OR_RETURN(Stmt * s, db().Prepare(std::string("SELECT ") + kCandidateCols +
                                                  " FROM candidates WHERE id=?"));
  s->Bind(1, id);
  REFEREE_ASSIGN_OR_RETURN(std::vector<CandidateRecord> v,
                           ReadAll<CandidateRecord>(*s, ReadCandidate));
  if (v.empty()) return std::optional<CandidateRecord>();
  return std::optional<CandidateRecord>(v.front());
}

Expected<std::optional<CandidateRecord>> Journal::CandidateByHash(const std::string& hash) {
  REFEREE_ASSIGN_OR_RETURN(Stmt * s, db().Prepare(std::string("SELECT ") + kCandidateCols +
                                                  " FROM candidates WHERE hash=?"));
  s->Bind(1, hash);
  REFEREE_ASSIGN_OR_RETURN(std::vector<CandidateRecord> v,
                           ReadAll<CandidateRecord>(*s, ReadCandidate));
  if (v.empty()) return std::optional<CandidateRecord>();
  return std::optional<CandidateRecord>(v.front());
}

namespace {

constexpr const char* kStageCols =
    "id, candidate, stage, attempt, status, check_id, reason, hack, metric, metric_se, "
    "report_blob, cost_s, started, ended, session, timed_s, evaluations, job";

void BindStage(Stmt& s, const StageRecord& r) {
  s.Bind(2, r.candidate).Bind(3, r.stage).Bind(4, r.attempt).Bind(5, r.status);
  s.Bind(6, r.check).Bind(7, r.reason).Bind(8, r.hack ? 1 : 0).Bind(9, r.metric);
  s.Bind(10, r.metric_se).Bind(11, r.report_blob).Bind(12, r.cost_s).Bind(13, r.started);
  s.Bind(14, r.ended).Bind(15, r.session).Bind(16, r.timed_s).Bind(17, r.evaluations);
  s.Bind(18, r.job);
}

StageRecord ReadStage(const Stmt& s) {
  StageRecord r;
  r.id = s.Int(0);
  r.candidate = s.Int(1);
  r.stage = s.Text(2);
  r.attempt = static_cast<int>(s.Int(3));
  r.status = s.Text(4);
  r.check = s.Text(5);
  r.reason = s.Text(6);
  r.hack = s.Int(7) != 0;
  r.metric = s.OptReal(8);
  r.metric_se = s.Real(9);
  r.report_blob = s.Text(10);
  r.cost_s = s.Real(11);
  r.started = s.Real(12);
  r.ended = s.Real(13);
  r.session = s.Int(14);
  r.timed_s = s.Real(15);
  r.evaluations = static_cast<int>(s.Int(16));
  r.job = s.Text(17);
  return r;
}

}  // namespace

Expected<int64_t> Journal::AddStage(const StageRecord& r) {
  REFEREE_ASSIGN_OR_RETURN(Stmt * s, db().Prepare(std::string("INSERT INTO stages(") + kStageCols +
                                                  ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  s->BindNull(1);
  BindStage(*s, r);
  REFEREE_RETURN_IF_ERROR(s->Run());
  return db().LastInsertId();
}

Status Journal::UpdateStage(const StageRecord& r) {
  REFEREE_ASSIGN_OR_RETURN(
      Stmt * s, db().Prepare("UPDATE stages SET candidate=?2, stage=?3, attempt=?4, status=?5, "
                             "check_id=?6, reason=?7, hack=?8, metric=?9, metric_se=?10, "
                             "report_blob=?11, cost_s=?12, started=?13, ended=?14, session=?15, "
                             "timed_s=?16, evaluations=?17, job=?18 WHERE id=?1"));
  s->Bind(1, r.id);
  BindStage(*s, r);
  return s->Run();
}

Expected<std::vector<StageRecord>> Journal::Stages(int64_t candidate) {
  std::string sql = std::string("SELECT ") + kStageCols + " FROM stages" +
                    (candidate ? " WHERE candidate=? ORDER BY id" : " ORDER BY id");
  REFEREE_ASSIGN_OR_RETURN(Stmt * s, db().Prepare(sql));
  s->Reset();
  if (candidate) s->Bind(1, candidate);
  return ReadAll<StageRecord>(*s, ReadStage);
}

namespace {

constexpr const char* kDecisionCols =
    "id, candidate, thread, kind, verdict, baseline, applied, ratio, ci_low, ci_high, pairs, "
    "looks, alpha, delta, details, report_blob, round, created";

DecisionRecord ReadDecision(const Stmt& s) {
  DecisionRecord d;
  d.id = s.Int(0);
  d.candidate = s.Int(1);
  d.thread = s.Int(2);
  d.kind = s.Text(3);
  d.verdict = s.Text(4);
  d.baseline = s.Int(5);
  d.applied = s.Int(6) != 0;
  d.ratio = s.Real(7);
  d.ci_low = s.Real(8);
  d.ci_high = s.Real(9);
  d.pairs = static_cast<int>(s.Int(10));
  d.looks = static_cast<int>(s.Int(11));
  d.alpha = s.Real(12);
  d.delta = s.Real(13);
  d.details = ParseOr(s.Text(14), Json::object());
  d.report_blob = s.Text(15);
  d.round = s.Int(16);
  d.created = s.Real(17);
  return d;
}

}  // namespace

Expected<int64_t> Journal::AddDecision(const DecisionRecord& d) {
  REFEREE_ASSIGN_OR_RETURN(Stmt * s,
                           db().Prepare(std::string("INSERT INTO decisions(") + kDecisionCols +
                                        ") VALUES(NULL,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  s->Bind(1, d.candidate).Bind(2, d.thread).Bind(3, d.kind).Bind(4, d.verdict);
  s->Bind(5, d.baseline).Bind(6, d.applied ? 1 : 0).Bind(7, d.ratio).Bind(8, d.ci_low);
  s->Bind(9, d.ci_high).Bind(10, d.pairs).Bind(11, d.looks).Bind(12, d.alpha);
  s->Bind(13, d.delta).Bind(14, J(d.details)).Bind(15, d.report_blob).Bind(16, d.round);
  s->Bind(17, d.created ? d.created : NowUnix());
  REFEREE_RETURN_IF_ERROR(s->Run());
  return db().LastInsertId();
}

Expected<std::vector<DecisionRecord>> Journal::Decisions() {
  REFEREE_ASSIGN_OR_RETURN(Stmt * s, db().Prepare(std::string("SELECT ") + kDecisionCols +
                                                  " FROM decisions ORDER BY id"));
  s->Reset();
  return ReadAll<DecisionRecord>(*s, ReadDecision);
}

Expected<int64_t> Journal::AddIncident(const IncidentRecord& i) {
  REFEREE_ASSIGN_OR_RETURN(
      Stmt * s, db().Prepare("INSERT INTO incidents(id, candidate, stage, check_id, evidence, "
                             "report_blob, ruleset, created) VALUES(NULL,?,?,?,?,?,?,?)"));
  s->Bind(1, i.candidate).Bind(2, i.stage).Bind(3, i.check).Bind(4, i.evidence);
  s->Bind(5, i.report_blob).Bind(6, i.ruleset).Bind(7, i.created ? i.created : NowUnix());
  REFEREE_RETURN_IF_ERROR(s->Run());
  return db().LastInsertId();
}

Expected<std::vector<IncidentRecord>> Journal::Incidents() {
  REFEREE_ASSIGN_OR_RETURN(
      Stmt * s, db().Prepare("SELECT id, candidate, stage, check_id, evidence, report_blob, "
                             "ruleset, created FROM incidents ORDER BY id"));
  s->Reset();
  return ReadAll<IncidentRecord>(*s, [](const Stmt& q) {
    return IncidentRecord{q.Int(0),  q.Int(1),  q.Text(2), q.Text(3),
                          q.Text(4), q.Text(5), q.Text(6), q.Real(7)};
  });
}

namespace {

constexpr const char* kProposalCols =
    "id, round, thread, proposer, status, reason, request_blob, response_blob, cost, wall_s, "
    "candidate, created, slot";

void BindProposal(Stmt& s, const ProposalRecord& p) {
  s.Bind(2, p.round).Bind(3, p.thread).Bind(4, p.proposer).Bind(5, p.status);
  s.Bind(6, p.reason).Bind(7, p.request_blob).Bind(8, p.response_blob).Bind(9, J(p.cost));
  s.Bind(10, p.wall_s).Bind(11, p.candidate).Bind(12, p.created).Bind(13, p.slot);
}

}  // namespace

Expected<int64_t> Journal::AddProposal(const ProposalRecord& p) {
  REFEREE_ASSIGN_OR_RETURN(Stmt * s,
                           db().Prepare(std::string("INSERT INTO proposals(") + kProposalCols +
                                        ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)"));
  if (p.id) {
    s->Bind(1, p.id);
  } else {
    s->BindNull(1);
  }
  BindProposal(*s, p);
  REFEREE_RETURN_IF_ERROR(s->Run());
  return db().LastInsertId();
}

Status Journal::UpdateProposal(const ProposalRecord& p) {
  REFEREE_ASSIGN_OR_RETURN(
      Stmt * s, db().Prepare("UPDATE proposals SET round=?2, thread=?3, proposer=?4, status=?5, "
                             "reason=?6, request_blob=?7, response_blob=?8, cost=?9, wall_s=?10, "
                             "candidate=?11, created=?12, slot=?13 WHERE id=?1"));
  s->Bind(1, p.id);
  BindProposal(*s, p);
  return s->Run();
}

Expected<std::vector<ProposalRecord>> Journal::Proposals() {
  REFEREE_ASSIGN_OR_RETURN(Stmt * s, db().Prepare(std::string("SELECT ") + kProposalCols +
                                                  " FROM proposals ORDER BY id"));
  s->Reset();
  return ReadAll<ProposalRecord>(*s, [](const Stmt& q) {
    ProposalRecord p;
    p.id = q.Int(0);
    p.round = q.Int(1);
    p.thread = q.Int(2);
    p.proposer = q.Text(3);
    p.status = q.Text(4);
    p.reason = q.Text(5);
    p.request_blob = q.Text(6);
    p.response_blob = q.Text(7);
    p.cost = ParseOr(q.Text(8), Json::object());
    p.wall_s = q.Real(9);
    p.candidate = q.Int(10);
    p.created = q.Real(11);
    p.slot = q.Text(12);
    return p;
  });
}

Expected<int64_t> Journal::AddThread(const ThreadRecord& t) {
  REFEREE_ASSIGN_OR_RETURN(Stmt * s,
                           db().Prepare("INSERT INTO threads(id, kind, incumbent, created_round, "
                                        "last_improved_round, resets) VALUES(NULL,?,?,?,?,?)"));
  s->Bind(1, t.kind).Bind(2, t.incumbent).Bind(3, t.created_round);
  s->Bind(4, t.last_improved_round).Bind(5, t.resets);
  REFEREE_RETURN_IF_ERROR(s->Run());
  return db().LastInsertId();
}

Status Journal::UpdateThread(const ThreadRecord& t) {
  REFEREE_ASSIGN_OR_RETURN(
      Stmt * s, db().Prepare("UPDATE threads SET kind=?2, incumbent=?3, created_round=?4, "
                             "last_improved_round=?5, resets=?6 WHERE id=?1"));
  s->Bind(1, t.id).Bind(2, t.kind).Bind(3, t.incumbent).Bind(4, t.created_round);
  s->Bind(5, t.last_improved_round).Bind(6, t.resets);
  return s->Run();
}

Expected<std::vector<ThreadRecord>> Journal::Threads() {
  REFEREE_ASSIGN_OR_RETURN(
      Stmt * s, db().Prepare("SELECT id, kind, incumbent, created_round, last_improved_round, "
                             "resets FROM threads ORDER BY id"));
  s->Reset();
  return ReadAll<ThreadRecord>(*s, [](const Stmt& q) {
    return ThreadRecord{q.Int(0), q.Text(1), q.Int(2),
                        q.Int(3), q.Int(4),  static_cast<int>(q.Int(5))};
  });
}

Expected<int64_t> Journal::StartSession(const std::string& command) {
  REFEREE_ASSIGN_OR_RETURN(Stmt * s, db().Prepare("INSERT INTO sessions(id, started, pid, command) "
                                                  "VALUES(NULL,?,?,?)"));
  s->Bind(1, NowUnix()).Bind(2, static_cast<int64_t>(getpid())).Bind(3, command);
  REFEREE_RETURN_IF_ERROR(s->Run());
  return db().LastInsertId();
}

Status Journal::EndSession(int64_t id, const std::string& stop_reason) {
  REFEREE_ASSIGN_OR_RETURN(Stmt * s,
                           db().Prepare("UPDATE sessions SET ended=?, stop_reason=? WHERE id=?"));
  return s->Bind(1, NowUnix()).Bind(2, stop_reason).Bind(3, id).Run();
}

Expected<std::vector<SessionRecord>> Journal::Sessions() {
  REFEREE_ASSIGN_OR_RETURN(Stmt * s,
                           db().Prepare("SELECT id, started, ended, pid, command, stop_reason FROM "
                                        "sessions ORDER BY id"));
  s->Reset();
  return ReadAll<SessionRecord>(*s, [](const Stmt& q) {
    SessionRecord r;
    r.id = q.Int(0);
    r.started = q.Real(1);
    r.ended = q.IsNull(2) ? 0 : q.Real(2);
    r.pid = q.Int(3);
    r.command = q.Text(4);
    r.stop_reason = q.Text(5);
    return r;
  });
}

}  // namespace referee::search
