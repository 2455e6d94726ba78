// Workloads: a definition's `workloads` entries and SOL-ExecBench's workload.jsonl, which is
// read a line at a time (a file of any size costs one line of memory, issue 20).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "referee/base/strings.h"
#include "task/task_internal.h"

namespace referee::harness {
namespace {

Status ParseWorkloadAxes(const Json& j, const TaskContext& ctx, const std::string& at,
                         Workload& w) {
  if (!j.contains("axes")) return OkStatus();
  std::string axes_at = TaskContext::Child(at, "axes");
  if (!j["axes"].is_object()) return ctx.Error(axes_at, "workload axes must be an object");
  for (auto it = j["axes"].begin(); it != j["axes"].end(); ++it) {
    if (!it.value().is_number() || !std::isfinite(it.value().get<double>())) {
      return ctx.Error(TaskContext::Child(axes_at, it.key()),
                       "axis '" + it.key() + "' must be a number");
    }
    w.axes[it.key()] = it.value().get<double>();
  }
  return OkStatus();
}

// SOL-ExecBench's blob paths are relative to a blob root the dataset is unpacked beside: the
// file is looked for from the task directory and from each of its parents (a problem sits at
// ROOT/L1/problem, its blobs at ROOT/blob/...).
std::optional<std::string> FindBlob(const std::string& dir, const std::string& rel) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::path(rel).is_absolute()) {
    return fs::is_regular_file(rel, ec) ? std::optional<std::string>(rel) : std::nullopt;
  }
  fs::path at = fs::absolute(dir, ec);
  for (int up = 0; up < 5 && !at.empty(); ++up, at = at.parent_path()) {
    if (fs::is_regular_file(at / rel, ec)) return (at / rel).lexically_normal().string();
    if (at == at.parent_path()) break;
  }
  return std::nullopt;
}

Expected<InputSource> ParseSafetensorsInput(const Json& in, const TaskContext& ctx,
                                            const std::string& in_at, const std::string& name) {
  InputSource src;
  src.kind = InputSource::Kind::kSafetensors;
  src.loc = ctx.At(in_at);
  REFEREE_ASSIGN_OR_RETURN(std::optional<std::string> path, ctx.OptString(in, in_at, "path"));
  REFEREE_ASSIGN_OR_RETURN(std::optional<std::string> key,
                           ctx.OptString(in, in_at, "tensor_key"));
  if (!path || path->empty() || !key) {
    return ctx.Error(in_at, "safetensors input '" + name + "' needs 'path' and 'tensor_key'");
  }
  std::optional<std::string> found = FindBlob(ctx.dir, *path);
  if (!found) {
    return ctx.Error(TaskContext::Child(in_at, "path"),
                     "safetensors file '" + Printable(*path) +
                         "' not found (looked in the task directory and its parents)");
  }
  src.path = *found;
  src.tensor_key = *key;
  return src;
}

// "random" (the definition's generator), "scalar" (a value), "custom" (the reference's
// custom_inputs_entrypoint) or "safetensors" (a tensor of a file).
Status ParseWorkloadInput(const Json& in, const TaskContext& ctx, const Task& task,
                          const std::string& in_at, const std::string& name, Workload& w) {
  if (!in.is_object()) return ctx.Error(in_at, "input '" + name + "' must be an object");
  REFEREE_ASSIGN_OR_RETURN(std::optional<std::string> type, ctx.OptString(in, in_at, "type"));
  REFEREE_ASSIGN_OR_RETURN(std::optional<double> value, ctx.OptNumber(in, in_at, "value"));
  std::string kind = type.value_or("random");
  if (kind == "random") return OkStatus();
  if (kind == "scalar" && value) {
    w.scalars[name] = *value;
    return OkStatus();
  }
  bool declared = false;
  for (const TensorSpec& s : task.inputs) declared = declared || s.name == name;
  if ((kind == "custom" || kind == "safetensors") && !declared) {
    return ctx.Error(in_at, "'" + Printable(name) + "' is not an input of the definition");
  }
  if (kind == "custom") {
    if (task.custom_inputs_entry.empty()) {
      return ctx.Error(in_at, "input '" + name + "' is of type custom but the definition has "
                              "no custom_inputs_entrypoint");
    }
    w.sources[name] = InputSource{InputSource::Kind::kCustom, "", "", ctx.At(in_at)};
    return OkStatus();
  }
  if (kind == "safetensors") {
    REFEREE_ASSIGN_OR_RETURN(w.sources[name], ParseSafetensorsInput(in, ctx, in_at, name));
    return OkStatus();
  }
  return ctx.Error(in_at, "input '" + name + "': workload inputs are random, scalar, custom or "
                          "safetensors (got '" + Printable(kind) + "')");
}

