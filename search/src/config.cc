#include "referee/search/config.h"

namespace referee::search {
namespace {

// Reads j[key] into `out` when present; a type mismatch is an error naming the key.
template <typename T>
Status Get(const Json& j, const char* key, T& out, const std::string& where) {
  if (!j.contains(key)) return OkStatus();
  try {
    out = j.at(key).get<T>();
  } catch (const std::exception& e) {
    return InvalidArgumentError("search config: " + where + key + ": wrong type");
  }
  return OkStatus();
}

Status CheckKeys(const Json& j, std::initializer_list<const char*> known,
                 const std::string& where) {
  if (!j.is_object()) return InvalidArgumentError("search config: " + where + " is not an object");
  for (const auto& [k, v] : j.items()) {
    bool ok = false;
    for (const char* n : known) ok = ok || k == n;
    if (!ok) return InvalidArgumentError("search config: unknown key '" + where + k + "'");
  }
  return OkStatus();
}

Status ReadBudget(const Json& j, BudgetLimits& b) {
  REFEREE_RETURN_IF_ERROR(CheckKeys(j,
                                    {"max_candidates", "max_proposals", "max_evaluations",
                                     "max_rounds", "max_wall_s", "max_judge_s", "max_proposer_usd"},
                                    "budget."));
  REFEREE_RETURN_IF_ERROR(Get(j, "max_candidates", b.max_candidates, "budget."));
  REFEREE_RETURN_IF_ERROR(Get(j, "max_proposals", b.max_proposals, "budget."));
  REFEREE_RETURN_IF_ERROR(Get(j, "max_evaluations", b.max_evaluations, "budget."));
  REFEREE_RETURN_IF_ERROR(Get(j, "max_rounds", b.max_rounds, "budget."));
  REFEREE_RETURN_IF_ERROR(Get(j, "max_wall_s", b.max_wall_s, "budget."));
  REFEREE_RETURN_IF_ERROR(Get(j, "max_judge_s", b.max_judge_s, "budget."));
  return Get(j, "max_proposer_usd", b.max_proposer_usd, "budget.");
}

Status ReadExecutor(const Json& j, ExecutorOptions& x) {
  REFEREE_RETURN_IF_ERROR(CheckKeys(j,
                                    {"kind", "slots", "gpus", "partition", "gres", "sbatch_args",
                                     "max_array", "requeue", "poll_s"},
                                    "executor."));
  REFEREE_RETURN_IF_ERROR(Get(j, "kind", x.kind, "executor."));
  REFEREE_RETURN_IF_ERROR(Get(j, "slots", x.slots, "executor."));
  REFEREE_RETURN_IF_ERROR(Get(j, "gpus", x.gpus, "executor."));
  REFEREE_RETURN_IF_ERROR(Get(j, "partition", x.partition, "executor."));
  REFEREE_RETURN_IF_ERROR(Get(j, "gres", x.gres, "executor."));
  REFEREE_RETURN_IF_ERROR(Get(j, "sbatch_args", x.sbatch_args, "executor."));
  REFEREE_RETURN_IF_ERROR(Get(j, "max_array", x.max_array, "executor."));
  REFEREE_RETURN_IF_ERROR(Get(j, "requeue", x.requeue, "executor."));
  REFEREE_RETURN_IF_ERROR(Get(j, "poll_s", x.poll_s, "executor."));
  if (x.kind != "local" && x.kind != "slurm") {
    return InvalidArgumentError("search config: executor.kind is local or slurm");
  }
  if (x.slots < 1 || x.slots > 1024 || x.max_array < 1 || x.requeue < 0 || x.poll_s <= 0) {
    return InvalidArgumentError("search config: executor: slots in [1, 1024], max_array >= 1, "
                                "requeue >= 0, poll_s > 0");
  }
  if (!x.gpus.empty()) x.slots = static_cast<int>(x.gpus.size());
  return OkStatus();
}

Status ReadCascade(const Json& j, CascadeOptions& c) {
  REFEREE_RETURN_IF_ERROR(
      CheckKeys(j,
                {"alpha", "confirm_alpha", "delta", "screen_slack", "screen_keep", "screen_eta",
                 "audit_fail_on", "reexecute_best", "max_attempts"},
                "cascade."));
  REFEREE_RETURN_IF_ERROR(Get(j, "alpha", c.alpha, "cascade."));
  REFEREE_RETURN_IF_ERROR(Get(j, "confirm_alpha", c.confirm_alpha, "cascade."));
  REFEREE_RETURN_IF_ERROR(Get(j, "delta", c.delta, "cascade."));
  REFEREE_RETURN_IF_ERROR(Get(j, "screen_slack", c.screen_slack, "cascade."));
  REFEREE_RETURN_IF_ERROR(Get(j, "screen_keep", c.screen_keep, "cascade."));
  REFEREE_RETURN_IF_ERROR(Get(j, "screen_eta", c.screen_eta, "cascade."));
  REFEREE_RETURN_IF_ERROR(Get(j, "audit_fail_on", c.audit_fail_on, "cascade."));
  REFEREE_RETURN_IF_ERROR(Get(j, "reexecute_best", c.reexecute_best, "cascade."));
  REFEREE_RETURN_IF_ERROR(Get(j, "max_attempts", c.max_attempts, "cascade."));
  if (c.alpha <= 0 || c.alpha >= 1 || c.confirm_alpha <= 0 || c.confirm_alpha >= 1) {
    return InvalidArgumentError("search config: alpha must be in (0, 1)");
  }
  if (c.audit_fail_on != "error" && c.audit_fail_on != "warning") {
    return InvalidArgumentError("search config: cascade.audit_fail_on is error or warning");
  }
  if (c.screen_keep < 1 || c.screen_eta < 2 || c.max_attempts < 1) {
    return InvalidArgumentError(
        "search config: screen_keep >= 1, screen_eta >= 2, "
        "max_attempts >= 1");
  }
  return OkStatus();
}

Status ReadThreads(const Json& j, ThreadOptions& t) {
  REFEREE_RETURN_IF_ERROR(CheckKeys(j,
                                    {"threads", "assign", "migrate_every", "merge_every",
                                     "stagnation_rounds", "inspirations", "exploit", "history"},
                                    "threads."));
  REFEREE_RETURN_IF_ERROR(Get(j, "threads", t.threads, "threads."));
  REFEREE_RETURN_IF_ERROR(Get(j, "assign", t.assign, "threads."));
  REFEREE_RETURN_IF_ERROR(Get(j, "migrate_every", t.migrate_every, "threads."));
  REFEREE_RETURN_IF_ERROR(Get(j, "merge_every", t.merge_every, "threads."));
  REFEREE_RETURN_IF_ERROR(Get(j, "stagnation_rounds", t.stagnation_rounds, "threads."));
  REFEREE_RETURN_IF_ERROR(Get(j, "inspirations", t.inspirations, "threads."));
  REFEREE_RETURN_IF_ERROR(Get(j, "exploit", t.exploit, "threads."));
  REFEREE_RETURN_IF_ERROR(Get(j, "history", t.history, "threads."));
  if (t.threads < 1 || t.threads > 64) {
    return InvalidArgumentError("search config: threads.threads must be 1..64");
  }
  if (t.assign != "mixed" && t.assign != "per-thread") {
    return InvalidArgumentError("search config: threads.assign is mixed or per-thread");
  }
  return OkStatus();
}

}  // namespace

Json SearchConfig::ToJson() const {
  Json props = Json::array();
  for (const ProposerSpec& p : proposers) {
    props.push_back({{"name", p.name}, {"command", p.command}, {"weight", p.weight}});
  }
  return {
      {"task_dir", task_dir},
      {"entry", entry},
      {"editable", editable},
      {"proposers", props},
      {"budget",
       {{"max_candidates", budget.max_candidates},
        {"max_proposals", budget.max_proposals},
        {"max_evaluations", budget.max_evaluations},
        {"max_rounds", budget.max_rounds},
        {"max_wall_s", budget.max_wall_s},
        {"max_judge_s", budget.max_judge_s},
        {"max_proposer_usd", budget.max_proposer_usd}}},
      {"cascade",
       {{"alpha", cascade.alpha},
        {"confirm_alpha", cascade.confirm_alpha},
        {"delta", cascade.delta},
        {"screen_slack", cascade.screen_slack},
        {"screen_keep", cascade.screen_keep},
        {"screen_eta", cascade.screen_eta},
        {"audit_fail_on", cascade.audit_fail_on},
        {"reexecute_best", cascade.reexecute_best},
        {"max_attempts", cascade.max_attempts}}},
      {"threads",
       {{"threads", threads.threads},
        {"assign", threads.assign},
        {"migrate_every", threads.migrate_every},
        {"merge_every", threads.merge_every},
        {"stagnation_rounds", threads.stagnation_rounds},
        {"inspirations", threads.inspirations},
        {"exploit", threads.exploit},
        {"history", threads.history}}},
      {"gate",
       {{"max_file_bytes", gate.max_file_bytes}, {"max_changed_lines", gate.max_changed_lines}}},
      {"seed", seed},
      {"judge", judge},
      {"device", device},
      {"mode", mode},
      {"sandbox", sandbox},
      {"quick", quick},
      {"call_timeout_s", call_timeout_s},
      {"proposer_sandbox", proposer_sandbox},
      {"proposer_timeout_s", proposer_timeout_s},
      {"allow_env", allow_env},
      {"rule_dirs", rule_dirs},
      {"calibration", calibration},
      {"hot_repeat", hot_repeat},
      {"memory", memory},
      {"time_reference", time_reference},
      {"executor", executor.ToJson()}};
}

Json ExecutorOptions::ToJson() const {
  return {{"kind", kind},         {"slots", slots},         {"gpus", gpus},
          {"partition", partition}, {"gres", gres},         {"sbatch_args", sbatch_args},
          {"max_array", max_array}, {"requeue", requeue},   {"poll_s", poll_s}};
}

Expected<SearchConfig> ConfigFromJson(const Json& j) {
  SearchConfig c;
  REFEREE_RETURN_IF_ERROR(CheckKeys(j,
                                    {"task_dir",
                                     "entry",
                                     "editable",
                                     "proposers",
                                     "budget",
                                     "cascade",
                                     "threads",
                                     "gate",
                                     "seed",
                                     "judge",
                                     "device",
                                     "mode",
                                     "sandbox",
                                     "quick",
                                     "call_timeout_s",
                                     "proposer_sandbox",
                                     "proposer_timeout_s",
                                     "allow_env",
                                     "rule_dirs",
                                     "calibration",
                                     "hot_repeat",
                                     "memory",
                                     "time_reference",
                                     "executor"},
                                    ""));
  REFEREE_RETURN_IF_ERROR(Get(j, "task_dir", c.task_dir, ""));
  REFEREE_RETURN_IF_ERROR(Get(j, "entry", c.entry, ""));
  REFEREE_RETURN_IF_ERROR(Get(j, "editable", c.editable, ""));
  if (j.contains("proposers")) {
    if (!j["proposers"].is_array()) return InvalidArgumentError("search config: proposers");
    for (const Json& p : j["proposers"]) {
      REFEREE_RETURN_IF_ERROR(CheckKeys(p, {"name", "command", "weight"}, "proposers[]."));
      ProposerSpec s;
      REFEREE_RETURN_IF_ERROR(Get(p, "name", s.name, "proposers[]."));
      REFEREE_RETURN_IF_ERROR(Get(p, "command", s.command, "proposers[]."));
      REFEREE_RETURN_IF_ERROR(Get(p, "weight", s.weight, "proposers[]."));
      c.proposers.push_back(s);
    }
  }
  if (j.contains("budget")) REFEREE_RETURN_IF_ERROR(ReadBudget(j["budget"], c.budget));
  if (j.contains("cascade")) REFEREE_RETURN_IF_ERROR(ReadCascade(j["cascade"], c.cascade));
  if (j.contains("threads")) REFEREE_RETURN_IF_ERROR(ReadThreads(j["threads"], c.threads));
  if (j.contains("gate")) {
    REFEREE_RETURN_IF_ERROR(CheckKeys(j["gate"], {"max_file_bytes", "max_changed_lines"}, "gate."));
    REFEREE_RETURN_IF_ERROR(Get(j["gate"], "max_file_bytes", c.gate.max_file_bytes, "gate."));
    REFEREE_RETURN_IF_ERROR(Get(j["gate"], "max_changed_lines", c.gate.max_changed_lines, "gate."));
  }
  REFEREE_RETURN_IF_ERROR(Get(j, "seed", c.seed, ""));
  REFEREE_RETURN_IF_ERROR(Get(j, "judge", c.judge, ""));
  REFEREE_RETURN_IF_ERROR(Get(j, "device", c.device, ""));
  REFEREE_RETURN_IF_ERROR(Get(j, "mode", c.mode, ""));
  REFEREE_RETURN_IF_ERROR(Get(j, "sandbox", c.sandbox, ""));
  REFEREE_RETURN_IF_ERROR(Get(j, "quick", c.quick, ""));
  REFEREE_RETURN_IF_ERROR(Get(j, "call_timeout_s", c.call_timeout_s, ""));
  REFEREE_RETURN_IF_ERROR(Get(j, "hot_repeat", c.hot_repeat, ""));
  REFEREE_RETURN_IF_ERROR(Get(j, "memory", c.memory, ""));
  REFEREE_RETURN_IF_ERROR(Get(j, "time_reference", c.time_reference, ""));
  REFEREE_RETURN_IF_ERROR(Get(j, "proposer_sandbox", c.proposer_sandbox, ""));
  REFEREE_RETURN_IF_ERROR(Get(j, "proposer_timeout_s", c.proposer_timeout_s, ""));
  REFEREE_RETURN_IF_ERROR(Get(j, "allow_env", c.allow_env, ""));
  REFEREE_RETURN_IF_ERROR(Get(j, "rule_dirs", c.rule_dirs, ""));
  REFEREE_RETURN_IF_ERROR(Get(j, "calibration", c.calibration, ""));
  if (j.contains("executor")) REFEREE_RETURN_IF_ERROR(ReadExecutor(j["executor"], c.executor));
  if (c.mode != "cold" && c.mode != "hot") {
    return InvalidArgumentError("search config: mode is cold or hot");
  }
  if (c.device != "cpu" && c.device.rfind("cuda", 0) != 0) {
    return InvalidArgumentError("search config: device is cpu, cuda or cuda:N");
  }
  for (const std::string* v : {&c.sandbox, &c.proposer_sandbox}) {
    if (*v != "auto" && *v != "on" && *v != "off") {
      return InvalidArgumentError("search config: sandbox settings are auto, on or off");
    }
  }
  if (c.judge != "harness" && c.judge != "fake") {
    return InvalidArgumentError("search config: judge is harness or fake");
  }
  if (c.editable.empty() && !c.entry.empty()) c.editable = {c.entry};
  c.gate.editable_files = c.editable;
  return c;
}

}  // namespace referee::search
