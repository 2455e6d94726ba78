#include "referee/harness/task.h"

#include <filesystem>
#include <set>

#include "referee/base/file.h"
#include "referee/base/strings.h"
#include "task_internal.h"

namespace referee::harness {
namespace fs = std::filesystem;

SourceLoc LocateKey(const std::string& text, const std::string& path, const std::string& key) {
  size_t at = text.find("\"" + key + "\"");
  if (at == std::string::npos) return SourceLoc{path, 1, 1};
  return LocAtOffset(text, path, at);
}

namespace {

Status FieldError(const TaskContext& ctx, const std::string& key, const std::string& msg) {
  return InvalidArgumentError(msg, LocateKey(ctx.text, ctx.path, key));
}

Expected<Generator> ParseGenerator(const Json& j, const TaskContext& ctx, const std::string& key) {
  static const std::set<std::string> kKinds = {"default", "normal", "uniform", "randint",
                                               "sorted", "causal_mask", "one_hot", "ones",
                                               "zeros", "arange", "scalar", "random"};
  Generator g;
  if (j.is_string()) {
    g.kind = j.get<std::string>();
  } else if (j.is_object()) {
    g.kind = j.value("kind", std::string("default"));
    if (g.kind == "normal") {
      g.a = j.value("mean", 0.0);
      g.b = j.value("std", 1.0);
    } else if (g.kind == "scalar") {
      g.a = j.value("value", 0.0);
    } else {
      g.a = j.value("low", g.kind == "uniform" || g.kind == "sorted" ? 0.0 : 0.0);
      g.b = j.value("high", g.kind == "randint" ? 100.0 : 1.0);
    }
  } else {
    return FieldError(ctx, key, "generator must be a string or an object");
  }
  if (g.kind == "random") g.kind = "default";
  if (!kKinds.count(g.kind)) return FieldError(ctx, key, "unknown generator '" + g.kind + "'");
  if (g.kind == "randint" && g.b <= g.a) return FieldError(ctx, key, "randint needs low < high");
  return g;
}

Expected<TensorSpec> ParseTensor(const std::string& name, const Json& j, const TaskContext& ctx) {
  if (!j.is_object()) return FieldError(ctx, name, "tensor '" + name + "' must be an object");
  TensorSpec t;
  t.name = name;
  if (!j.contains("shape")) return FieldError(ctx, name, "tensor '" + name + "' has no shape");
  const Json& shape = j["shape"];
  if (shape.is_null()) {
    t.is_scalar = true;
  } else if (shape.is_array()) {
    for (const Json& d : shape) {
      if (d.is_string()) {
        t.shape.push_back(d.get<std::string>());
      } else if (d.is_number_integer() && d.get<long long>() >= 0) {
        t.shape.push_back(std::to_string(d.get<long long>()));
      } else {
        return FieldError(ctx, name, "shape of '" + name + "' must list axis names or sizes");
      }
    }
  } else {
    return FieldError(ctx, name, "shape of '" + name + "' must be a list or null");
  }
  if (!j.contains("dtype") || !j["dtype"].is_string()) {
    return FieldError(ctx, name, "tensor '" + name + "' needs a string dtype");
  }
  Expected<DType> dtype = ParseDType(j["dtype"].get<std::string>());
  if (!dtype) return FieldError(ctx, name, dtype.error().message());
  t.dtype = *dtype;
  if (j.contains("generator")) {
    REFEREE_ASSIGN_OR_RETURN(t.generator, ParseGenerator(j["generator"], ctx, name));
  }
  return t;
}

Expected<std::vector<TensorSpec>> ParseTensors(const Json& j, const TaskContext& ctx,
                                               const std::string& key) {
  if (!j.is_object() || j.empty()) {
    return FieldError(ctx, key, "'" + key + "' must be a non-empty object of tensors");
  }
  std::vector<TensorSpec> out;
  for (auto it = j.begin(); it != j.end(); ++it) {
    REFEREE_ASSIGN_OR_RETURN(TensorSpec t, ParseTensor(it.key(), it.value(), ctx));
    out.push_back(std::move(t));
  }
  return out;
}

Status ParseAxes(const Json& j, const TaskContext& ctx, Task& task) {
  if (!j.is_object()) return FieldError(ctx, "axes", "'axes' must be an object");
  for (auto it = j.begin(); it != j.end(); ++it) {
    const Json& a = it.value();
    std::string type = a.is_object() ? a.value("type", std::string()) : "";
    if (type == "const" && a.contains("value") && a["value"].is_number()) {
      task.const_axes[it.key()] = a["value"].get<double>();
    } else if (type == "var") {
      task.var_axes.push_back(it.key());
    } else if (type == "expr" && a.contains("expression") && a["expression"].is_string()) {
      task.expr_axes[it.key()] = a["expression"].get<std::string>();
    } else {
      return FieldError(ctx, it.key(),
                        "axis '" + it.key() + "' must be {type: const, value} | {type: var} | "
                        "{type: expr, expression}");
    }
  }
  return OkStatus();
}

}  // namespace

Expected<Tolerance> ParseTolerance(const Json& j, Tolerance base, const TaskContext& ctx) {
  if (!j.is_object()) return FieldError(ctx, "tolerance", "'tolerance' must be an object");
  auto number = [&](const char* a, const char* b, double& out) -> Status {
    for (const char* k : {a, b}) {
      if (!j.contains(k)) continue;
      if (!j[k].is_number() || j[k].get<double>() < 0) {
        return FieldError(ctx, k, std::string("'") + k + "' must be a non-negative number");
      }
      out = j[k].get<double>();
    }
    return OkStatus();
  };
  REFEREE_RETURN_IF_ERROR(number("atol", "max_atol", base.atol));
  REFEREE_RETURN_IF_ERROR(number("rtol", "max_rtol", base.rtol));
  REFEREE_RETURN_IF_ERROR(number("matched_ratio", "required_matched_ratio", base.matched_ratio));
  if (base.matched_ratio > 1) return FieldError(ctx, "matched_ratio", "ratio must be <= 1");
  if (j.contains("allow_nonfinite")) base.allow_nonfinite = j.value("allow_nonfinite", false);
  return base;
}

Expected<Workload> ParseWorkload(const Json& j, const TaskContext& ctx, const Task& task,
                                 size_t index) {
  if (!j.is_object()) return FieldError(ctx, "workloads", "a workload must be an object");
  Workload w;
  w.name = j.value("name", j.value("uuid", StrFormat("w%zu", index)));
  if (j.contains("axes")) {
    if (!j["axes"].is_object()) return FieldError(ctx, "axes", "workload axes must be an object");
    for (auto it = j["axes"].begin(); it != j["axes"].end(); ++it) {
      if (!it.value().is_number()) {
        return FieldError(ctx, it.key(), "axis '" + it.key() + "' must be a number");
      }
      w.axes[it.key()] = it.value().get<double>();
    }
  }
  for (const std::string& v : task.var_axes) {
    if (!w.axes.count(v)) {
      return FieldError(ctx, "axes", "workload '" + w.name + "' does not set axis '" + v + "'");
    }
  }
  if (j.contains("inputs") && j["inputs"].is_object()) {
    for (auto it = j["inputs"].begin(); it != j["inputs"].end(); ++it) {
      const Json& in = it.value();
      std::string type = in.is_object() ? in.value("type", std::string("random")) : "";
      if (type == "scalar" && in.contains("value") && in["value"].is_number()) {
        w.scalars[it.key()] = in["value"].get<double>();
      } else if (type != "random") {
        return FieldError(ctx, it.key(),
                          "input '" + it.key() + "': only random and scalar workload inputs "
                          "are supported (got '" + type + "')");
      }
    }
  }
  if (j.contains("tolerance")) {
    REFEREE_ASSIGN_OR_RETURN(Tolerance t, ParseTolerance(j["tolerance"], task.tolerance, ctx));
    w.tolerance = t;
  }
  return w;
}

Expected<Task> ParseTaskJsonText(const Json& j, const TaskContext& ctx) {
  if (!j.is_object()) return InvalidArgumentError("definition must be a JSON object", {ctx.path, 1, 1});
  Task task;
  task.dir = ctx.dir;
  if (!j.contains("name") || !j["name"].is_string()) {
    return InvalidArgumentError("definition needs a string 'name'", {ctx.path, 1, 1});
  }
  task.name = j["name"].get<std::string>();
  task.description = j.value("description", std::string());
  if (j.contains("axes")) REFEREE_RETURN_IF_ERROR(ParseAxes(j["axes"], ctx, task));
  if (!j.contains("inputs")) return InvalidArgumentError("definition needs 'inputs'", {ctx.path, 1, 1});
  if (!j.contains("outputs")) return InvalidArgumentError("definition needs 'outputs'", {ctx.path, 1, 1});
  REFEREE_ASSIGN_OR_RETURN(task.inputs, ParseTensors(j["inputs"], ctx, "inputs"));
  REFEREE_ASSIGN_OR_RETURN(task.outputs, ParseTensors(j["outputs"], ctx, "outputs"));
  if (j.contains("constraints") && j["constraints"].is_array()) {
    for (const Json& c : j["constraints"]) {
      if (c.is_string()) task.constraints.push_back(c.get<std::string>());
    }
  }
  if (j.contains("tolerance")) {
    REFEREE_ASSIGN_OR_RETURN(task.tolerance, ParseTolerance(j["tolerance"], task.tolerance, ctx));
  }
  for (const char* k : {"flops", "bytes"}) {
    if (!j.contains(k)) continue;
    if (!j[k].is_string() && !j[k].is_number()) {
      return FieldError(ctx, k, std::string("'") + k + "' must be an expression string");
    }
    std::string e = j[k].is_string() ? j[k].get<std::string>() : DumpJson(j[k], -1);
    (std::string(k) == "flops" ? task.flops : task.bytes) = e;
  }
  REFEREE_RETURN_IF_ERROR(ResolveReference(j, ctx, task));
  if (j.contains("workloads")) {
    if (!j["workloads"].is_array()) return FieldError(ctx, "workloads", "'workloads' must be a list");
    for (size_t i = 0; i < j["workloads"].size(); ++i) {
      REFEREE_ASSIGN_OR_RETURN(Workload w, ParseWorkload(j["workloads"][i], ctx, task, i));
      task.workloads.push_back(std::move(w));
    }
  }
  return task;
}

Expected<Task> ParseTaskJson(const Json& definition, const std::string& dir,
                             const std::string& path) {
  TaskContext ctx{dir, path, DumpJson(definition)};
  return ParseTaskJsonText(definition, ctx);
}

Expected<std::vector<Workload>> ParseWorkloadJsonl(const std::string& text,
                                                   const std::string& path, const Task& task) {
  std::vector<Workload> out;
  std::vector<std::string> lines = StrSplit(text, '\n');
  for (size_t i = 0; i < lines.size(); ++i) {
    if (StripWhitespace(lines[i]).empty()) continue;
    Expected<Json> j = ParseJson(lines[i], path);
    if (!j) {
      SourceLoc loc = j.error().loc();
      return InvalidArgumentError(j.error().message(),
                                  {path, static_cast<int>(i) + 1, loc.col > 0 ? loc.col : 1});
    }
    TaskContext ctx{task.dir, path, lines[i]};
    Expected<Workload> w = ParseWorkload(*j, ctx, task, out.size());
    if (!w) {
      return InvalidArgumentError(w.error().message(), {path, static_cast<int>(i) + 1,
                                                        w.error().loc().col});
    }
    out.push_back(std::move(*w));
  }
  return out;
}

Expected<Task> LoadTask(const std::string& given) {
  std::error_code ec;
  // Absolute, so workers (and sandbox binds) see the same paths.
  std::string path = fs::absolute(given, ec).lexically_normal().string();
  if (!path.empty() && path.back() == '/') path.pop_back();
  if (fs::is_regular_file(path, ec) && EndsWith(path, ".py")) return LoadKernelBenchTask(path);
  if (!fs::is_directory(path, ec)) {
    return NotFoundError("no such task directory or KernelBench .py file", {path, 0, 0});
  }
  std::string def = (fs::path(path) / "definition.json").string();
  if (!fs::exists(def, ec)) {
    std::vector<std::string> pys;
    for (const auto& e : fs::directory_iterator(path, ec)) {
      if (e.path().extension() == ".py") pys.push_back(e.path().string());
    }
    if (pys.size() == 1) return LoadKernelBenchTask(pys[0]);
    return NotFoundError("task directory has no definition.json", {path, 0, 0});
  }
  REFEREE_ASSIGN_OR_RETURN(std::string text, ReadFile(def));
  REFEREE_ASSIGN_OR_RETURN(Json j, ParseJson(text, def));
  TaskContext ctx{path, def, text};
  REFEREE_ASSIGN_OR_RETURN(Task task, ParseTaskJsonText(j, ctx));
  std::string wl = (fs::path(path) / "workload.jsonl").string();
  if (fs::exists(wl, ec)) {
    REFEREE_ASSIGN_OR_RETURN(std::string wtext, ReadFile(wl));
    REFEREE_ASSIGN_OR_RETURN(std::vector<Workload> ws, ParseWorkloadJsonl(wtext, wl, task));
    task.workloads.insert(task.workloads.end(), ws.begin(), ws.end());
  }
  if (task.workloads.empty()) {
    if (!task.var_axes.empty()) {
      return InvalidArgumentError("task has var axes but no workloads", {def, 1, 1});
    }
    task.workloads.push_back(Workload{"default", {}, {}, std::nullopt});
  }
  return task;
}

}  // namespace referee::harness
