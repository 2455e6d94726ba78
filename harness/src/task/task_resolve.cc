// Reference resolution, KernelBench problem files, and workload instantiation.
#include <filesystem>

#include "referee/base/file.h"
#include "referee/base/strings.h"
#include "task_internal.h"

namespace referee::harness {
namespace fs = std::filesystem;

Status ResolveReference(const Json& j, const TaskContext& ctx, Task& task) {
  task.reference_entry = j.value("entry_point", std::string("run"));
  if (j.contains("custom_inputs_entrypoint") && !j["custom_inputs_entrypoint"].is_null()) {
    return InvalidArgumentError("custom_inputs_entrypoint is not supported by this harness",
                                LocateKey(ctx.text, ctx.path, "custom_inputs_entrypoint"));
  }
  if (!j.contains("reference") || !j["reference"].is_string()) {
    return InvalidArgumentError("definition needs 'reference' (a .py file or Python source)",
                                {ctx.path, 1, 1});
  }
  std::string ref = j["reference"].get<std::string>();
  std::error_code ec;
  if (ref.find('\n') == std::string::npos && EndsWith(ref, ".py")) {
    fs::path p = fs::path(ctx.dir) / ref;
    if (!fs::is_regular_file(p, ec)) {
      return NotFoundError("reference file '" + ref + "' not found",
                           LocateKey(ctx.text, ctx.path, "reference"));
    }
    task.reference_path = p.string();
  } else {
    task.reference_code = ref;  // SOL-ExecBench: the source itself
  }
  if (j.contains("baseline") && j["baseline"].is_string()) {
    fs::path p = fs::path(ctx.dir) / j["baseline"].get<std::string>();
    if (!fs::is_regular_file(p, ec)) {
      return NotFoundError("baseline file not found", LocateKey(ctx.text, ctx.path, "baseline"));
    }
    task.baseline_path = p.string();
  }
  return OkStatus();
}

// KernelBench problems are Python modules; their shapes are only known by running
// get_inputs() in the (trusted) reference worker, which the evaluator does before the first
// call. Here the file is only checked to hold the three names the format requires.
Expected<Task> LoadKernelBenchTask(const std::string& py_path) {
  REFEREE_ASSIGN_OR_RETURN(std::string text, ReadFile(py_path));
  for (const char* needed : {"class Model(", "def get_inputs(", "def get_init_inputs("}) {
    if (text.find(needed) == std::string::npos) {
      return InvalidArgumentError(std::string("not a KernelBench problem: no '") + needed + "'",
                                  {py_path, 1, 1});
    }
  }
  Task task;
  task.format = TaskFormat::kKernelBench;
  task.dir = fs::path(py_path).parent_path().string();
  task.name = fs::path(py_path).stem().string();
  task.kernelbench_file = py_path;
  task.reference_path = py_path;
  task.tolerance = Tolerance{1e-2, 1e-2, 1.0, false};  // KernelBench: allclose(atol=rtol=1e-2)
  task.workloads.push_back(Workload{"default", {}, {}, std::nullopt});
  return task;
}

namespace {

Expected<ConcreteTensor> Concretize(const TensorSpec& spec, const AxisValues& axes) {
  ConcreteTensor t;
  t.spec = spec;
  for (const std::string& d : spec.shape) {
    Expected<long long> n = EvalIntExpr(d, axes);
    if (!n) return n.error().Annotate("tensor '" + spec.name + "'");
    t.shape.push_back(*n);
    t.numel *= static_cast<size_t>(*n);
  }
  if (spec.is_scalar) t.numel = 0;
  return t;
}

}  // namespace

Expected<ConcreteWorkload> Instantiate(const Task& task, const Workload& w) {
  ConcreteWorkload c;
  c.name = w.name;
  c.axes = w.axes;
  for (const auto& [k, v] : task.const_axes) c.axes[k] = v;
  // Expression axes may refer to each other: resolve until no progress.
  std::map<std::string, std::string> pending = task.expr_axes;
  while (!pending.empty()) {
    size_t before = pending.size();
    Status last;
    for (auto it = pending.begin(); it != pending.end();) {
      Expected<double> v = EvalExpr(it->second, c.axes);
      if (v) {
        c.axes[it->first] = *v;
        it = pending.erase(it);
      } else {
        last = v.error();
        ++it;
      }
    }
    if (pending.size() == before) return last.Annotate("axis '" + pending.begin()->first + "'");
  }
  for (const std::string& con : task.constraints) {
    REFEREE_ASSIGN_OR_RETURN(double ok, EvalExpr(con, c.axes));
    if (ok == 0) {
      return InvalidArgumentError("workload '" + w.name + "' violates constraint '" + con + "'");
    }
  }
  for (const TensorSpec& s : task.inputs) {
    REFEREE_ASSIGN_OR_RETURN(ConcreteTensor t, Concretize(s, c.axes));
    if (s.is_scalar) {
      auto it = w.scalars.find(s.name);
      c.scalars[s.name] = it != w.scalars.end() ? it->second : s.generator.a;
    }
    c.inputs.push_back(std::move(t));
  }
  for (const TensorSpec& s : task.outputs) {
    REFEREE_ASSIGN_OR_RETURN(ConcreteTensor t, Concretize(s, c.axes));
    if (s.is_scalar) return InvalidArgumentError("output '" + s.name + "' cannot be a scalar");
    c.outputs.push_back(std::move(t));
  }
  c.tolerance = w.tolerance.value_or(task.tolerance);
  if (!task.flops.empty()) {
    Expected<double> f = EvalExpr(task.flops, c.axes);
    if (!f) return f.error().Annotate("flops");
    c.flops = *f;
  }
  if (!task.bytes.empty()) {
    Expected<double> b = EvalExpr(task.bytes, c.axes);
    if (!b) return b.error().Annotate("bytes");
    c.bytes = *b;
  } else {
    for (const auto& t : c.inputs) c.bytes += static_cast<double>(t.nbytes());
    for (const auto& t : c.outputs) c.bytes += static_cast<double>(t.nbytes());
  }
  return c;
}

}  // namespace referee::harness
