#include "referee/training/task.h"

#include <cmath>
#include <filesystem>
#include <set>

#include "referee/base/closest_name.h"
#include "referee/base/file.h"
#include "referee/base/json.h"
#include "referee/base/strings.h"

namespace referee::training {
namespace {

namespace fs = std::filesystem;
using Path = std::vector<std::string>;

// The file being read and where we are in it, for located errors.
struct Ctx {
  const std::string& text;
  const std::string& path;
  Status Error(const Path& at, const std::string& message) const {
    return InvalidArgumentError(message, LocateJsonKey(text, path, at));
  }
};

std::string Dotted(const Path& p) { return StrJoin(p, "."); }

Path Child(const Path& p, const std::string& key) {
  Path out = p;
  out.push_back(key);
  return out;
}

Status CheckKeys(const Json& obj, const Path& at, const std::set<std::string>& allowed,
                 const Ctx& ctx) {
  if (!obj.is_object()) return ctx.Error(at, "'" + Dotted(at) + "' must be an object");
  for (const auto& [key, value] : obj.items()) {
    if (!allowed.count(key)) {
      std::string_view best = ClosestName(key, allowed);
      std::string near = best.empty() ? "" : " (did you mean '" + std::string(best) + "'?)";
      return ctx.Error(Child(at, key), "unknown field '" + key + "'" + near);
    }
  }
  return OkStatus();
}

// Optional typed fields: absent -> the default is kept.
Status GetString(const Json& obj, const Path& at, const std::string& key, std::string* out,
                 const Ctx& ctx) {
  if (!obj.contains(key)) return OkStatus();
  if (!obj[key].is_string()) return ctx.Error(Child(at, key), "'" + key + "' must be a string");
  *out = obj[key].get<std::string>();
  return OkStatus();
}

Status GetNumber(const Json& obj, const Path& at, const std::string& key, double* out,
                 const Ctx& ctx, double min, double max) {
  if (!obj.contains(key)) return OkStatus();
  const Json& v = obj[key];
  if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < min ||
      v.get<double>() > max) {
    return ctx.Error(Child(at, key), StrFormat("'%s' must be a number in [%g, %g]", key.c_str(),
                                               min, max));
  }
  *out = v.get<double>();
  return OkStatus();
}

template <typename Int>
Status GetInt(const Json& obj, const Path& at, const std::string& key, Int* out, const Ctx& ctx,
              double min, double max) {
  double v = static_cast<double>(*out);
  REFEREE_RETURN_IF_ERROR(GetNumber(obj, at, key, &v, ctx, min, max));
  if (obj.contains(key) && v != std::floor(v)) {
    return ctx.Error(Child(at, key), "'" + key + "' must be a whole number");
  }
  *out = static_cast<Int>(v);
  return OkStatus();
}

Status GetStrings(const Json& obj, const Path& at, const std::string& key,
                  std::vector<std::string>* out, const Ctx& ctx) {
  if (!obj.contains(key)) return OkStatus();
  const Json& v = obj[key];
  if (!v.is_array()) return ctx.Error(Child(at, key), "'" + key + "' must be a list of strings");
  out->clear();
  for (const Json& e : v) {
    if (!e.is_string() || e.get<std::string>().empty()) {
      return ctx.Error(Child(at, key), "'" + key + "' must be a list of non-empty strings");
    }
    out->push_back(e.get<std::string>());
  }
  return OkStatus();
}

// A path inside the task dir: relative, no "..", the file exists.
Status CheckTaskFile(const std::string& dir, const std::string& rel, const Path& at,
                     const Ctx& ctx) {
  if (rel.empty() || rel[0] == '/' || rel.find("..") != std::string::npos) {
    return ctx.Error(at, "'" + rel + "' must be a path inside the task directory");
  }
  std::error_code ec;
  if (!fs::is_regular_file(fs::path(dir) / rel, ec)) {
    return ctx.Error(at, "'" + rel + "' does not exist in the task directory");
  }
  return OkStatus();
}

Status ParseSplit(const Json& data, const std::string& name, DataSplit* split, const Ctx& ctx) {
  Path at = {"data", name};
  split->loc = LocateJsonKey(ctx.text, ctx.path, at);
  if (!data.contains(name)) return OkStatus();
  const Json& j = data[name];
  REFEREE_RETURN_IF_ERROR(CheckKeys(j, at, {"files", "max_bytes", "sha256"}, ctx));
  REFEREE_RETURN_IF_ERROR(GetStrings(j, at, "files", &split->files, ctx));
  if (split->files.empty()) return ctx.Error(at, "data split '" + name + "' lists no files");
  REFEREE_RETURN_IF_ERROR(GetInt(j, at, "max_bytes", &split->max_bytes, ctx, 0, 1e12));
  REFEREE_RETURN_IF_ERROR(GetString(j, at, "sha256", &split->sha256, ctx));
  if (!split->sha256.empty() &&
      (split->sha256.size() != 64 ||
       split->sha256.find_first_not_of("0123456789abcdef") != std::string::npos)) {
    return ctx.Error(Child(at, "sha256"), "'sha256' must be 64 lowercase hex digits");
  }
  return OkStatus();
}

Status ParseData(const Json& root, TrainingTask& t, const Ctx& ctx) {
  if (!root.contains("data")) return ctx.Error({}, "missing field 'data'");
  const Json& d = root["data"];
  REFEREE_RETURN_IF_ERROR(CheckKeys(d, {"data"}, {"train", "holdout", "validation"}, ctx));
  REFEREE_RETURN_IF_ERROR(ParseSplit(d, "train", &t.train, ctx));
  REFEREE_RETURN_IF_ERROR(ParseSplit(d, "holdout", &t.holdout, ctx));
  REFEREE_RETURN_IF_ERROR(ParseSplit(d, "validation", &t.validation, ctx));
  if (!t.train.declared()) return ctx.Error({"data"}, "missing data split 'train'");
  if (!t.validation.declared()) return ctx.Error({"data"}, "missing data split 'validation'");
  return OkStatus();
}

Status ParseMetric(const Json& root, TrainingTask& t, const Ctx& ctx) {
  if (!root.contains("metric")) return ctx.Error({}, "missing field 'metric'");
  const Json& m = root["metric"];
  Path at = {"metric"};
  REFEREE_RETURN_IF_ERROR(CheckKeys(
      m, at, {"name", "output", "vocab_size", "seq_len", "tokens", "batch"}, ctx));
  std::string name = "bpb", output = "logits";
  REFEREE_RETURN_IF_ERROR(GetString(m, at, "name", &name, ctx));
  REFEREE_RETURN_IF_ERROR(GetString(m, at, "output", &output, ctx));
  if (name == "bpb") {
    t.metric.kind = MetricKind::kBitsPerByte;
  } else if (name == "cross_entropy") {
    t.metric.kind = MetricKind::kCrossEntropy;
  } else {
    return ctx.Error(Child(at, "name"), "metric '" + name + "' is not bpb or cross_entropy");
  }
  if (output == "logits") {
    t.metric.output = ModelOutput::kLogits;
  } else if (output == "log_probs") {
    t.metric.output = ModelOutput::kLogProbs;
  } else {
    return ctx.Error(Child(at, "output"), "output '" + output + "' is not logits or log_probs");
  }
  REFEREE_RETURN_IF_ERROR(GetInt(m, at, "vocab_size", &t.metric.vocab_size, ctx, 2, 256));
  REFEREE_RETURN_IF_ERROR(GetInt(m, at, "seq_len", &t.metric.seq_len, ctx, 2, 65536));
  REFEREE_RETURN_IF_ERROR(GetInt(m, at, "tokens", &t.metric.tokens, ctx, 1, 1e9));
  REFEREE_RETURN_IF_ERROR(GetInt(m, at, "batch", &t.metric.batch, ctx, 1, 4096));
  if (!m.contains("tokens")) return ctx.Error(at, "missing field 'metric.tokens'");
  if (t.metric.tokens % t.metric.seq_len != 0) {
    return ctx.Error(Child(at, "tokens"),
                     StrFormat("'tokens' (%lld) must be a multiple of seq_len (%d)",
                               static_cast<long long>(t.metric.tokens), t.metric.seq_len));
  }
  return OkStatus();
}

Status ParseOutput(const Json& root, TrainingTask& t, const Ctx& ctx) {
  if (!root.contains("output")) return OkStatus();
  const Json& o = root["output"];
  Path at = {"output"};
  REFEREE_RETURN_IF_ERROR(CheckKeys(o, at, {"entry", "max_bytes"}, ctx));
  std::string entry = t.entry_module + ":" + t.entry_function;
  REFEREE_RETURN_IF_ERROR(GetString(o, at, "entry", &entry, ctx));
  size_t colon = entry.find(':');
  auto ident = [](const std::string& s) {
    return !s.empty() && !std::isdigit(static_cast<unsigned char>(s[0])) &&
           s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
               std::string::npos;
  };
  if (colon == std::string::npos || !ident(entry.substr(0, colon)) ||
      !ident(entry.substr(colon + 1))) {
    return ctx.Error(Child(at, "entry"), "'entry' must be 'module:function' (e.g. model:load_model)");
  }
  t.entry_module = entry.substr(0, colon);
  t.entry_function = entry.substr(colon + 1);
  return GetInt(o, at, "max_bytes", &t.output_max_bytes, ctx, 1, 1e12);
}

Status ParseSmallSections(const Json& root, TrainingTask& t, const Ctx& ctx) {
  if (root.contains("probes")) {
    const Json& p = root["probes"];
    REFEREE_RETURN_IF_ERROR(CheckKeys(p, {"probes"}, {"sequences", "tolerance"}, ctx));
    REFEREE_RETURN_IF_ERROR(GetInt(p, {"probes"}, "sequences", &t.probes.sequences, ctx, 1, 64));
    REFEREE_RETURN_IF_ERROR(GetNumber(p, {"probes"}, "tolerance", &t.probes.tolerance, ctx, 0, 1));
  }
  if (root.contains("acceptance")) {
    const Json& a = root["acceptance"];
    Path at = {"acceptance"};
    REFEREE_RETURN_IF_ERROR(CheckKeys(a, at, {"seeds", "alpha", "threshold", "min_effect"}, ctx));
    REFEREE_RETURN_IF_ERROR(GetInt(a, at, "seeds", &t.acceptance.seeds, ctx, 1, 1000));
    REFEREE_RETURN_IF_ERROR(GetNumber(a, at, "alpha", &t.acceptance.alpha, ctx, 1e-9, 0.5));
    REFEREE_RETURN_IF_ERROR(GetNumber(a, at, "min_effect", &t.acceptance.min_effect, ctx, 0, 1e9));
    if (a.contains("threshold")) {
      if (t.mode == Mode::kTimeToTarget) {
        return ctx.Error(Child(at, "threshold"),
                         "'threshold' is for fixed-budget tasks (time-to-target tests 'target')");
      }
      double v = 0;
      REFEREE_RETURN_IF_ERROR(GetNumber(a, at, "threshold", &v, ctx, -1e9, 1e9));
      t.acceptance.threshold = v;
    }
  }
  if (root.contains("limits")) {
    const Json& l = root["limits"];
    Path at = {"limits"};
    REFEREE_RETURN_IF_ERROR(
        CheckKeys(l, at, {"memory_mb", "pids", "load_timeout_s", "eval_timeout_s"}, ctx));
    uint64_t mb = t.limits.memory_bytes >> 20;
    REFEREE_RETURN_IF_ERROR(GetInt(l, at, "memory_mb", &mb, ctx, 64, 4e6));
    t.limits.memory_bytes = mb << 20;
    REFEREE_RETURN_IF_ERROR(GetInt(l, at, "pids", &t.limits.pids, ctx, 8, 1e5));
    REFEREE_RETURN_IF_ERROR(GetNumber(l, at, "load_timeout_s", &t.limits.load_timeout_s, ctx, 1, 1e5));
    REFEREE_RETURN_IF_ERROR(GetNumber(l, at, "eval_timeout_s", &t.limits.eval_timeout_s, ctx, 1, 1e5));
  }
  return OkStatus();
}

Status ParseMode(const Json& root, TrainingTask& t, const Ctx& ctx) {
  std::string mode = "fixed-budget";
  REFEREE_RETURN_IF_ERROR(GetString(root, {}, "mode", &mode, ctx));
  if (mode == "fixed-budget") {
    t.mode = Mode::kFixedBudget;
  } else if (mode == "time-to-target") {
    t.mode = Mode::kTimeToTarget;
  } else {
    return ctx.Error({"mode"}, "mode '" + mode + "' is not fixed-budget or time-to-target");
  }
  if (!root.contains("budget_s")) return ctx.Error({}, "missing field 'budget_s'");
  REFEREE_RETURN_IF_ERROR(GetNumber(root, {}, "budget_s", &t.budget_s, ctx, 0.1, 1e6));
  REFEREE_RETURN_IF_ERROR(GetNumber(root, {}, "grace_s", &t.grace_s, ctx, 0.1, 600));
  if (root.contains("target")) {
    double v = 0;
    REFEREE_RETURN_IF_ERROR(GetNumber(root, {}, "target", &v, ctx, -1e9, 1e9));
    t.target = v;
  }
  if (t.mode == Mode::kTimeToTarget && !t.target) {
    return ctx.Error({"mode"}, "a time-to-target task needs 'target' (the metric to reach)");
  }
  if (t.mode == Mode::kFixedBudget && t.target) {
    return ctx.Error({"target"}, "'target' is for time-to-target tasks (use acceptance.threshold)");
  }
  REFEREE_RETURN_IF_ERROR(GetString(root, {}, "device", &t.device, ctx));
  if (t.device != "cpu" && t.device != "cuda") {
    return ctx.Error({"device"}, "device '" + t.device + "' is not cpu or cuda");
  }
  return OkStatus();
}

Status ParseFiles(const Json& root, TrainingTask& t, const Ctx& ctx) {
  REFEREE_RETURN_IF_ERROR(GetString(root, {}, "script", &t.script, ctx));
  REFEREE_RETURN_IF_ERROR(GetStrings(root, {}, "editable", &t.editable, ctx));
  REFEREE_RETURN_IF_ERROR(GetStrings(root, {}, "fixed", &t.fixed, ctx));
  if (t.editable.empty()) t.editable = {t.script};
  if (t.script.empty() || t.script[0] == '/' || t.script.find("..") != std::string::npos) {
    return ctx.Error({"script"}, "'script' must be a file name relative to the candidate dir");
  }
  for (const std::string& f : t.fixed) REFEREE_RETURN_IF_ERROR(CheckTaskFile(t.dir, f, {"fixed"}, ctx));
  REFEREE_RETURN_IF_ERROR(GetString(root, {}, "audit_config", &t.audit_config, ctx));
  if (!t.audit_config.empty()) {
    REFEREE_RETURN_IF_ERROR(CheckTaskFile(t.dir, t.audit_config, {"audit_config"}, ctx));
  }
  return OkStatus();
}

}  // namespace

