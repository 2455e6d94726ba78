#include "reference_runner.h"

#include <cstdint>
#include <cstring>

#include "referee/base/strings.h"
#include "referee/harness/generate.h"
#include "slot_allocator.h"

namespace referee::harness {

Expected<std::unique_ptr<ReferenceRunner>> ReferenceRunner::Start(const Task& task,
                                                                  size_t arena_bytes,
                                                                  const Placement& placement,
                                                                  const WorkerPrograms& programs) {
  std::unique_ptr<Launcher> launcher = MakePlainLauncher();
  Expected<std::unique_ptr<Worker>> w =
      Worker::Start(ReferenceWorkerSpec(task, arena_bytes, placement, programs), *launcher);
  if (!w) {
    return FailedPreconditionError("reference failed to start: " + w.error().message(),
                                   {task.reference_path.empty() ? task.dir : task.reference_path,
                                    0, 0});
  }
  std::unique_ptr<ReferenceRunner> r(new ReferenceRunner());
  r->worker_ = std::move(*w);
  r->threads_at_load_ = r->worker_->ThreadCount();
  return r;
}

namespace {

// One tensor of a describe reply: {dtype, shape} or {scalar}; the element count with overflow
// checks (a KernelBench get_inputs() is the task's code, and tasks are input too: issue 20).
Status DescribeTensor(const Json& d, const std::string& name, bool input, ConcreteTensor* t,
                      double* scalar) {
  t->spec.name = name;
  if (input && d.is_object() && d.contains("scalar")) {
    if (!d["scalar"].is_number()) return InvalidArgumentError(name + ": scalar is not a number");
    t->spec.is_scalar = true;
    t->numel = 0;
    *scalar = d["scalar"].get<double>();
    return OkStatus();
  }
  std::string dtype = JsonString(d, "dtype", "");
  REFEREE_ASSIGN_OR_RETURN(t->spec.dtype, ParseDType(dtype));
  if (!d.contains("shape") || !d["shape"].is_array()) {
    return InvalidArgumentError(name + ": shape is not a list");
  }
  for (const Json& n : d["shape"]) {
    if (!n.is_number_integer() || n.get<long long>() < 0) {
      return InvalidArgumentError(name + ": shape holds something other than a size");
    }
    t->shape.push_back(n.get<long long>());
    size_t numel = 0;
    if (__builtin_mul_overflow(t->numel, static_cast<size_t>(t->shape.back()), &numel) ||
        numel > SIZE_MAX / 16) {
      return OutOfRangeError(name + ": too many elements");
    }
    t->numel = numel;
  }
  if (input && IsFloating(t->spec.dtype)) t->spec.generator.kind = "uniform";  // torch.rand
  return OkStatus();
}

}  // namespace

Expected<ConcreteWorkload> ParseDescribeReply(const Json& body, const Task& task) {
  SourceLoc at{task.kernelbench_file.empty() ? task.dir : task.kernelbench_file, 0, 0};
  if (!JsonBool(body, "ok", false)) {
    return FailedPreconditionError(
        "reference describe failed: " + JsonString(body, "error", "?").substr(0, 500), at);
  }
  ConcreteWorkload w;
  w.name = "default";
  w.tolerance = task.tolerance;
  uint64_t total = 0;
  for (const char* list : {"inputs", "outputs"}) {
    if (!body.contains(list) || !body[list].is_array()) {
      return FailedPreconditionError(std::string("reference describe: no '") + list + "' list",
                                     at);
    }
    bool input = list[0] == 'i';
    int i = 0;
    for (const Json& d : body[list]) {
      ConcreteTensor t;
      double scalar = 0;
      Status s = DescribeTensor(d, StrFormat(input ? "input%d" : "output%d", i++), input, &t,
                                &scalar);
      if (!s.ok()) return s.Annotate("reference describe").WithLoc(at);
      if (t.spec.is_scalar) w.scalars[t.spec.name] = scalar;
      uint64_t bytes = 0;
      if (__builtin_mul_overflow(uint64_t(t.numel), uint64_t(DTypeSize(t.spec.dtype)), &bytes) ||
          __builtin_add_overflow(total, bytes, &total) || total > task.limits.max_workload_bytes) {
        return ResourceExhaustedError(
            StrFormat("reference describe: the inputs and outputs need more than the budget of "
                      "%.1f GiB", double(task.limits.max_workload_bytes) / double(1 << 30)),
            at);
      }
      w.bytes += static_cast<double>(t.nbytes());
      (input ? w.inputs : w.outputs).push_back(std::move(t));
    }
  }
  return w;
}

Expected<ConcreteWorkload> ReferenceRunner::Describe(const Task& task) {
  REFEREE_ASSIGN_OR_RETURN(Reply r, worker_->Request(Json{{"op", "describe"}}, 120));
  return ParseDescribeReply(r.body, task);
}

namespace {

// What the custom-inputs function is given: SOL-ExecBench's axes_and_scalars (every axis and
// scalar input; integral values as ints).
Json AxesAndScalars(const ConcreteWorkload& w) {
  Json j = Json::object();
  auto put = [&j](const std::string& k, double v) {
    if (v == static_cast<double>(static_cast<long long>(v))) {
      j[k] = static_cast<long long>(v);
    } else {
      j[k] = v;
    }
  };
  for (const auto& [k, v] : w.axes) put(k, v);
  for (const auto& [k, v] : w.scalars) put(k, v);
  return j;
}

}  // namespace

Expected<std::vector<std::string>> ReferenceRunner::DrawCustomInputs(const std::string& entry,
                                                                     const ConcreteWorkload& w,
                                                                     uint64_t seed) {
  Json req = {{"op", "generate"}, {"entry", entry}, {"seed", seed >> 1},
              {"axes", AxesAndScalars(w)}, {"outputs", Json::array()}};
  std::vector<size_t> offsets(w.inputs.size(), SIZE_MAX);
  size_t off = 0;
  for (size_t i = 0; i < w.inputs.size(); ++i) {
    const ConcreteTensor& t = w.inputs[i];
    if (t.spec.generator.kind != "custom") continue;
    Json d = TensorDescriptor(t, off);
    d["name"] = t.spec.name;
    req["outputs"].push_back(std::move(d));
    FillPoison(worker_->arena() + off, t.numel, t.spec.dtype);
    offsets[i] = off;
    off += AlignUp(t.nbytes() + 1);
  }
  REFEREE_ASSIGN_OR_RETURN(Reply r, worker_->Request(req, 300));
  if (!JsonBool(r.body, "ok", false)) {
    return FailedPreconditionError("custom_inputs_entrypoint '" + entry + "' failed: " +
                                   JsonString(r.body, "error", "?").substr(0, 500));
  }
  std::vector<std::string> out(w.inputs.size());
  for (size_t i = 0; i < w.inputs.size(); ++i) {
    if (offsets[i] != SIZE_MAX) out[i].assign(worker_->arena() + offsets[i], w.inputs[i].nbytes());
  }
  return out;
}

Expected<std::vector<std::string>> ReferenceRunner::Run(const ConcreteWorkload& w,
                                                        const std::vector<std::string>& inputs,
                                                        bool in_float64) {
  Json req = {{"op", "call"}, {"inputs", Json::array()}, {"outputs", Json::array()}};
  if (in_float64) req["upcast"] = true;
  size_t off = 0;
  for (size_t i = 0; i < w.inputs.size(); ++i) {
    const ConcreteTensor& t = w.inputs[i];
    if (t.spec.is_scalar) {
      req["inputs"].push_back(Json{{"scalar", w.scalars.at(t.spec.name)}});
      continue;
    }
    std::memcpy(worker_->arena() + off, inputs[i].data(), inputs[i].size());
    req["inputs"].push_back(TensorDescriptor(t, off));
    off += AlignUp(t.nbytes() + 1);
  }
  std::vector<size_t> out_off;
  std::vector<ConcreteTensor> outputs = w.outputs;
  for (ConcreteTensor& t : outputs) {
    if (in_float64 && IsFloating(t.spec.dtype)) t.spec.dtype = DType::kFloat64;
    FillPoison(worker_->arena() + off, t.numel, t.spec.dtype);
    req["outputs"].push_back(TensorDescriptor(t, off));
    out_off.push_back(off);
    off += AlignUp(t.nbytes() + 1);
  }
  REFEREE_ASSIGN_OR_RETURN(Reply r, worker_->Request(req, 300));
  if (!JsonBool(r.body, "ok", false)) {
    return FailedPreconditionError("reference failed: " +
                                   JsonString(r.body, "error", "?").substr(0, 500));
  }
  std::vector<std::string> outs;
  for (size_t i = 0; i < outputs.size(); ++i) {
    outs.emplace_back(worker_->arena() + out_off[i], outputs[i].nbytes());
  }
  return outs;
}

}  // namespace referee::harness
