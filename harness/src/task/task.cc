#include "referee/harness/task.h"

#include <filesystem>
#include <regex>
#include <set>

#include "referee/base/file.h"
#include "referee/base/strings.h"
#include "task/task_internal.h"

namespace referee::harness {
namespace fs = std::filesystem;

namespace {

using Ptr = std::string;  // a JSON pointer into the file being read

Status ReadGeneratorNumbers(const Json& j, const TaskContext& ctx, const Ptr& at, Generator& g) {
  auto number = [&](const char* key, double& out) -> Status {
    REFEREE_ASSIGN_OR_RETURN(std::optional<double> v, ctx.OptNumber(j, at, key));
    if (v) out = *v;
    return OkStatus();
  };
  if (g.kind == "normal") {
    g.a = 0, g.b = 1;
    REFEREE_RETURN_IF_ERROR(number("mean", g.a));
    return number("std", g.b);
  }
  if (g.kind == "scalar") {
    g.a = 0;
    return number("value", g.a);
  }
  g.a = 0, g.b = g.kind == "randint" ? 100.0 : 1.0;
  REFEREE_RETURN_IF_ERROR(number("low", g.a));
  return number("high", g.b);
}

Expected<Generator> ParseGenerator(const Json& j, const TaskContext& ctx, const Ptr& at) {
  static const std::set<std::string> kKinds = {"default", "normal", "uniform", "randint",
                                               "sorted", "causal_mask", "one_hot", "ones",
                                               "zeros", "arange", "scalar", "random"};
  Generator g;
  if (j.is_string()) {
    g.kind = j.get<std::string>();
  } else if (j.is_object()) {
    REFEREE_ASSIGN_OR_RETURN(std::optional<std::string> kind, ctx.OptString(j, at, "kind"));
    g.kind = kind.value_or("default");
    REFEREE_RETURN_IF_ERROR(ReadGeneratorNumbers(j, ctx, at, g));
  } else {
    return ctx.Error(at, "generator must be a string or an object");
  }
  if (g.kind == "random") g.kind = "default";
  if (!kKinds.count(g.kind)) return ctx.Error(at, "unknown generator '" + g.kind + "'");
  if (g.kind == "randint" && g.b <= g.a) return ctx.Error(at, "randint needs low < high");
  return g;
}

Status ParseShape(const std::string& name, const Json& shape, const TaskContext& ctx,
                  const Ptr& at, TensorSpec& t) {
  if (shape.is_null()) {
    t.is_scalar = true;
    return OkStatus();
  }
  if (!shape.is_array()) return ctx.Error(at, "shape of '" + name + "' must be a list or null");
  for (size_t i = 0; i < shape.size(); ++i) {
    const Json& d = shape[i];
    Ptr dim = TaskContext::Child(at, i);
    if (d.is_string()) {
      t.shape.push_back(d.get<std::string>());
      t.shape_locs.push_back(ctx.where ? ctx.where->InString(dim, 0) : SourceLoc{});
    } else if (d.is_number_integer() && d.get<long long>() >= 0) {
      t.shape.push_back(std::to_string(d.get<long long>()));
      t.shape_locs.push_back(ctx.At(dim));
    } else {
      return ctx.Error(dim, "shape of '" + name + "' must list axis names or sizes");
    }
  }
  return OkStatus();
}

Expected<TensorSpec> ParseTensor(const std::string& name, const Json& j, const TaskContext& ctx,
                                 const Ptr& at) {
  if (!j.is_object()) return ctx.Error(at, "tensor '" + name + "' must be an object");
  TensorSpec t;
  t.name = name;
  if (!j.contains("shape")) return ctx.Error(at, "tensor '" + name + "' has no shape");
  REFEREE_RETURN_IF_ERROR(ParseShape(name, j["shape"], ctx, TaskContext::Child(at, "shape"), t));
  REFEREE_ASSIGN_OR_RETURN(std::optional<std::string> dtype_name, ctx.OptString(j, at, "dtype"));
  if (!dtype_name) return ctx.Error(at, "tensor '" + name + "' needs a string dtype");
  Expected<DType> dtype = ParseDType(*dtype_name);
  if (!dtype) return ctx.Error(TaskContext::Child(at, "dtype"), dtype.error().message());
  t.dtype = *dtype;
  if (j.contains("generator")) {
    REFEREE_ASSIGN_OR_RETURN(
        t.generator, ParseGenerator(j["generator"], ctx, TaskContext::Child(at, "generator")));
  }
  return t;
}

Expected<std::vector<TensorSpec>> ParseTensors(const Json& j, const TaskContext& ctx,
                                               const char* key) {
  Ptr at = TaskContext::Child("", key);
  if (!j.is_object() || j.empty()) {
    return ctx.Error(at, std::string("'") + key + "' must be a non-empty object of tensors");
  }
  std::vector<TensorSpec> out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    REFEREE_ASSIGN_OR_RETURN(
        TensorSpec t, ParseTensor(it.key(), it.value(), ctx, TaskContext::Child(at, it.key())));
    out.push_back(std::move(t));
  }
  return out;
}

Status ParseAxes(const Json& j, const TaskContext& ctx, Task& task) {
  if (!j.is_object()) return ctx.Error("/axes", "'axes' must be an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    const Json& a = it.value();
    Ptr at = TaskContext::Child("/axes", it.key());
    std::optional<std::string> type;
    if (a.is_object()) {
      REFEREE_ASSIGN_OR_RETURN(type, ctx.OptString(a, at, "type"));
    }
    if (type == "const" && a.contains("value") && a["value"].is_number()) {
      task.const_axes[it.key()] = a["value"].get<double>();
    } else if (type == "var") {
      task.var_axes.push_back(it.key());
    } else if (type == "expr" && a.contains("expression") && a["expression"].is_string()) {
      task.expr_axes[it.key()] = a["expression"].get<std::string>();
      task.expr_axis_locs[it.key()] =
          ctx.where ? ctx.where->InString(TaskContext::Child(at, "expression"), 0) : SourceLoc{};
    } else {
      return ctx.Error(at, "axis '" + it.key() + "' must be {type: const, value} | {type: var} | "
                           "{type: expr, expression}");
    }
  }
  return OkStatus();
}

Status ParseExpressions(const Json& j, const TaskContext& ctx, Task& task) {
  if (j.contains("constraints")) {
    const Json& cs = j["constraints"];
    if (!cs.is_array()) return ctx.Error("/constraints", "'constraints' must be a list");
    for (size_t i = 0; i < cs.size(); ++i) {
      Ptr at = TaskContext::Child("/constraints", i);
      if (!cs[i].is_string()) return ctx.Error(at, "a constraint must be an expression string");
      task.constraints.push_back(cs[i].get<std::string>());
      task.constraint_locs.push_back(ctx.where ? ctx.where->InString(at, 0) : SourceLoc{});
    }
  }
  for (const char* k : {"flops", "bytes"}) {
    if (!j.contains(k) || j[k].is_null()) continue;
    Ptr at = TaskContext::Child("", k);
    if (!j[k].is_string() && !j[k].is_number()) {
      return ctx.Error(at, std::string("'") + k + "' must be an expression string");
    }
    bool flops = std::string_view(k) == "flops";
    (flops ? task.flops : task.bytes) =
        j[k].is_string() ? j[k].get<std::string>() : DumpJson(j[k], -1);
    (flops ? task.flops_loc : task.bytes_loc) =
        ctx.where ? (j[k].is_string() ? ctx.where->InString(at, 0) : ctx.At(at)) : SourceLoc{};
  }
  return OkStatus();
}

Status ParseWorkloadList(const Json& j, const TaskContext& ctx, Task& task) {
  if (!j.contains("workloads")) return OkStatus();
  if (!j["workloads"].is_array()) return ctx.Error("/workloads", "'workloads' must be a list");
  if (j["workloads"].size() > task.limits.max_workloads) {
    return ctx.Error("/workloads", StrFormat("more than %zu workloads", task.limits.max_workloads));
  }
  for (size_t i = 0; i < j["workloads"].size(); ++i) {
    REFEREE_ASSIGN_OR_RETURN(Workload w, ParseWorkload(j["workloads"][i], ctx, task, i,
                                                       TaskContext::Child("/workloads", i)));
    task.workloads.push_back(std::move(w));
  }
  return OkStatus();
}

// "robustness": false (no probe) or {"scale": N} (N >= 2: the magnitude factor).
Status ParseRobustness(const Json& j, const TaskContext& ctx, Task& task) {
  if (j.is_boolean()) {
    if (!j.get<bool>()) task.robustness_scale = 0;
    return OkStatus();
  }
  if (!j.is_object()) return ctx.Error("/robustness", "'robustness' must be false or {\"scale\": N}");
  REFEREE_RETURN_IF_ERROR(ctx.CheckKeys(j, "/robustness", {"scale"}));
  REFEREE_ASSIGN_OR_RETURN(std::optional<double> scale, ctx.OptNumber(j, "/robustness", "scale"));
  if (!scale) return OkStatus();
  if (!(*scale >= 2 && *scale <= 1e6)) {
    return ctx.Error("/robustness/scale", "'robustness.scale' must be from 2 to 1e6");
  }
  task.robustness_scale = *scale;
  return OkStatus();
}

// "kernels": {"require_own": bool, "max_library_share": 0..1, "allow": [regex, ...]}.
Status ParseKernelPolicy(const Json& j, const TaskContext& ctx, Task& task) {
  if (!j.is_object()) return ctx.Error("/kernels", "'kernels' must be an object");
  REFEREE_RETURN_IF_ERROR(ctx.CheckKeys(j, "/kernels", {"require_own", "max_library_share", "allow"}));
  KernelPolicy& k = task.kernel_policy;
  REFEREE_ASSIGN_OR_RETURN(std::optional<bool> own, ctx.OptBool(j, "/kernels", "require_own"));
  k.require_own = own.value_or(true);
  REFEREE_ASSIGN_OR_RETURN(std::optional<double> share,
                           ctx.OptNumber(j, "/kernels", "max_library_share"));
  if (share && !(*share >= 0 && *share < 1)) {
    return ctx.Error("/kernels/max_library_share", "'max_library_share' must be from 0 to below 1");
  }
  if (share) k.max_library_share = *share;
  if (!j.contains("allow")) return OkStatus();
  const Json& allow = j["allow"];
  if (!allow.is_array()) return ctx.Error("/kernels/allow", "'allow' must be a list of regexes");
  for (size_t i = 0; i < allow.size(); ++i) {
    std::string at = TaskContext::Child("/kernels/allow", i);
    if (!allow[i].is_string()) return ctx.Error(at, "'allow' entries must be strings");
    std::string re = allow[i].get<std::string>();
    try {
      std::regex compiled(re, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      return ctx.Error(at, "invalid regex '" + re + "': " + e.what());
    }
    k.allow.push_back(re);
  }
  return OkStatus();
}

// The keys a definition may have: Referee's and SOL-ExecBench's; its metadata is ignored.
Status CheckDefinitionKeys(const Json& j, const TaskContext& ctx) {
  return ctx.CheckKeys(j, "",
                       {"name", "description", "axes", "inputs", "outputs", "tolerance",
                        "constraints", "flops", "bytes", "reference", "baseline", "entry_point",
                        "custom_inputs_entrypoint", "workloads", "robustness", "precision",
                        "kernels"},
                       {"op_type", "tags", "uuid", "version", "author", "comment", "notes",
                        "hardware", "source", "license"});
}

Expected<Task> ParseDefinition(const Json& j, const TaskContext& ctx, const TaskLimits& limits) {
  if (!j.is_object()) return ctx.Error("", "definition must be a JSON object");
  REFEREE_RETURN_IF_ERROR(CheckDefinitionKeys(j, ctx));
  Task task;
  task.dir = ctx.dir;
  task.limits = limits;
  REFEREE_ASSIGN_OR_RETURN(std::optional<std::string> name, ctx.OptString(j, "", "name"));
  if (!name) return ctx.Error("", "definition needs a string 'name'");
  task.name = *name;
  REFEREE_ASSIGN_OR_RETURN(std::optional<std::string> description,
                           ctx.OptString(j, "", "description"));
  task.description = description.value_or("");
  if (j.contains("axes")) REFEREE_RETURN_IF_ERROR(ParseAxes(j["axes"], ctx, task));
  if (!j.contains("inputs")) return ctx.Error("", "definition needs 'inputs'");
  if (!j.contains("outputs")) return ctx.Error("", "definition needs 'outputs'");
  REFEREE_ASSIGN_OR_RETURN(task.inputs, ParseTensors(j["inputs"], ctx, "inputs"));
  REFEREE_ASSIGN_OR_RETURN(task.outputs, ParseTensors(j["outputs"], ctx, "outputs"));
  for (const TensorSpec& t : task.outputs) {
    if (t.is_scalar) {
      return ctx.Error(TaskContext::Child(TaskContext::Child("/outputs", t.name), "shape"),
                       "output '" + t.name + "' cannot be a scalar");
    }
  }
  if (j.contains("tolerance")) {
    REFEREE_ASSIGN_OR_RETURN(task.tolerance,
                             ParseTolerance(j["tolerance"], task.tolerance, ctx, "/tolerance"));
  }
  if (j.contains("robustness")) REFEREE_RETURN_IF_ERROR(ParseRobustness(j["robustness"], ctx, task));
  REFEREE_ASSIGN_OR_RETURN(std::optional<bool> precision, ctx.OptBool(j, "", "precision"));
  if (precision) task.precision_probe = *precision;
  if (j.contains("kernels")) REFEREE_RETURN_IF_ERROR(ParseKernelPolicy(j["kernels"], ctx, task));
  REFEREE_RETURN_IF_ERROR(ParseExpressions(j, ctx, task));
  REFEREE_RETURN_IF_ERROR(ResolveReference(j, ctx, task));
  REFEREE_RETURN_IF_ERROR(ParseWorkloadList(j, ctx, task));
  return task;
}

}  // namespace

Expected<Tolerance> ParseTolerance(const Json& j, Tolerance base, const TaskContext& ctx,
                                   const std::string& pointer) {
  if (!j.is_object()) return ctx.Error(pointer, "'tolerance' must be an object");
  REFEREE_RETURN_IF_ERROR(ctx.CheckKeys(j, pointer,
                                        {"atol", "max_atol", "rtol", "max_rtol", "matched_ratio",
                                         "required_matched_ratio", "allow_nonfinite"}));
  auto number = [&](const char* a, const char* b, double& out) -> Status {
    for (const char* k : {a, b}) {
      REFEREE_ASSIGN_OR_RETURN(std::optional<double> v, ctx.OptNumber(j, pointer, k));
      if (!v) continue;
      if (*v < 0) {
        return ctx.Error(TaskContext::Child(pointer, k),
                         std::string("'") + k + "' must be a non-negative number");
      }
      out = *v;
    }
    return OkStatus();
  };
  REFEREE_RETURN_IF_ERROR(number("atol", "max_atol", base.atol));
  REFEREE_RETURN_IF_ERROR(number("rtol", "max_rtol", base.rtol));
  REFEREE_RETURN_IF_ERROR(number("matched_ratio", "required_matched_ratio", base.matched_ratio));
  if (base.matched_ratio > 1) return ctx.Error(pointer, "ratio must be <= 1");
  REFEREE_ASSIGN_OR_RETURN(std::optional<bool> nonfinite,
                           ctx.OptBool(j, pointer, "allow_nonfinite"));
  if (nonfinite) base.allow_nonfinite = *nonfinite;
  return base;
}

Expected<Task> ParseTaskText(const std::string& text, const std::string& dir,
                             const std::string& path, const TaskLimits& limits) {
  JsonLocator where(text, path);
  REFEREE_RETURN_IF_ERROR(where.status());
  Expected<Json> j = ParseJson(text, path);
  if (!j) return Status(j.error().code(), Printable(j.error().message()), j.error().loc());
  TaskContext ctx{dir, path, &where};
  return ParseDefinition(*j, ctx, limits);
}

Expected<Task> ParseTaskJson(const Json& definition, const std::string& dir,
                             const std::string& path) {
  return ParseTaskText(DumpJson(definition), dir, path);
}

Expected<std::vector<Workload>> ParseWorkloadJsonl(const std::string& text,
                                                   const std::string& path, const Task& task) {
  std::vector<Workload> out;
  size_t begin = 0;
  for (int line = 1; begin <= text.size(); ++line) {
    size_t end = text.find('\n', begin);
    if (end == std::string::npos) end = text.size();
    std::string_view row(text.data() + begin, end - begin);
    begin = end + 1;
    REFEREE_ASSIGN_OR_RETURN(std::optional<Workload> w,
                             ParseWorkloadLine(row, path, line, task, out.size()));
    if (w) out.push_back(std::move(*w));
  }
  return out;
}

Expected<Task> LoadTask(const std::string& given, const TaskLimits& limits) {
  std::error_code ec;
  // Absolute, so workers (and sandbox binds) see the same paths.
  std::string path = fs::absolute(given, ec).lexically_normal().string();
  if (!path.empty() && path.back() == '/') path.pop_back();
  if (fs::is_regular_file(path, ec) && EndsWith(path, ".py")) {
    return LoadKernelBenchTask(path, limits);
  }
  if (!fs::is_directory(path, ec)) {
    return NotFoundError("no such task directory or KernelBench .py file", {path, 0, 0});
  }
  std::string def = (fs::path(path) / "definition.json").string();
  if (!fs::exists(def, ec)) {
    std::vector<std::string> pys;
    for (const auto& e : fs::directory_iterator(path, ec)) {
      if (e.path().extension() == ".py") pys.push_back(e.path().string());
    }
    if (pys.size() == 1) return LoadKernelBenchTask(pys[0], limits);
    return NotFoundError("task directory has no definition.json", {path, 0, 0});
  }
  if (fs::file_size(def, ec) > limits.max_file_bytes) {
    return InvalidArgumentError(StrFormat("larger than %llu MiB",
                                          (unsigned long long)(limits.max_file_bytes >> 20)),
                                {def, 0, 0});
  }
  REFEREE_ASSIGN_OR_RETURN(std::string text, ReadFile(def));
  REFEREE_ASSIGN_OR_RETURN(Task task, ParseTaskText(text, path, def, limits));
  std::string wl = (fs::path(path) / "workload.jsonl").string();
  if (fs::exists(wl, ec)) {
    REFEREE_ASSIGN_OR_RETURN(std::vector<Workload> ws, ReadWorkloadFile(wl, task));
    if (task.workloads.size() + ws.size() > limits.max_workloads) {
      return InvalidArgumentError(StrFormat("more than %zu workloads", limits.max_workloads),
                                  {wl, 0, 0});
    }
    task.workloads.insert(task.workloads.end(), ws.begin(), ws.end());
  }
  if (task.workloads.empty()) {
    if (!task.var_axes.empty()) {
      return InvalidArgumentError("task has var axes but no workloads", {def, 1, 1});
    }
    task.workloads.push_back(Workload{"default", {}, {}, std::nullopt, {}, {}});
  }
  return task;
}

}  // namespace referee::harness
