// Where a judge's workers run and how they are contained, as types (issue #12): a GPU is chosen
// by its index here and travels to the launcher in WorkerSpec::gpu, never as a "cuda:N" string
// in a worker's JSON config.
//
//   JudgeConfig c;
//   c.placement = Placement::Gpu(3);    // CUDA device 3 in PCI bus order (nvidia-smi's order)
//   c.sandbox = SandboxMode::kOn;       // refuse to run where the host cannot sandbox
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "referee/base/expected.h"

namespace referee::harness {

struct Placement {
  // nullopt: the CPU backend. Otherwise the GPU's index in PCI bus order: workers see only that
  // GPU (the sandbox binds its device nodes alone; plain workers get CUDA_VISIBLE_DEVICES).
  std::optional<int> gpu;

  static Placement Cpu() { return Placement{}; }
  static Placement Gpu(int index) { return Placement{index}; }
  bool on_gpu() const { return gpu.has_value(); }
  // "cpu" or "cuda": what a worker's config says (the worker sees its GPU as device 0).
  const char* worker_device() const { return on_gpu() ? "cuda" : "cpu"; }
  // "cpu" or "cuda:N", for reports and cache keys.
  std::string Name() const;
};

// Parses "cpu", "cuda" (GPU 0) or "cuda:N" (the CLI's --device); an error names the text.
Expected<Placement> ParsePlacement(std::string_view text);

// How candidate processes are contained. kAuto sandboxes where the host supports it and
// otherwise runs plain child processes with a warning; kOn refuses to run without the sandbox;
// kOff runs plain child processes (development only: a candidate then runs as the caller).
enum class SandboxMode { kAuto, kOn, kOff };
const char* SandboxModeName(SandboxMode mode);
Expected<SandboxMode> ParseSandboxMode(std::string_view text);

}  // namespace referee::harness
