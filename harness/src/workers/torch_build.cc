#include "torch_build.h"

#include <stdlib.h>

#include <filesystem>
#include <regex>

#include "referee/base/strings.h"

namespace referee::harness {
namespace fs = std::filesystem;

Expected<TorchBuild> TorchBuildFromJson(const Json& j, const std::string& path) {
  SourceLoc loc{path, 1, 1};
  if (!j.is_object() || !j.contains("include_dirs") || !j["include_dirs"].is_array() ||
      !j.contains("lib_dir") || !j["lib_dir"].is_string()) {
    return InvalidArgumentError("torch build record needs include_dirs and lib_dir", loc);
  }
  TorchBuild t;
  try {
    t.python = j.value("python", std::string());
    t.version = j.value("version", std::string());
    for (const Json& d : j["include_dirs"]) t.include_dirs.push_back(d.get<std::string>());
    t.lib_dir = j["lib_dir"].get<std::string>();
    t.cxx11_abi = j.value("cxx11_abi", true);
    t.cuda = j.value("cuda", std::string());
    t.shim = j.value("shim", std::string());
    t.cxx = j.value("cxx", std::string("g++"));
    t.cxx_std = j.value("cxx_std", std::string("c++17"));
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string("torch build record: ") + e.what(), loc);
  }
  return t;
}

Expected<TorchBuild> LoadTorchBuild(const std::string& record) {
  std::string path = record;
#ifdef REFEREE_TORCH_BUILD_JSON
  if (path.empty()) path = REFEREE_TORCH_BUILD_JSON;
#endif
  if (path.empty()) {
    return FailedPreconditionError(
        "LibTorch entry point: this referee was built without the torch shim (no torch for "
        "the worker's Python at configure time, or REFEREE_WITH_TORCH_SHIM=OFF)");
  }
  REFEREE_ASSIGN_OR_RETURN(Json j, ReadJsonFile(path));
  return TorchBuildFromJson(j, path);
}

bool MentionsTorchEntry(std::string_view source_text) {
  return source_text.find("referee_run_torch") != std::string_view::npos;
}

std::vector<std::string> CandidateIncludeFlags(const std::string& source) {
  std::vector<std::string> flags = {"-I" + std::string(REFEREE_HARNESS_INCLUDE_DIR)};
  fs::path dir = fs::path(source).parent_path();
  flags.push_back("-I" + dir.string());
  fs::path up = dir;
  for (int i = 0; i < 3 && up.has_parent_path() && up != up.parent_path(); ++i) {
    up = up.parent_path();
    std::error_code ec;
    if (fs::is_directory(up / "common", ec)) flags.push_back("-I" + (up / "common").string());
  }
  return flags;
}

namespace {

void AppendTorchFlags(const TorchBuild& t, std::vector<std::string>& cmd) {
  cmd.push_back("-std=" + t.cxx_std);
  for (const std::string& d : t.include_dirs) cmd.insert(cmd.end(), {"-isystem", d});
  cmd.push_back(StrFormat("-D_GLIBCXX_USE_CXX11_ABI=%d", t.cxx11_abi ? 1 : 0));
}

// Link flags, as the linker sees them (nvcc passes them on with -Xlinker).
std::vector<std::string> TorchLinkFlags(const TorchBuild& t, bool cuda) {
  std::vector<std::string> flags = {"-L" + t.lib_dir, "-lc10", "-ltorch_cpu"};
  if (cuda) flags.insert(flags.end(), {"-lc10_cuda", "-ltorch_cuda"});
  return flags;
}

}  // namespace

std::vector<std::string> TorchCxxCommand(const TorchBuild& t, const std::string& cxx,
                                         const std::string& source, const std::string& output) {
  std::vector<std::string> cmd = {cxx, "-O2", "-shared", "-fPIC",
                                  "-fvisibility=hidden"};
  AppendTorchFlags(t, cmd);
  for (std::string& f : CandidateIncludeFlags(source)) cmd.push_back(std::move(f));
  cmd.insert(cmd.end(), {source, "-o", output});
  for (std::string& f : TorchLinkFlags(t, false)) cmd.push_back(std::move(f));
  cmd.insert(cmd.end(), {"-Wl,-rpath," + t.lib_dir, "-Wl,--require-defined=referee_run_torch"});
  return cmd;
}

std::vector<std::string> TorchNvccCommand(const TorchBuild& t, const std::string& nvcc,
                                          const std::string& source,
                                          const std::string& output) {
  std::vector<std::string> cmd = {nvcc, "-O3", "-arch=sm_90", "-shared",
                                  "-Xcompiler", "-fPIC,-fvisibility=hidden"};
  AppendTorchFlags(t, cmd);
  // What torch.utils.cpp_extension passes nvcc: ATen's half/bfloat16 types instead of
  // cuda_fp16's operators (their overloads are ambiguous together).
  cmd.insert(cmd.end(), {"-D__CUDA_NO_HALF_OPERATORS__", "-D__CUDA_NO_HALF_CONVERSIONS__",
                         "-D__CUDA_NO_BFLOAT16_CONVERSIONS__", "-D__CUDA_NO_HALF2_OPERATORS__",
                         "--expt-relaxed-constexpr"});
  for (std::string& f : CandidateIncludeFlags(source)) cmd.push_back(std::move(f));
  cmd.insert(cmd.end(), {source, "-o", output});
  for (std::string& f : TorchLinkFlags(t, true)) cmd.push_back(std::move(f));
  cmd.insert(cmd.end(), {"-Xlinker", "-rpath=" + t.lib_dir, "-Xlinker",
                         "--require-defined=referee_run_torch"});
  return cmd;
}

Status CompileFailure(std::string_view tool, std::string_view output, const std::string& source,
                      const std::string& seen_as) {
  static const std::regex kGcc(R"(^(.+?):(\d+):(\d+): (?:fatal )?error: (.*)$)");
  static const std::regex kNvcc(R"(^(.+?)\((\d+)\): (?:catastrophic )?error: (.*)$)");
  std::string first;
  for (const std::string& raw : StrSplit(output, '\n')) {
    std::string line(StripWhitespace(raw));
    if (line.empty()) continue;
    if (first.empty()) first = line;
    std::smatch m;
    bool gcc = std::regex_match(line, m, kGcc);
    if (gcc || std::regex_match(line, m, kNvcc)) {
      std::string file = m[1].str() == seen_as ? source : m[1].str();
      int col = gcc ? std::stoi(m[3].str()) : 0;
      return InvalidArgumentError(m[gcc ? 4 : 3].str(), {file, std::stoi(m[2].str()), col});
    }
    if (line.find("required symbol") != std::string::npos &&
        line.find("referee_run_torch") != std::string::npos) {
      return InvalidArgumentError("defines no referee_run_torch (declare it with "
                                  "REFEREE_TORCH_ENTRY, referee/abi/referee_torch_kernel.h)",
                                  {source, 0, 0});
    }
  }
  if (first.empty()) first = "no output";
  return InvalidArgumentError(std::string(tool) + " failed: " + first, {source, 0, 0});
}

}  // namespace referee::harness
