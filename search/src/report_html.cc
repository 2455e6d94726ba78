// `referee search report --format html` (issue 14 item 3): the journal's facts gathered into
// one JSON document that search/report/search.js draws. Only extraction happens here; the
// page does the layout, so the data a reader sees is the data the journal holds.
#include <set>

#include "engine.h"
#include "html_page.h"
#include "referee/search/html_report.h"

namespace referee::search {
namespace {

// A page that stays usable for long searches: each diff and each sample list is capped.
constexpr size_t kMaxDiffBytes = 64 * 1024;
constexpr size_t kMaxSamples = 4000;

// The rule categories (the directories under rules/<language>/): a rule id is
// `<category>-<what>`, and the longest category that prefixes it names its group. A check of
// the harness (wrong-output, timer-tamper, ...) is a dynamic check.
std::string CategoryOf(const std::string& check, const std::string& stage) {
  static const char* const kCategories[] = {"data-leakage",
                                            "environment",
                                            "evaluation-tampering",
                                            "harness-tampering",
                                            "input-mutation",
                                            "input-specialization",
                                            "lazy-output",
                                            "output-caching",
                                            "persistent-state",
                                            "precision",
                                            "reference-fallback",
                                            "stale-memory",
                                            "timing",
                                            "variance-gaming"};
  if (stage != "audit" && stage != "re-audit") return "dynamic check";
  std::string best = "other rule";
  for (const char* c : kCategories) {
    std::string prefix = std::string(c) + "-";
    if (check.rfind(prefix, 0) == 0 && prefix.size() > best.size() + 1) best = c;
  }
  return best;
}

Json StageJson(const StageRecord& s) {
  return {{"stage", s.stage},
          {"attempt", s.attempt},
          {"status", s.status},
          {"check", s.check},
          {"reason", s.reason},
          {"hack", s.hack},
          {"metric", s.metric ? Json(*s.metric) : Json()},
          {"cost_s", s.cost_s},
          {"evaluations", s.evaluations},
          {"started", s.started},
          {"ended", s.ended}};
}

// The raw timing samples of the last eval report among the candidate's stages, by workload.
Json Samples(Engine& e, const std::vector<const StageRecord*>& stages) {
  for (auto it = stages.rbegin(); it != stages.rend(); ++it) {
    if ((*it)->report_blob.empty()) continue;
    Expected<std::string> text = e.journal().blobs().Get((*it)->report_blob);
    if (!text) continue;
    Expected<Json> r = ParseJson(*text, (*it)->report_blob);
    if (!r || !r->is_object() || JsonString(*r, "kind", "") != "eval") continue;
    if (!r->contains("workloads") || !(*r)["workloads"].is_array()) continue;
    Json out = {{"stage", (*it)->stage}, {"workloads", Json::array()}};
    for (const Json& w : (*r)["workloads"]) {
      if (!w.is_object() || !w.contains("samples_s") || !w["samples_s"].is_array()) continue;
      Json samples = Json::array();
      for (const Json& x : w["samples_s"]) {
        if (x.is_number() && samples.size() < kMaxSamples) samples.push_back(x);
      }
      out["workloads"].push_back({{"name", JsonString(w, "name", "")},
                                  {"sol_score", w.contains("sol_score") ? w["sol_score"] : Json()},
                                  {"samples_s", samples}});
    }
    return out;
  }
  return Json();
}

std::string Diff(Engine& e, const CandidateRecord& c) {
  if (c.diff_blob.empty()) return "";
  Expected<std::string> diff = e.journal().blobs().Get(c.diff_blob);
  if (!diff) return "(diff unreadable: " + diff.error().message() + ")";
  if (diff->size() <= kMaxDiffBytes) return *diff;
  return diff->substr(0, kMaxDiffBytes) + "\n… (diff truncated at 64 KiB)\n";
}

Json CandidateJson(Engine& e, const CandidateRecord& c, const std::set<int64_t>& hacked) {
  std::vector<const StageRecord*> stages = e.StagesOf(c.id);
  Json st = Json::array();
  for (const StageRecord* s : stages) st.push_back(StageJson(*s));
  Json parents = Json::array();
  for (int64_t p : c.parents) parents.push_back(p);
  return {{"id", c.id},
          {"thread", c.thread},
          {"parents", parents},
          {"proposer", c.proposer},
          {"round", c.round},
          {"generation", c.generation},
          {"status", c.status},
          {"quarantined", c.quarantined},
          {"tainted_by", c.tainted_by},
          {"hack", hacked.count(c.id) > 0},
          {"rationale", c.rationale},
          {"created", c.created},
          {"metrics", e.CandidateMetrics(c)},
          {"diff", Diff(e, c)},
          {"stages", st},
          {"samples", Samples(e, stages)}};
}

Json RuleHits(Engine& e) {
  Json hits = Json::array();
  for (const auto& [id, c] : e.candidates()) {
    for (const StageRecord* s : e.StagesOf(id)) {
      if (s->status != "fail" || s->check.empty()) continue;
      bool rule = s->stage == "audit" || s->stage == "re-audit";
      if (!rule && !s->hack) continue;  // a slow or broken candidate is not a rule hit
      hits.push_back({{"check", s->check},
                      {"category", CategoryOf(s->check, s->stage)},
                      {"stage", s->stage},
                      {"candidate", id},
                      {"hack", s->hack}});
    }
  }
  return hits;
}

Json Events(Engine& e) {
  Json events = Json::array();
  for (const DecisionRecord& d : e.decisions()) {
    events.push_back({{"kind", d.kind},
                      {"candidate", d.candidate},
                      {"thread", d.thread},
                      {"applied", d.applied},
                      {"verdict", d.verdict},
                      {"created", d.created}});
  }
  return events;
}

}  // namespace

Expected<std::string> SearchReportHtml(const std::string& dir) {
  REFEREE_RETURN_IF_ERROR(HtmlReportsAvailable());
  REFEREE_ASSIGN_OR_RETURN(Json report, SearchReport(dir));
  REFEREE_ASSIGN_OR_RETURN(std::unique_ptr<Engine> e, OpenEngine(dir));
  std::set<int64_t> hacked;
  for (const IncidentRecord& i : e->incidents()) hacked.insert(i.candidate);
  Json cands = Json::array();
  for (const auto& [id, c] : e->candidates()) cands.push_back(CandidateJson(*e, c, hacked));
  Json data = {{"kind", "search"},    {"report", report},     {"seed", e->seed_id()},
               {"candidates", cands}, {"events", Events(*e)}, {"rule_hits", RuleHits(*e)}};
  std::string task = JsonString(report, "task", "");
  std::string name = task.substr(task.find_last_of('/') + 1);
  return RenderPage("Referee search report: " + name, data, kSearchJs);
}

}  // namespace referee::search
