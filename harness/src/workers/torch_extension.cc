#include "torch_extension.h"

#include <stdio.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <set>

#include "compile_job.h"
#include "referee/base/strings.h"

namespace referee::harness {
namespace fs = std::filesystem;

namespace {

// Where a solution's own errors point: its solution.json (its sources live in a scratch dir).
SourceLoc SolutionLoc(const Candidate& c) {
  return {c.solution_path.empty() ? c.source : c.solution_path, 0, 0};
}

// Languages SOL-ExecBench builds through the torch binding (docs/solution.md).
const std::vector<std::string>& CppLanguages() {
  static const std::vector<std::string> kLanguages = {"cuda_cpp", "cutlass", "cudnn", "cublas"};
  return kLanguages;
}

// 'text' for sh.
std::string Quote(const std::string& text) {
  std::string out = "'";
  for (char ch : text) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

// spec.compile_options[key]: an array of strings (a flag per element), or `fallback` when
// absent, as SOL-ExecBench's defaults.
Expected<std::vector<std::string>> FlagList(const Json& options, const char* key,
                                            std::vector<std::string> fallback,
                                            const SourceLoc& loc) {
  if (!options.is_object() || !options.contains(key) || options[key].is_null()) return fallback;
  const Json& list = options[key];
  std::vector<std::string> out;
  bool ok = list.is_array();
  for (size_t i = 0; ok && i < list.size(); ++i) {
    ok = list[i].is_string() && list[i].get<std::string>().find('\n') == std::string::npos;
    if (ok) out.push_back(list[i].get<std::string>());
  }
  if (!ok) {
    return InvalidArgumentError(std::string("spec.compile_options.") + key +
                                    " must be a list of flags (strings)", loc);
  }
  return out;
}

// Where a wheel-installed torch sits: <site-packages>/torch/lib.
fs::path SitePackages(const TorchBuild& torch) {
  return fs::path(torch.lib_dir).parent_path().parent_path();
}

std::string CudaHome(const WorkerPrograms& programs) {
  return fs::path(programs.nvcc).parent_path().parent_path().string();
}

Expected<LanguageDeps> CutlassDeps(const WorkerPrograms& programs) {
  fs::path dir = programs.cutlass_dir;
  std::error_code ec;
  if (!fs::is_regular_file(dir / "include/cutlass/cutlass.h", ec)) {
    return FailedPreconditionError("a cutlass solution needs the CUTLASS headers: no "
                                   "include/cutlass/cutlass.h under " + dir.string() +
                                   " (set CUTLASS_DIR)");
  }
  return LanguageDeps{{(dir / "include").string(), (dir / "tools/util/include").string()}, {}};
}

// cudnn.h and libcudnn: the toolkit's, the system's, or the nvidia-cudnn wheel beside torch's
// (whose library has only a versioned name: linked by it).
Expected<LanguageDeps> CudnnDeps(const TorchBuild& torch, const WorkerPrograms& programs) {
  fs::path wheel = SitePackages(torch) / "nvidia/cudnn";
  std::vector<fs::path> dirs = {fs::path(CudaHome(programs)) / "include", "/usr/include",
                                "/usr/include/x86_64-linux-gnu", wheel / "include"};
  std::error_code ec;
  for (const fs::path& d : dirs) {
    if (!fs::is_regular_file(d / "cudnn.h", ec)) continue;
    LanguageDeps deps{{d.string()}, {}};
    if (d != wheel / "include") return deps;
    fs::path lib = wheel / "lib";
    deps.ldflags = {"-L" + lib.string(), "-Wl,-rpath," + lib.string()};
    if (!fs::exists(lib / "libcudnn.so", ec)) {
      for (const fs::directory_entry& e : fs::directory_iterator(lib, ec)) {
        std::string name = e.path().filename().string();
        if (StartsWith(name, "libcudnn.so.")) deps.ldflags.push_back("-l:" + name);
      }
    }
    return deps;
  }
  std::string looked;
  for (const fs::path& d : dirs) looked += (looked.empty() ? "" : ", ") + d.string();
  return FailedPreconditionError("a cudnn solution needs cudnn.h: not in " + looked +
                                 " (install the cuDNN headers, or the nvidia-cudnn wheel "
                                 "beside torch)");
}

// The build script's one-line reason (`referee-build-ext: ...`), else the compiler's first
// diagnostic.
Status ExtensionBuildFailure(std::string_view output, const Candidate& c) {
  for (const std::string& raw : StrSplit(output, '\n')) {
    std::string line(StripWhitespace(raw));
    if (StartsWith(line, "referee-build-ext: ")) {
      return FailedPreconditionError(line.substr(19), SolutionLoc(c));
    }
  }
  return CompileFailure("torch extension build", output, c.source, c.source);
}

// Directories the build reads outside /usr and /opt: the script's, the interpreter's prefix,
// torch's site-packages, ninja's and the language's headers.
std::vector<std::string> ExtensionBuildBinds(const TorchBuild& torch, const LanguageDeps& deps,
                                             const WorkerPrograms& programs) {
  std::vector<std::string> binds = {programs.python_dir(), SitePackages(torch).string(),
                                    fs::path(programs.python).parent_path().parent_path().string()};
  if (!programs.ninja.empty()) binds.push_back(fs::path(programs.ninja).parent_path().string());
  for (const std::string& d : deps.include_dirs) binds.push_back(d);
  std::erase_if(binds, [](const std::string& d) { return d.empty() || d == "/"; });
  return binds;
}

// Why this host cannot build the extension, before anything runs: a CPU-only torch, no nvcc,
// no ninja.
Status CheckToolchain(const TorchBuild& torch, const WorkerPrograms& programs,
                      const Candidate& c) {
  SourceLoc at = SolutionLoc(c);
  std::error_code ec;
  if (torch.cuda.empty()) {
    return FailedPreconditionError("the workers' torch (" + torch.python + ", " + torch.version +
                                       ") has no CUDA: a " + c.extension.language +
                                       " solution needs a CUDA build of torch "
                                       "(set REFEREE_PYTHON)", at);
  }
  if (!fs::is_regular_file(programs.nvcc, ec)) {
    return FailedPreconditionError("no nvcc at " + programs.nvcc + " (set REFEREE_NVCC)", at);
  }
  if (programs.ninja.empty() || !fs::is_regular_file(programs.ninja, ec)) {
    return FailedPreconditionError("no ninja on PATH: torch.utils.cpp_extension needs it to "
                                   "build C++ solutions (pip install ninja, or set "
                                   "REFEREE_NINJA)", at);
  }
  return OkStatus();
}

}  // namespace

Expected<std::vector<std::string>> PythonModulesFor(const std::vector<std::string>& languages,
                                                    const SourceLoc& loc) {
  std::vector<std::string> modules;
  for (const std::string& l : languages) {
    if (l == "cute_dsl") modules.push_back("cutlass");
    if (l == "cutile") modules.push_back("cuda.tile");
    if (l == "cudnn_frontend") modules.push_back("cudnn");
    if (std::find(CppLanguages().begin(), CppLanguages().end(), l) != CppLanguages().end()) {
      return InvalidArgumentError("spec.languages names C++ ('" + l + "') but the entry point is "
                                  "a Python file", loc);
    }
  }
  return modules;
}

Status CheckPythonModules(const Candidate& c, const WorkerPrograms& programs) {
  // find_spec imports only the parent packages, from the trusted environment; nothing of the
  // candidate's is on the path (-I).
  std::string script =
      "import importlib.util as u, sys\n"
      "for m in sys.argv[1:]:\n"
      "    try:\n"
      "        ok = u.find_spec(m) is not None\n"
      "    except Exception:\n"
      "        ok = False\n"
      "    if not ok:\n"
      "        print(m)\n"
      "        break\n";
  std::string cmd = Quote(programs.python) + " -I -c " + Quote(script);
  for (const std::string& m : c.python_modules) cmd += " " + Quote(m);
  FILE* p = popen((cmd + " 2>/dev/null").c_str(), "r");
  if (!p) return ErrnoError("popen", errno);
  char buf[256] = {0};
  std::string missing = fgets(buf, sizeof(buf), p) ? std::string(StripWhitespace(buf)) : "";
  int rc = pclose(p);
  if (missing.empty() && rc == 0) return OkStatus();
  if (missing.empty()) missing = c.python_modules.front();
  std::string language = c.languages.empty() ? "python" : c.languages.front();
  for (const std::string& l : c.languages) {
    if (l != "pytorch" && l != "triton" && l != "python") language = l;
  }
  return FailedPreconditionError("a " + language + " solution needs the Python module '" +
                                     missing + "', which " + programs.python +
                                     " cannot import (install it, or set REFEREE_PYTHON)",
                                 SolutionLoc(c));
}

Status ReadTorchExtension(const Json& spec, const std::vector<std::string>& written,
                          const SourceLoc& loc, Candidate& c) {
  for (const std::string& l : c.languages) {
    if (std::find(CppLanguages().begin(), CppLanguages().end(), l) != CppLanguages().end()) {
      c.extension.language = l;
    }
  }
  if (c.extension.language.empty()) {
    if (!c.languages.empty()) {
      return InvalidArgumentError("the entry point is not a Python file and spec.languages "
                                  "names no C++ language this harness builds (cuda_cpp, "
                                  "cutlass, cudnn, cublas)", loc);
    }
    c.extension.language = "cuda_cpp";
  }
  std::string binding = JsonString(spec, "binding", "torch");
  if (binding != "torch") {
    return UnimplementedError("binding '" + binding + "' is not supported: C++ solutions run "
                              "through binding torch", loc);
  }
  Json options = spec.value("compile_options", Json());
  REFEREE_ASSIGN_OR_RETURN(c.extension.cflags, FlagList(options, "cflags", {}, loc));
  REFEREE_ASSIGN_OR_RETURN(c.extension.cuda_cflags,
                           FlagList(options, "cuda_cflags", {"-O3", "--use_fast_math"}, loc));
  REFEREE_ASSIGN_OR_RETURN(c.extension.ldflags, FlagList(options, "ld_flags", {"-lcuda"}, loc));
  for (const std::string& rel : written) {
    std::string ext = fs::path(rel).extension().string();
    bool source = ext == ".cu" || ext == ".cpp" || ext == ".cc" || ext == ".cxx" || ext == ".c";
    if (source && rel.find('/') == std::string::npos) {
      c.extension.sources.push_back((fs::path(c.scratch_dir) / rel).string());
    }
  }
  if (c.extension.sources.empty()) {
    return InvalidArgumentError("no .cu/.cpp/.cc/.cxx/.c file at the top level of 'sources'",
                                loc);
  }
  c.kind = CandidateKind::kTorchExtension;
  c.source = c.path;  // compiler diagnostics are located against the entry file
  return OkStatus();
}

Expected<LanguageDeps> FindLanguageDeps(const Candidate& c, const TorchBuild& torch,
                                        const WorkerPrograms& programs) {
  Expected<LanguageDeps> deps = LanguageDeps{};
  if (c.extension.language == "cutlass") deps = CutlassDeps(programs);
  if (c.extension.language == "cudnn") deps = CudnnDeps(torch, programs);
  if (!deps) return deps.error().WithLoc(SolutionLoc(c));
  return deps;
}

Json ExtensionBuildConfig(const Candidate& c, const LanguageDeps& deps, const std::string& output) {
  Json includes = Json::array({fs::path(c.source).parent_path().string()});
  for (const std::string& d : deps.include_dirs) includes.push_back(d);
  Json ldflags = c.extension.ldflags;
  for (const std::string& f : deps.ldflags) ldflags.push_back(f);
  return Json{{"name", kTorchExtensionName},
              {"sources", c.extension.sources},
              {"build_dir", (fs::path(output).parent_path() / "build").string()},
              {"output", output},
              {"include_dirs", includes},
              {"cflags", c.extension.cflags},
              {"cuda_cflags", c.extension.cuda_cflags},
              {"ldflags", ldflags},
              {"with_cuda", true}};
}

std::map<std::string, std::string> ExtensionBuildEnv(const WorkerPrograms& programs) {
  std::vector<std::string> path = {fs::path(programs.nvcc).parent_path().string()};
  if (!programs.ninja.empty()) path.push_back(fs::path(programs.ninja).parent_path().string());
  path.insert(path.end(), {"/usr/bin", "/bin"});
  std::string joined;
  std::set<std::string> seen;
  for (const std::string& p : path) {
    if (seen.insert(p).second) joined += (joined.empty() ? "" : ":") + p;
  }
  return {{"PATH", joined},
          {"CUDA_HOME", CudaHome(programs)},
          {"TORCH_CUDA_ARCH_LIST", programs.cuda_arch_list},
          {"MAX_JOBS", "4"},
          {"HOME", "/tmp"}};
}

Status BuildTorchExtension(Candidate& c, const Placement& placement, SandboxMode sandbox,
                           const WorkerPrograms& programs) {
  if (!placement.on_gpu()) {
    return InvalidArgumentError("a " + c.extension.language + " solution (C++, binding torch) "
                                "runs on the GPU only: its sources are built with torch's CUDA "
                                "extension flags (give --device cuda)", SolutionLoc(c));
  }
  Expected<TorchBuild> torch = LoadTorchBuild(programs.torch_build);
  if (!torch) return FailedPreconditionError(torch.error().ToString(), SolutionLoc(c));
  REFEREE_RETURN_IF_ERROR(CheckToolchain(*torch, programs, c));
  REFEREE_ASSIGN_OR_RETURN(LanguageDeps deps, FindLanguageDeps(c, *torch, programs));
  CompileJob job;
  job.tool = programs.python;
  job.name = "torch extension build";
  job.env_var = "REFEREE_PYTHON";
  std::string script = programs.python_dir() + "/referee_build_ext.py";
  job.command = [&](const std::string&, const std::string& output) {
    return std::vector<std::string>{programs.python, "-I", script,
                                    DumpJson(ExtensionBuildConfig(c, deps, output), -1)};
  };
  job.binds = ExtensionBuildBinds(*torch, deps, programs);
  job.env = ExtensionBuildEnv(programs);
  job.failure = [&c](std::string_view output) { return ExtensionBuildFailure(output, c); };
  return CompileInScratch(job, c, sandbox);
}

}  // namespace referee::harness
