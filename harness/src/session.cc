#include "session.h"

#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "referee/base/strings.h"
#include "referee/harness/generate.h"

namespace referee::harness {
namespace {

constexpr size_t kAlign = 256;
size_t AlignUp(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

Json Descriptor(const ConcreteTensor& t, size_t offset) {
  return Json{{"off", offset}, {"shape", t.shape}, {"dtype", DTypeName(t.spec.dtype)}};
}




}  // namespace

size_t SlotAllocator::Allocate(size_t bytes) {
  bytes = AlignUp(std::max<size_t>(bytes, 1));
  size_t scanned = 0;
  for (;;) {
    if (cursor_ + bytes > size_) cursor_ = 0;  // the previous two calls lie behind the cursor
    if (used_.insert(cursor_).second) break;
    cursor_ += kAlign;
    if (++scanned > size_ / kAlign) {
      used_.clear();  // every 256-byte start was used once: addresses may now repeat
      scanned = 0;
    }
  }
  size_t at = cursor_;
  cursor_ += bytes;
  return at;
}

size_t CallsetBytes(const ConcreteWorkload& w) {
  size_t callset = 0;
  for (const auto& t : w.inputs) callset += AlignUp(t.nbytes() + 1);
  for (const auto& t : w.outputs) callset += AlignUp(t.nbytes() + 1);
  return callset;
}

size_t ArenaBytesFor(const ConcreteWorkload& w, int repeat) {
  size_t callset = CallsetBytes(w);
  size_t sets = std::max<size_t>(8, 3 * static_cast<size_t>(std::max(1, repeat)) + 5);
  return std::max<size_t>(sets * callset + (1 << 20), 4 << 20);
}

int MaxHotRepeat(size_t callset_bytes, const EvalOptions& options) {
  size_t by_memory = kHotBatchBytes / std::max<size_t>(callset_bytes, 1);
  size_t cap = static_cast<size_t>(std::max(1, options.hot_max_repeat));
  return static_cast<int>(std::clamp<size_t>(by_memory, 1, cap));
}

int ChooseHotRepeat(double per_call_s, int max_repeat, const EvalOptions& options) {
  int r = options.hot_repeat;
  if (r <= 0) {
    // Enough back-to-back invocations that the window is >= hot_window_s (launch gaps and
    // window overhead amortised); 10 when warm-up measured nothing.
    double want = per_call_s > 0 ? std::ceil(options.hot_window_s / per_call_s) : 10;
    r = static_cast<int>(std::min(want, 1e6));
  }
  return std::clamp(r, 1, std::max(1, max_repeat));
}

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
    req["inputs"].push_back(Descriptor(t, off));
    off += AlignUp(t.nbytes() + 1);
  }
  std::vector<size_t> out_off;
  for (const ConcreteTensor& t : w.outputs) {
    FillPoison(worker_->arena() + off, t.numel, t.spec.dtype);
    req["outputs"].push_back(Descriptor(t, off));
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