const char* ModeName(Mode mode) {
  return mode == Mode::kFixedBudget ? "fixed-budget" : "time-to-target";
}

const char* MetricName(MetricKind kind) {
  return kind == MetricKind::kBitsPerByte ? "bpb" : "cross_entropy";
}

SourceLoc LocateJsonKey(const std::string& text, const std::string& path,
                        const std::vector<std::string>& key_path) {
  size_t from = 0, found = std::string::npos;
  for (const std::string& key : key_path) {
    std::string quoted = "\"" + key + "\"";
    size_t at = from;
    for (;;) {
      at = text.find(quoted, at);
      if (at == std::string::npos) break;
      size_t after = text.find_first_not_of(" \t\r\n", at + quoted.size());
      if (after != std::string::npos && text[after] == ':') break;  // a key, not a value
      at += quoted.size();
    }
    if (at == std::string::npos) break;
    found = at;
    from = at + quoted.size();
  }
  return LocAtOffset(text, path, found == std::string::npos ? 0 : found);
}

Expected<TrainingTask> ParseTrainingTask(const std::string& text, const std::string& path,
                                         const std::string& dir) {
  REFEREE_ASSIGN_OR_RETURN(Json root, ParseJson(text, path));
  Ctx ctx{text, path};
  REFEREE_RETURN_IF_ERROR(CheckKeys(
      root, {},
      {"name", "description", "mode", "budget_s", "grace_s", "target", "device", "script",
       "editable", "fixed", "audit_config", "data", "output", "metric", "probes", "acceptance",
       "limits"},
      ctx));
  TrainingTask t;
  t.dir = dir;
  t.path = path;
  REFEREE_RETURN_IF_ERROR(GetString(root, {}, "name", &t.name, ctx));
  if (t.name.empty()) return ctx.Error({}, "missing field 'name'");
  REFEREE_RETURN_IF_ERROR(GetString(root, {}, "description", &t.description, ctx));
  REFEREE_RETURN_IF_ERROR(ParseMode(root, t, ctx));
  REFEREE_RETURN_IF_ERROR(ParseFiles(root, t, ctx));
  REFEREE_RETURN_IF_ERROR(ParseData(root, t, ctx));
  REFEREE_RETURN_IF_ERROR(ParseOutput(root, t, ctx));
  REFEREE_RETURN_IF_ERROR(ParseMetric(root, t, ctx));
  REFEREE_RETURN_IF_ERROR(ParseSmallSections(root, t, ctx));
  return t;
}

Expected<TrainingTask> LoadTrainingTask(const std::string& dir) {
  std::error_code ec;
  std::string file = dir;
  std::string base = dir;
  if (fs::is_directory(dir, ec)) {
    file = (fs::path(dir) / "task.json").string();
  } else {
    base = fs::path(dir).parent_path().string();
  }
  if (!fs::is_regular_file(file, ec)) {
    return NotFoundError("no training task here (task.json is missing)", SourceLoc{file});
  }
  REFEREE_ASSIGN_OR_RETURN(std::string text, ReadFile(file));
  return ParseTrainingTask(text, file, base.empty() ? "." : base);
}

}  // namespace referee::training
