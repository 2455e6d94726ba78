// A task: what a candidate must compute, on which inputs, to which tolerance, and how much
// work it is (for the roofline floor and the SOL score). docs/tasks.md is the format's manual.
//
//   Expected<Task> task = LoadTask("kernels/cpu/vector_add");   // native, SOL-ExecBench or
//   Expected<ConcreteWorkload> w = Instantiate(*task, task->workloads[0]);  // KernelBench
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/base/json.h"
#include "referee/base/status.h"
#include "referee/harness/dtype.h"
#include "referee/harness/expr.h"

namespace referee::harness {

enum class TaskFormat { kNative, kSolExecBench, kKernelBench };

// How an input's values are drawn. Structured kinds keep the inputs meaningful for ops that
// need them (sorted keys, masks, class indices).
struct Generator {
  std::string kind = "default";  // default normal uniform randint sorted causal_mask one_hot
                                 // ones zeros arange scalar
  double a = 0;                  // normal: mean; uniform/randint: low; scalar: value
  double b = 1;                  // normal: std; uniform/randint: high (exclusive for randint)
};

struct TensorSpec {
  std::string name;
  std::vector<std::string> shape;  // expressions of the axes; empty: 0-d tensor
  std::vector<SourceLoc> shape_locs;  // where each is written (empty file: unknown)
  bool is_scalar = false;          // a Python scalar (SOL-ExecBench shape null)
  DType dtype = DType::kFloat32;
  Generator generator;
};

struct Tolerance {
  double atol = 1e-2;
  double rtol = 1e-2;
  double matched_ratio = 0.99;  // fraction of elements that must be within atol + rtol*|ref|
  bool allow_nonfinite = false;  // NaN/Inf outputs allowed where the reference has them
};

// Where a workload takes an input from instead of the definition's generator (SOL-ExecBench
// workload inputs of type "custom" and "safetensors").
struct InputSource {
  enum class Kind { kCustom, kSafetensors };
  Kind kind = Kind::kCustom;
  std::string path;        // kSafetensors: the file, resolved (docs/tasks.md)
  std::string tensor_key;  // kSafetensors: the tensor's name in it
  SourceLoc loc;           // where the workload names it
};

struct Workload {
  std::string name;
  AxisValues axes;                       // values of the var axes
  std::map<std::string, double> scalars;  // scalar inputs' values
  std::optional<Tolerance> tolerance;
  SourceLoc loc;                         // where it is written (empty file: unknown)
  std::map<std::string, InputSource> sources;  // inputs not drawn from their generator
};

// What a task may make the trusted parent do (issue 20): it allocates every input and output of
// a workload, so a task of one 4.3e9-element output drove it to 24 GB. Sizes are checked, with
// overflow, before anything is allocated.
struct TaskLimits {
  uint64_t max_workload_bytes = uint64_t{8} << 30;  // inputs + outputs of one workload
  size_t max_workloads = 1000;  // SOL-ExecBench tasks have tens; each is evaluated in full
  uint64_t max_file_bytes = uint64_t{64} << 20;     // definition.json, KernelBench .py
  uint64_t max_line_bytes = uint64_t{1} << 20;      // one line of workload.jsonl
};

// Which GPU kernels may do a candidate's work (issue 18 item 6; definition.json
// `"kernels": {"require_own": true, "max_library_share": 0.5, "allow": ["^nvjet_"]}`): with
// require_own, a timed call whose kernel time is more than max_library_share in library
// kernels (ATen, cuBLAS, cuDNN, PyTorch attention, TorchInductor; harness/cupti
// library_kernels.h) fails check `library-kernels`; `allow` lists regexes of library kernels the
// task permits. Off by default; only the GPU tracer sees kernels.
struct KernelPolicy {
  bool require_own = false;
  double max_library_share = 0.5;
  std::vector<std::string> allow;
};

struct Task {
  TaskFormat format = TaskFormat::kNative;
  std::string dir;
  std::string name;
  std::string description;
  std::map<std::string, double> const_axes;
  std::map<std::string, std::string> expr_axes;
  std::vector<std::string> var_axes;
  std::vector<TensorSpec> inputs;
  std::vector<TensorSpec> outputs;
  std::vector<std::string> constraints;
  Tolerance tolerance;
  std::string flops;  // expression; empty: unknown
  std::string bytes;  // expression; empty: sum of input and output sizes
  std::vector<Workload> workloads;
  std::string reference_path;     // a .py file defining the entry point, or
  std::string reference_code;     // its source inline (SOL-ExecBench's `reference` string)
  std::string reference_entry = "run";
  // SOL-ExecBench's custom_inputs_entrypoint: a function of the reference's module,
  // fn(axes_and_scalars, device) -> {input name: tensor}, that draws the workload inputs of type
  // "custom". Trusted code: run by the reference worker, never in the candidate's process.
  std::string custom_inputs_entry;
  std::string baseline_path;      // optional optimized baseline (same interface as candidates)
  // KernelBench problems: the module file (Model/get_inputs/get_init_inputs).
  std::string kernelbench_file;
  // Where the expressions are written, for errors found when a workload is instantiated.
  SourceLoc flops_loc, bytes_loc;
  std::map<std::string, SourceLoc> expr_axis_locs;
  std::vector<SourceLoc> constraint_locs;  // parallel to constraints
  TaskLimits limits;
  // The robustness probe's magnitude factor (generate.h; definition.json "robustness":
  // {"scale": N}, or false for none): 0 disables the probe.
  double robustness_scale = 100;
  // The precision probe on float32 outputs (checks.h ComparePrecision; definition.json
  // "precision": false turns it off).
  bool precision_probe = true;
  // On the GPU, the candidate's own kernels must do the work (definition.json "kernels").
  KernelPolicy kernel_policy;
};

// A workload with every axis and shape resolved. An input whose spec.generator.kind is
// "custom" is drawn by the reference's custom_inputs_entrypoint for every call; "safetensors"
// holds its bytes in `fixed` (the same values every call, in fresh buffers).
struct ConcreteTensor {
  TensorSpec spec;
  std::vector<long long> shape;
  size_t numel = 1;
  std::shared_ptr<const std::string> fixed;
  size_t nbytes() const { return numel * DTypeSize(spec.dtype); }
};
struct ConcreteWorkload {
  std::string name;
  AxisValues axes;
  std::vector<ConcreteTensor> inputs;
  std::vector<ConcreteTensor> outputs;
  std::map<std::string, double> scalars;
  Tolerance tolerance;
  double flops = 0;
  double bytes = 0;
};

// Detects the format: definition.json (native or SOL-ExecBench) or a KernelBench .py file
// (or a directory holding exactly one). Every field is type-checked; errors are
// `path:line:col: error: ...` at the offending value. workload.jsonl is read line by line.
Expected<Task> LoadTask(const std::string& path, const TaskLimits& limits = {});
// The definition as text (errors located in it) or as JSON (errors located in its dump).
Expected<Task> ParseTaskText(const std::string& text, const std::string& dir,
                             const std::string& path, const TaskLimits& limits = {});
Expected<Task> ParseTaskJson(const Json& definition, const std::string& dir,
                             const std::string& path);
// Reads SOL-ExecBench's workload.jsonl (one workload per line).
Expected<std::vector<Workload>> ParseWorkloadJsonl(const std::string& text,
                                                   const std::string& path, const Task& task);
// Resolves every axis and shape; errors are located where the failing expression is written.
// Inputs and outputs past task.limits.max_workload_bytes are refused before anything is sized.
Expected<ConcreteWorkload> Instantiate(const Task& task, const Workload& workload);

}  // namespace referee::harness
