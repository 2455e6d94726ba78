// Reference resolution, KernelBench problem files, and workload instantiation.
#include <cstdint>
#include <filesystem>

#include "referee/base/file.h"
#include "referee/base/strings.h"
#include "task/task_internal.h"

namespace referee::harness {
namespace fs = std::filesystem;

namespace {

bool IsPythonIdentifier(const std::string& s) {
  if (s.empty() || s.size() > 200 || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Status ResolveReference(const Json& j, const TaskContext& ctx, Task& task) {
  REFEREE_ASSIGN_OR_RETURN(std::optional<std::string> entry, ctx.OptString(j, "", "entry_point"));
  task.reference_entry = entry.value_or("run");
  REFEREE_ASSIGN_OR_RETURN(std::optional<std::string> custom,
                           ctx.OptString(j, "", "custom_inputs_entrypoint"));
  if (custom) {
    if (!IsPythonIdentifier(*custom)) {
      return ctx.Error("/custom_inputs_entrypoint",
                       "custom_inputs_entrypoint must name a function of the reference");
    }
    task.custom_inputs_entry = *custom;
  }
  REFEREE_ASSIGN_OR_RETURN(std::optional<std::string> ref, ctx.OptString(j, "", "reference"));
  if (!ref) return ctx.Error("", "definition needs 'reference' (a .py file or Python source)");
  std::error_code ec;
  if (ref->find('\n') == std::string::npos && EndsWith(*ref, ".py")) {
    fs::path p = fs::path(ctx.dir) / *ref;
    if (!fs::is_regular_file(p, ec)) {
      return NotFoundError("reference file '" + *ref + "' not found", ctx.At("/reference"));
    }
    task.reference_path = p.string();
  } else {
    task.reference_code = *ref;  // SOL-ExecBench: the source itself
  }
  REFEREE_ASSIGN_OR_RETURN(std::optional<std::string> baseline,
                           ctx.OptString(j, "", "baseline"));
  if (baseline) {
    fs::path p = fs::path(ctx.dir) / *baseline;
    if (!fs::is_regular_file(p, ec)) {
      return NotFoundError("baseline file not found", ctx.At("/baseline"));
    }
    task.baseline_path = p.string();
  }
  return OkStatus();
}

// KernelBench problems are Python modules; their shapes are only known by running
// get_inputs() in the (trusted) reference worker, which the evaluator does before the first
// call. Here the file is only checked to hold the three names the format requires.
Expected<Task> LoadKernelBenchTask(const std::string& py_path, const TaskLimits& limits) {
  std::error_code ec;
  if (fs::file_size(py_path, ec) > limits.max_file_bytes) {
    return InvalidArgumentError(
        StrFormat("larger than %llu MiB", (unsigned long long)(limits.max_file_bytes >> 20)),
        {py_path, 0, 0});
  }
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
  task.workloads.push_back(Workload{"default", {}, {}, std::nullopt, {}, {}});
  task.limits = limits;
  return task;
}

namespace {

// An expression's error, located where the expression is written (its column added), when known.
Status Located(const Status& s, const SourceLoc& at) {
  if (at.file.empty()) return s;
  SourceLoc loc = at;
  if (loc.line > 0 && loc.col > 0 && s.loc().file.empty() && s.loc().col > 0) {
    loc.col += s.loc().col - 1;
  }
  return Status(s.code(), Printable(s.message(), 1000), loc);
}

Expected<double> Eval(const std::string& text, const AxisValues& axes, const SourceLoc& at,
                      const std::string& what) {
  Expected<double> v = EvalExpr(text, axes);
  if (!v) return Located(v.error().Annotate(what), at);
  return v;
}

// Sizes with overflow checks: a shape whose element count or byte size does not fit in 64 bits
// is refused here, before anything is sized from it.
Expected<ConcreteTensor> Concretize(const TensorSpec& spec, const AxisValues& axes,
                                    const SourceLoc& fallback) {
  ConcreteTensor t;
  t.spec = spec;
  for (size_t i = 0; i < spec.shape.size(); ++i) {
    const SourceLoc& at = i < spec.shape_locs.size() ? spec.shape_locs[i] : fallback;
    Expected<long long> n = EvalIntExpr(spec.shape[i], axes);
    if (!n) return Located(n.error().Annotate("tensor '" + spec.name + "'"), at);
    t.shape.push_back(*n);
    size_t numel = 0;
    if (__builtin_mul_overflow(t.numel, static_cast<size_t>(*n), &numel) ||
        numel > SIZE_MAX / 16) {
      return Located(OutOfRangeError("tensor '" + spec.name + "' has too many elements"), at);
    }
    t.numel = numel;
  }
  if (spec.is_scalar) t.numel = 0;
  return t;
}

Status ResolveExprAxes(const Task& task, ConcreteWorkload& c) {
  // Expression axes may refer to each other: resolve until no progress.
  std::map<std::string, std::string> pending = task.expr_axes;
  while (!pending.empty()) {
    size_t before = pending.size();
    Status last;
    for (auto it = pending.begin(); it != pending.end();) {
      auto loc = task.expr_axis_locs.find(it->first);
      Expected<double> v = Eval(it->second, c.axes,
                                loc == task.expr_axis_locs.end() ? SourceLoc{} : loc->second,
                                "axis '" + it->first + "'");
      if (v) {
        c.axes[it->first] = *v;
        it = pending.erase(it);
      } else {
        last = v.error();
        ++it;
      }
    }
    if (pending.size() == before) return last;
  }
  return OkStatus();
}

Status CheckConstraints(const Task& task, const Workload& w, const ConcreteWorkload& c) {
  for (size_t i = 0; i < task.constraints.size(); ++i) {
    const std::string& con = task.constraints[i];
    SourceLoc at = i < task.constraint_locs.size() ? task.constraint_locs[i] : SourceLoc{};
    REFEREE_ASSIGN_OR_RETURN(double ok, Eval(con, c.axes, at, "constraint"));
    if (ok == 0) {
      SourceLoc where = w.loc.file.empty() ? at : w.loc;
      return InvalidArgumentError("workload '" + w.name + "' violates constraint '" + con + "'",
                                  where);
    }
  }
  return OkStatus();
}

// The bytes the parent will hold for this workload's inputs and outputs, against the budget.
Status CheckBudget(const Task& task, const Workload& w, const ConcreteWorkload& c) {
  uint64_t total = 0;
  for (const auto* list : {&c.inputs, &c.outputs}) {
    for (const ConcreteTensor& t : *list) {
      uint64_t bytes = 0;
      if (__builtin_mul_overflow(uint64_t(t.numel), uint64_t(DTypeSize(t.spec.dtype)), &bytes) ||
          __builtin_add_overflow(total, bytes, &total)) {
        total = UINT64_MAX;
      }
    }
  }
  if (total <= task.limits.max_workload_bytes) return OkStatus();
  auto gib = [](uint64_t b) { return double(b) / double(uint64_t{1} << 30); };
  return ResourceExhaustedError(
      StrFormat("workload '%s' needs %.1f GiB of inputs and outputs, more than the budget of "
                "%.1f GiB",
                w.name.c_str(), gib(total), gib(task.limits.max_workload_bytes)),
      w.loc.file.empty() ? SourceLoc{task.dir, 0, 0} : w.loc);
}

// An input the workload takes from elsewhere than the definition's generator: drawn by the
// reference's custom_inputs_entrypoint at every call, or read once from a safetensors file.
Status ApplySource(const Task& task, const Workload& w, const InputSource& src,
                   ConcreteTensor& t) {
  std::string what = "workload '" + w.name + "' input '" + t.spec.name + "'";
  if (t.spec.is_scalar) {
    return InvalidArgumentError(what + ": a scalar input cannot be custom or safetensors",
                                src.loc);
  }
  if (src.kind == InputSource::Kind::kCustom) {
    t.spec.generator = Generator{"custom", 0, 1};
    return OkStatus();
  }
  Expected<std::string> data = ReadSafetensorsTensor(src.path, src.tensor_key, t.spec.dtype,
                                                     t.shape, task.limits.max_workload_bytes);
  if (!data) return data.error().Annotate(what);
  t.spec.generator = Generator{"safetensors", 0, 1};
  t.fixed = std::make_shared<const std::string>(std::move(*data));
  return OkStatus();
}

}  // namespace

Expected<ConcreteWorkload> Instantiate(const Task& task, const Workload& w) {
  ConcreteWorkload c;
  c.name = w.name;
  c.axes = w.axes;
  for (const auto& [k, v] : task.const_axes) c.axes[k] = v;
  REFEREE_RETURN_IF_ERROR(ResolveExprAxes(task, c));
  REFEREE_RETURN_IF_ERROR(CheckConstraints(task, w, c));
  for (const TensorSpec& s : task.inputs) {
    REFEREE_ASSIGN_OR_RETURN(ConcreteTensor t, Concretize(s, c.axes, w.loc));
    if (s.is_scalar) {
      auto it = w.scalars.find(s.name);
      c.scalars[s.name] = it != w.scalars.end() ? it->second : s.generator.a;
    }
    c.inputs.push_back(std::move(t));
  }
  for (const TensorSpec& s : task.outputs) {
    REFEREE_ASSIGN_OR_RETURN(ConcreteTensor t, Concretize(s, c.axes, w.loc));
    if (s.is_scalar) return InvalidArgumentError("output '" + s.name + "' cannot be a scalar");
    c.outputs.push_back(std::move(t));
  }
  REFEREE_RETURN_IF_ERROR(CheckBudget(task, w, c));
  for (ConcreteTensor& t : c.inputs) {  // after the budget: a file is read only when it fits
    auto src = w.sources.find(t.spec.name);
    if (src != w.sources.end()) REFEREE_RETURN_IF_ERROR(ApplySource(task, w, src->second, t));
  }
  c.tolerance = w.tolerance.value_or(task.tolerance);
  if (!task.flops.empty()) {
    REFEREE_ASSIGN_OR_RETURN(c.flops, Eval(task.flops, c.axes, task.flops_loc, "flops"));
  }
  if (!task.bytes.empty()) {
    REFEREE_ASSIGN_OR_RETURN(c.bytes, Eval(task.bytes, c.axes, task.bytes_loc, "bytes"));
  } else {
    for (const auto& t : c.inputs) c.bytes += static_cast<double>(t.nbytes());
    for (const auto& t : c.outputs) c.bytes += static_cast<double>(t.nbytes());
  }
  return c;
}

}  // namespace referee::harness
