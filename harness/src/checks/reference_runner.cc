#include "reference_runner.h"

#include <cstring>

#include "referee/base/strings.h"
#include "referee/harness/generate.h"
#include "slot_allocator.h"

namespace referee::harness {

Expected<std::unique_ptr<ReferenceRunner>> ReferenceRunner::Start(const Task& task,
                                                                  size_t arena_bytes,
                                                                  const std::string& device) {
  std::unique_ptr<Launcher> launcher = MakePlainLauncher();
  Expected<std::unique_ptr<Worker>> w =
      Worker::Start(ReferenceWorkerSpec(task, arena_bytes, device), *launcher);
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

Expected<ConcreteWorkload> ReferenceRunner::Describe(const Task& task) {
  REFEREE_ASSIGN_OR_RETURN(Reply r, worker_->Request(Json{{"op", "describe"}}, 120));
  if (!r.body.value("ok", false)) {
    return FailedPreconditionError("reference describe failed: " +
                                   r.body.value("error", std::string("?")),
                                   {task.kernelbench_file, 0, 0});
  }
  ConcreteWorkload w;
  w.name = "default";
  w.tolerance = task.tolerance;
  int i = 0;
  for (const Json& d : r.body["inputs"]) {
    ConcreteTensor t;
    t.spec.name = StrFormat("input%d", i++);
    if (d.contains("scalar")) {
      t.spec.is_scalar = true;
      t.numel = 0;
      w.scalars[t.spec.name] = d["scalar"].get<double>();
    } else {
      REFEREE_ASSIGN_OR_RETURN(t.spec.dtype, ParseDType(d["dtype"].get<std::string>()));
      t.shape = d["shape"].get<std::vector<long long>>();
      for (long long n : t.shape) t.numel *= static_cast<size_t>(n);
      t.spec.generator.kind = IsFloating(t.spec.dtype) ? "uniform" : "default";  // torch.rand
    }
    w.bytes += static_cast<double>(t.nbytes());
    w.inputs.push_back(t);
  }
  i = 0;
  for (const Json& d : r.body["outputs"]) {
    ConcreteTensor t;
    t.spec.name = StrFormat("output%d", i++);
    REFEREE_ASSIGN_OR_RETURN(t.spec.dtype, ParseDType(d["dtype"].get<std::string>()));
    t.shape = d["shape"].get<std::vector<long long>>();
    for (long long n : t.shape) t.numel *= static_cast<size_t>(n);
    w.bytes += static_cast<double>(t.nbytes());
    w.outputs.push_back(t);
  }
  return w;
}

Expected<std::vector<std::string>> ReferenceRunner::Run(const ConcreteWorkload& w,
                                                        const std::vector<std::string>& inputs) {
  Json req = {{"op", "call"}, {"inputs", Json::array()}, {"outputs", Json::array()}};
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
  for (const ConcreteTensor& t : w.outputs) {
    FillPoison(worker_->arena() + off, t.numel, t.spec.dtype);
    req["outputs"].push_back(TensorDescriptor(t, off));
    out_off.push_back(off);
    off += AlignUp(t.nbytes() + 1);
  }
  REFEREE_ASSIGN_OR_RETURN(Reply r, worker_->Request(req, 300));
  if (!r.body.value("ok", false)) {
    return FailedPreconditionError("reference failed: " + r.body.value("error", std::string("?")));
  }
  std::vector<std::string> outs;
  for (size_t i = 0; i < w.outputs.size(); ++i) {
    outs.emplace_back(worker_->arena() + out_off[i], w.outputs[i].nbytes());
  }
  return outs;
}

}  // namespace referee::harness
