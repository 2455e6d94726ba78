// GPU device nodes and the /sys subtrees CUDA reads (sandbox.md §3.1, §3.2): only the assigned
// GPU's /dev/nvidia<N>, plus nvidiactl, nvidia-uvm, nvidia-uvm-tools and nvidia-caps when
// present. Never nvidia-modeset or another GPU's node.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace referee::sandbox::internal::gpu_devices {

struct GpuDevicesPolicy {
  std::optional<int> gpu;
  std::string dev_root = "/dev";  // tests point this at a fake tree
};

// The host nodes to bind (only those that exist; /dev/nvidia<N> must exist when a GPU is set).
std::vector<std::string> Nodes(const GpuDevicesPolicy& policy);

// Host /sys subtrees to bind read-only: CPU topology always; PCI devices and the nvidia
// modules when a GPU is assigned (cuInit fails with 304 without /sys).
std::vector<std::string> SysDirs(const GpuDevicesPolicy& policy);

}  // namespace referee::sandbox::internal::gpu_devices