Status ParseWorkloadInputs(const Json& j, const TaskContext& ctx, const Task& task,
                           const std::string& at, Workload& w) {
  if (!j.contains("inputs")) return OkStatus();
  std::string inputs_at = TaskContext::Child(at, "inputs");
  if (!j["inputs"].is_object()) return ctx.Error(inputs_at, "workload inputs must be an object");
  for (auto it = j["inputs"].begin(); it != j["inputs"].end(); ++it) {
    REFEREE_RETURN_IF_ERROR(ParseWorkloadInput(it.value(), ctx, task,
                                               TaskContext::Child(inputs_at, it.key()), it.key(),
                                               w));
  }
  return OkStatus();
}

}  // namespace

Expected<Workload> ParseWorkload(const Json& j, const TaskContext& ctx, const Task& task,
                                 size_t index, const std::string& at) {
  if (!j.is_object()) return ctx.Error(at, "a workload must be an object");
  Workload w;
  w.loc = ctx.At(at);
  REFEREE_ASSIGN_OR_RETURN(std::optional<std::string> name, ctx.OptString(j, at, "name"));
  REFEREE_ASSIGN_OR_RETURN(std::optional<std::string> uuid, ctx.OptString(j, at, "uuid"));
  w.name = name ? *name : uuid ? *uuid : StrFormat("w%zu", index);
  REFEREE_RETURN_IF_ERROR(ParseWorkloadAxes(j, ctx, at, w));
  for (const std::string& v : task.var_axes) {
    if (!w.axes.count(v)) {
      return ctx.Error(at, "workload '" + w.name + "' does not set axis '" + v + "'");
    }
  }
  REFEREE_RETURN_IF_ERROR(ParseWorkloadInputs(j, ctx, task, at, w));
  if (j.contains("tolerance")) {
    REFEREE_ASSIGN_OR_RETURN(Tolerance t, ParseTolerance(j["tolerance"], task.tolerance, ctx,
                                                         TaskContext::Child(at, "tolerance")));
    w.tolerance = t;
  }
  return w;
}

Expected<std::optional<Workload>> ParseWorkloadLine(std::string_view row, const std::string& path,
                                                    int line, const Task& task, size_t index) {
  if (StripWhitespace(row).empty()) return std::optional<Workload>();
  if (index >= task.limits.max_workloads) {
    return InvalidArgumentError(StrFormat("more than %zu workloads", task.limits.max_workloads),
                                {path, line, 1});
  }
  JsonLocator where(row, path, line - 1);
  REFEREE_RETURN_IF_ERROR(where.status());
  Expected<Json> j = ParseJson(row, path);
  if (!j) {
    SourceLoc loc = j.error().loc();
    return InvalidArgumentError(Printable(j.error().message()),
                                {path, line, loc.col > 0 ? loc.col : 1});
  }
  TaskContext ctx{task.dir, path, &where};
  REFEREE_ASSIGN_OR_RETURN(Workload w, ParseWorkload(*j, ctx, task, index, ""));
  return std::optional<Workload>(std::move(w));
}

Expected<std::vector<Workload>> ReadWorkloadFile(const std::string& path, const Task& task) {
  std::unique_ptr<FILE, int (*)(FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return NotFoundError("cannot open", {path, 0, 0});
  std::vector<Workload> out;
  std::string row;
  int line = 0;
  for (int c = 0; c != EOF;) {
    row.clear();
    ++line;
    while ((c = std::fgetc(f.get())) != EOF && c != '\n') {
      if (row.size() >= task.limits.max_line_bytes) {
        return InvalidArgumentError(StrFormat("line longer than %llu bytes",
                                              (unsigned long long)task.limits.max_line_bytes),
                                    {path, line, 1});
      }
      row.push_back(char(c));
    }
    REFEREE_ASSIGN_OR_RETURN(std::optional<Workload> w,
                             ParseWorkloadLine(row, path, line, task, out.size()));
    if (w) out.push_back(std::move(*w));
  }
  return out;
}

}  // namespace referee::harness
