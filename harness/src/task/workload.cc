// Workloads: a definition's `workloads` entries and SOL-ExecBench's workload.jsonl, which is
// read a line at a time (a file of any size costs one line of memory, issue 20).
#include <cmath>
#include <cstdio>
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

Status ParseWorkloadInputs(const Json& j, const TaskContext& ctx, const std::string& at,
                           Workload& w) {
  if (!j.contains("inputs")) return OkStatus();
  std::string inputs_at = TaskContext::Child(at, "inputs");
  if (!j["inputs"].is_object()) return ctx.Error(inputs_at, "workload inputs must be an object");
  for (auto it = j["inputs"].begin(); it != j["inputs"].end(); ++it) {
    const Json& in = it.value();
    std::string in_at = TaskContext::Child(inputs_at, it.key());
    if (!in.is_object()) return ctx.Error(in_at, "input '" + it.key() + "' must be an object");
    REFEREE_ASSIGN_OR_RETURN(std::optional<std::string> type, ctx.OptString(in, in_at, "type"));
    REFEREE_ASSIGN_OR_RETURN(std::optional<double> value, ctx.OptNumber(in, in_at, "value"));
    std::string kind = type.value_or("random");
    if (kind == "scalar" && value) {
      w.scalars[it.key()] = *value;
    } else if (kind != "random") {
      return ctx.Error(in_at, "input '" + it.key() + "': only random and scalar workload inputs "
                              "are supported (got '" + kind + "')");
    }
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
  REFEREE_RETURN_IF_ERROR(ParseWorkloadInputs(j, ctx, at, w));
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
