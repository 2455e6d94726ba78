// `referee search export`: one journal table as CSV or JSONL (issue 19 item 8).
#include "engine.h"
#include "referee/base/strings.h"

namespace referee::search {
namespace {

Json Ids(const std::vector<int64_t>& v) {
  Json a = Json::array();
  for (int64_t x : v) a.push_back(x);
  return a;
}

std::string CsvField(const Json& v) {
  std::string s = v.is_string() ? v.get<std::string>() : v.is_null() ? "" : DumpJson(v, -1);
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

Expected<std::vector<Json>> Rows(Engine& e, const std::string& table) {
  std::vector<Json> rows;
  if (table == "candidates") {
    for (const auto& [id, c] : e.candidates()) {
      rows.push_back({{"id", id},
                      {"thread", c.thread},
                      {"parents", Ids(c.parents)},
                      {"proposer", c.proposer},
                      {"proposal", c.proposal},
                      {"round", c.round},
                      {"generation", c.generation},
                      {"status", c.status},
                      {"quarantined", c.quarantined},
                      {"tainted_by", c.tainted_by},
                      {"metric_s", c.metric ? Json(*c.metric) : Json()},
                      {"metric_se", c.metric_se},
                      {"sol_score", c.sol_score ? Json(*c.sol_score) : Json()},
                      {"hash", c.hash},
                      {"rationale", c.rationale},
                      {"cost", c.cost},
                      {"program_blob", c.program_blob},
                      {"diff_blob", c.diff_blob}});
    }
  } else if (table == "stages") {
    REFEREE_ASSIGN_OR_RETURN(std::vector<StageRecord> stages, e.journal().Stages());
    for (const StageRecord& s : stages) {
      rows.push_back({{"id", s.id},
                      {"candidate", s.candidate},
                      {"stage", s.stage},
                      {"attempt", s.attempt},
                      {"status", s.status},
                      {"check", s.check},
                      {"reason", s.reason},
                      {"hack", s.hack},
                      {"metric", s.metric ? Json(*s.metric) : Json()},
                      {"cost_s", s.cost_s},
                      {"timed_s", s.timed_s},
                      {"evaluations", s.evaluations},
                      {"started", s.started},
                      {"ended", s.ended},
                      {"session", s.session},
                      {"report_blob", s.report_blob},
                      {"job", s.job}});
    }
  } else if (table == "decisions") {
    for (const DecisionRecord& d : e.decisions()) {
      rows.push_back({{"id", d.id},
                      {"round", d.round},
                      {"kind", d.kind},
                      {"candidate", d.candidate},
                      {"thread", d.thread},
                      {"verdict", d.verdict},
                      {"baseline", d.baseline},
                      {"applied", d.applied},
                      {"ratio", d.ratio},
                      {"ci_low", d.ci_low},
                      {"ci_high", d.ci_high},
                      {"pairs", d.pairs},
                      {"looks", d.looks},
                      {"alpha", d.alpha},
                      {"delta", d.delta},
                      {"details", d.details},
                      {"report_blob", d.report_blob}});
    }
  } else if (table == "incidents") {
    for (const IncidentRecord& i : e.incidents()) {
      rows.push_back({{"id", i.id},
                      {"candidate", i.candidate},
                      {"stage", i.stage},
                      {"check", i.check},
                      {"evidence", i.evidence},
                      {"ruleset", i.ruleset},
                      {"created", i.created},
                      {"report_blob", i.report_blob}});
    }
  } else if (table == "proposals") {
    for (const ProposalRecord& p : e.proposals()) {
      rows.push_back({{"id", p.id},
                      {"round", p.round},
                      {"thread", p.thread},
                      {"slot", p.slot},
                      {"proposer", p.proposer},
                      {"status", p.status},
                      {"reason", p.reason},
                      {"candidate", p.candidate},
                      {"wall_s", p.wall_s},
                      {"cost", p.cost},
                      {"request_blob", p.request_blob},
                      {"response_blob", p.response_blob}});
    }
  } else {
    return InvalidArgumentError("unknown table '" + table +
                                "' (candidates, stages, decisions, incidents, proposals)");
  }
  return rows;
}

}  // namespace

Expected<std::string> ExportSearch(const std::string& dir, const std::string& table,
                                   const std::string& format) {
  if (format != "csv" && format != "jsonl") {
    return InvalidArgumentError("--format is csv or jsonl");
  }
  REFEREE_ASSIGN_OR_RETURN(std::unique_ptr<Engine> e, OpenEngine(dir));
  REFEREE_ASSIGN_OR_RETURN(std::vector<Json> rows, Rows(*e, table));
  std::string out;
  if (format == "jsonl") {
    for (const Json& r : rows) out += DumpJson(r, -1) + "\n";
    return out;
  }
  if (rows.empty()) return out;
  std::vector<std::string> header;
  for (const auto& [k, v] : rows.front().items()) header.push_back(k);
  out += StrJoin(header, ",") + "\n";
  for (const Json& r : rows) {
    std::vector<std::string> fields;
    for (const std::string& k : header) fields.push_back(CsvField(r[k]));
    out += StrJoin(fields, ",") + "\n";
  }
  return out;
}

}  // namespace referee::search
