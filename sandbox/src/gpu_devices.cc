#include "gpu_devices.h"

#include <sys/stat.h>

namespace referee::sandbox::internal::gpu_devices {
namespace {

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

}  // namespace

std::vector<std::string> Nodes(const GpuDevicesPolicy& policy) {
  std::vector<std::string> nodes;
  if (!policy.gpu.has_value()) return nodes;
  const std::string& d = policy.dev_root;
  for (std::string name : {"/nvidia" + std::to_string(*policy.gpu), std::string("/nvidiactl"),
                           std::string("/nvidia-uvm"), std::string("/nvidia-uvm-tools"),
                           std::string("/nvidia-caps")}) {
    if (Exists(d + name)) nodes.push_back(d + name);
  }
  return nodes;
}

std::vector<std::string> SysDirs(const GpuDevicesPolicy& policy) {
  std::vector<std::string> dirs;
  if (!policy.gpu.has_value()) {
    if (Exists("/sys/devices/system")) dirs.push_back("/sys/devices/system");
    return dirs;
  }
  for (const char* dir : {"/sys/devices", "/sys/bus", "/sys/module/nvidia",
                          "/sys/module/nvidia_uvm"}) {
    if (Exists(dir)) dirs.push_back(dir);
  }
  return dirs;
}

}  // namespace referee::sandbox::internal::gpu_devices
