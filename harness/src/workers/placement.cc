#include "referee/harness/placement.h"

#include <cstdlib>
#include <string>

#include "referee/base/strings.h"

namespace referee::harness {

std::string Placement::Name() const {
  return on_gpu() ? "cuda:" + std::to_string(*gpu) : "cpu";
}

Expected<Placement> ParsePlacement(std::string_view text) {
  if (text == "cpu") return Placement::Cpu();
  if (text == "cuda") return Placement::Gpu(0);
  if (StartsWith(text, "cuda:") && text.size() > 5 && text.size() <= 8) {
    std::string digits(text.substr(5));
    char* end = nullptr;
    long index = std::strtol(digits.c_str(), &end, 10);
    if (*end == '\0' && digits[0] >= '0' && digits[0] <= '9' && index < 1024) {
      return Placement::Gpu(static_cast<int>(index));
    }
  }
  return InvalidArgumentError("device '" + std::string(text) +
                              "' is not cpu, cuda or cuda:N (a GPU index)");
}

const char* SandboxModeName(SandboxMode mode) {
  switch (mode) {
    case SandboxMode::kAuto: return "auto";
    case SandboxMode::kOn: return "on";
    case SandboxMode::kOff: return "off";
  }
  return "auto";
}

Expected<SandboxMode> ParseSandboxMode(std::string_view text) {
  if (text == "auto") return SandboxMode::kAuto;
  if (text == "on") return SandboxMode::kOn;
  if (text == "off") return SandboxMode::kOff;
  return InvalidArgumentError("sandbox mode '" + std::string(text) + "' is not auto, on or off");
}

}  // namespace referee::harness
