#include "referee/harness/candidate.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <functional>

#include "referee/base/file.h"
#include "referee/base/json.h"
#include "referee/base/log.h"
#include "referee/base/strings.h"
#include "compile_job.h"
#include "torch_build.h"
#include "torch_extension.h"

namespace referee::harness {
namespace fs = std::filesystem;

namespace {

// The solution's sources, written into a fresh scratch dir (the paths relative, no '..').
Status WriteSources(const Json& sources, const SourceLoc& loc, Candidate& c,
                    std::vector<std::string>& written) {
  char tmpl[] = "/tmp/referee-solution-XXXXXX";
  if (!mkdtemp(tmpl)) return ErrnoError("mkdtemp", errno);
  chmod(tmpl, 0755);  // the sandboxed worker runs under another uid
  c.scratch_dir = tmpl;
  for (const Json& s : sources) {
    std::string rel = JsonString(s, "path", "");
    if (rel.empty() || rel[0] == '/' || rel.find("..") != std::string::npos ||
        !s.contains("content") || !s["content"].is_string()) {
      return InvalidArgumentError("bad source entry '" + rel + "'", loc);
    }
    fs::path out = fs::path(c.scratch_dir) / rel;
    std::error_code ec;
    fs::create_directories(out.parent_path(), ec);
    REFEREE_RETURN_IF_ERROR(WriteFile(out.string(), s["content"].get<std::string>()));
    written.push_back(rel);
  }
  return OkStatus();
}

std::vector<std::string> Languages(const Json& spec) {
  std::vector<std::string> out;
  if (!spec.contains("languages") || !spec["languages"].is_array()) return out;
  for (const Json& l : spec["languages"]) {
    if (l.is_string()) out.push_back(l.get<std::string>());
  }
  return out;
}

Expected<Candidate> ResolveSolution(const std::string& path) {
  REFEREE_ASSIGN_OR_RETURN(Json j, ReadJsonFile(path));
  SourceLoc loc{path, 1, 1};
  if (!j.is_object() || !j.contains("spec") || !j["spec"].is_object() ||
      !j.contains("sources") || !j["sources"].is_array()) {
    return InvalidArgumentError("solution.json needs 'spec' and 'sources'", loc);
  }
  const Json& spec = j["spec"];
  // The candidate wrote this file: every field is read without trusting its type (issue 20).
  std::string entry = JsonString(spec, "entry_point", "");
  size_t sep = entry.find("::");
  if (sep == std::string::npos) {
    return InvalidArgumentError("spec.entry_point must be 'file::function'", loc);
  }
  std::string file = entry.substr(0, sep);
  Candidate c;
  c.solution_path = path;
  c.languages = Languages(spec);
  std::vector<std::string> written;
  REFEREE_RETURN_IF_ERROR(WriteSources(j["sources"], loc, c, written));
  if (std::find(written.begin(), written.end(), file) == written.end()) {
    return InvalidArgumentError("entry file '" + file + "' is not among sources", loc);
  }
  c.path = (fs::path(c.scratch_dir) / file).string();
  c.entry = entry.substr(sep + 2);
  c.dps = JsonBool(spec, "destination_passing_style", true);
  c.display_name = JsonString(j, "name", path);
  if (EndsWith(file, ".py")) {
    REFEREE_ASSIGN_OR_RETURN(c.python_modules, PythonModulesFor(c.languages, loc));
    return c;
  }
  REFEREE_RETURN_IF_ERROR(ReadTorchExtension(spec, written, loc, c));
  return c;
}

}  // namespace

Expected<Candidate> ResolveCandidate(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    fs::path sol = fs::path(path) / "solution.json";
    if (fs::exists(sol, ec)) return ResolveSolution(sol.string());
    return NotFoundError("candidate directory has no solution.json", {path, 0, 0});
  }
  if (!fs::is_regular_file(path, ec)) return NotFoundError("no such candidate", {path, 0, 0});
  if (EndsWith(path, ".json")) return ResolveSolution(path);
  Candidate c;
  // Normalised: the sandbox binds the candidate's directory and refuses paths with "..".
  c.path = fs::absolute(path, ec).lexically_normal().string();
  c.display_name = path;
  if (EndsWith(path, ".py")) {
    c.dps_from_signature = true;  // run(x, ..., out): as SOL-ExecBench's run_dataset.py
    return c;
  }
  if (EndsWith(path, ".cu")) {
    REFEREE_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    bool torch = MentionsTorchEntry(text);
    c.kind = torch ? CandidateKind::kTorchLibrary : CandidateKind::kCudaLibrary;
    c.source = c.path;
    c.entry = torch ? "referee_run_torch" : "referee_run_gpu";
    c.dps = true;
    return c;
  }
  if (EndsWith(path, ".cc") || EndsWith(path, ".cpp") || EndsWith(path, ".cxx")) {
    c.kind = CandidateKind::kTorchLibrary;
    c.source = c.path;
    c.entry = "referee_run_torch";
    c.dps = true;
    return c;
  }
  if (EndsWith(path, ".so")) {
    c.kind = CandidateKind::kSharedLibrary;
    c.entry = "referee_run";
    c.dps = true;
    return c;
  }
  return InvalidArgumentError("candidate must be a .py module, a .so library, a .cu or "
                              ".cc/.cpp source or a solution.json",
                              {path, 0, 0});
}

Expected<Candidate> ReferenceAsCandidate(const Task& task) {
  if (task.format == TaskFormat::kKernelBench) {
    return UnimplementedError("a KernelBench problem has no reference solution to run",
                              {task.kernelbench_file, 0, 0});
  }
  Candidate c;
  c.path = task.reference_path;
  c.entry = task.reference_entry;
  c.display_name = "reference";
  c.dps_from_signature = true;
  if (!task.reference_code.empty()) {
    char tmpl[] = "/tmp/referee-solution-XXXXXX";
    if (!mkdtemp(tmpl)) return ErrnoError("mkdtemp", errno);
    chmod(tmpl, 0755);  // the sandboxed worker runs under another uid
    c.scratch_dir = tmpl;
    c.path = c.scratch_dir + "/reference.py";
    REFEREE_RETURN_IF_ERROR(WriteFile(c.path, task.reference_code));
  }
  return c;
}

std::vector<std::string> NvccCommand(const std::string& nvcc, const std::string& source,
                                     const std::string& output) {
  std::vector<std::string> cmd = {nvcc, "-O3", "-arch=sm_90", "-shared", "-Xcompiler", "-fPIC"};
  for (std::string& f : CandidateIncludeFlags(source)) cmd.push_back(std::move(f));
  cmd.insert(cmd.end(), {source, "-o", output});
  return cmd;
}


Status CompileCudaCandidate(Candidate& c, SandboxMode sandbox, const WorkerPrograms& programs) {
  CompileJob job;
  job.tool = programs.nvcc;
  job.name = "nvcc";
  job.command = [&](const std::string& src, const std::string& out) {
    return NvccCommand(job.tool, src, out);
  };
  return CompileInScratch(job, c, sandbox);
}

Status CompileTorchCandidate(Candidate& c, SandboxMode sandbox, const WorkerPrograms& programs) {
  Expected<TorchBuild> t = LoadTorchBuild(programs.torch_build);
  if (!t) return FailedPreconditionError(t.error().ToString(), {c.source, 0, 0});
  bool cuda = EndsWith(c.source, ".cu");
  std::string cxx = programs.cxx.empty() ? t->cxx : programs.cxx;
  CompileJob job;
  job.tool = cuda ? programs.nvcc : cxx;
  job.name = cuda ? "nvcc" : "g++";
  job.torch = true;
  job.env_var = cuda ? "REFEREE_NVCC" : "REFEREE_CXX";
  job.command = [&](const std::string& src, const std::string& out) {
    return cuda ? TorchNvccCommand(*t, job.tool, src, out)
                : TorchCxxCommand(*t, job.tool, src, out);
  };
  if (!t->python.empty() && t->python != programs.python) {
    Logf(LogLevel::kWarning, "LibTorch candidate built against the torch of %s but workers run %s",
         t->python.c_str(), programs.python.c_str());
  }
  c.torch_shim = t->shim;
  return CompileInScratch(job, c, sandbox);
}

Status BuildCandidate(Candidate& c, const Placement& placement, SandboxMode sandbox,
                      const WorkerPrograms& programs) {
  if (!c.python_modules.empty()) REFEREE_RETURN_IF_ERROR(CheckPythonModules(c, programs));
  if (c.kind == CandidateKind::kTorchExtension) {
    return BuildTorchExtension(c, placement, sandbox, programs);
  }
  bool cu = EndsWith(c.source, ".cu");
  if (c.kind == CandidateKind::kCudaLibrary || (c.kind == CandidateKind::kTorchLibrary && cu)) {
    if (!placement.on_gpu()) {
      return InvalidArgumentError("a .cu candidate needs --device cuda", {c.source, 0, 0});
    }
  }
  if (c.kind == CandidateKind::kCudaLibrary) return CompileCudaCandidate(c, sandbox, programs);
  if (c.kind == CandidateKind::kTorchLibrary) return CompileTorchCandidate(c, sandbox, programs);
  return OkStatus();
}

namespace {

std::map<std::string, std::string> WorkerEnv(const Placement& placement,
                                             const WorkerPrograms& programs) {
  std::map<std::string, std::string> env = {
      {"PATH", "/usr/bin:/bin"}, {"OMP_NUM_THREADS", "1"}, {"MKL_NUM_THREADS", "1"},
      {"OPENBLAS_NUM_THREADS", "1"}, {"PYTHONDONTWRITEBYTECODE", "1"}, {"HOME", "/tmp"},
      {"LANG", "C.UTF-8"}};
  // A diagnostic: the worker profiles itself and writes pstats files with this prefix (only
  // where the worker can write it, so not under the sandbox).
  if (!programs.worker_profile.empty()) env["REFEREE_WORKER_PROFILE"] = programs.worker_profile;
  if (placement.on_gpu()) {
    // The worker sees its GPU alone, as device 0 (the sandbox also binds only its nodes).
    env["CUDA_DEVICE_ORDER"] = "PCI_BUS_ID";
    env["CUDA_VISIBLE_DEVICES"] = std::to_string(*placement.gpu);
  }
  return env;
}

Json PythonConfig(const Task& task, size_t arena_bytes) {
  Json cfg = {{"arena_size", arena_bytes}, {"threads", 1}, {"init_seed", 0}};
  if (task.format == TaskFormat::kKernelBench) {
    cfg["kind"] = "kernelbench";
    cfg["kernelbench_file"] = task.kernelbench_file;
  }
  return cfg;
}

}  // namespace

WorkerSpec CandidateWorkerSpec(const Candidate& c, const Task& task, size_t arena_bytes,
                               const Placement& placement, bool cold,
                               const WorkerPrograms& programs) {
  WorkerSpec spec;
  spec.env = WorkerEnv(placement, programs);
  spec.arena_bytes = arena_bytes;
  spec.gpu = placement.gpu;
  if (c.kind == CandidateKind::kSharedLibrary) {
    Json cfg = {{"library", c.path}, {"entry", c.entry}, {"arena_size", arena_bytes}};
    spec.argv = {programs.kernel_runner, DumpJson(cfg, -1)};
    return spec;
  }
  Json cfg = PythonConfig(task, arena_bytes);
  cfg["device"] = placement.worker_device();
  cfg["cold"] = cold;
  if (c.kind == CandidateKind::kCudaLibrary) cfg["cuda_library"] = c.path;
  if (c.kind == CandidateKind::kTorchLibrary) {
    cfg["torch_library"] = c.path;
    cfg["torch_shim"] = c.torch_shim;
  }
  // The module name the extension was built under (its PyInit_ symbol).
  if (c.kind == CandidateKind::kTorchExtension) cfg["extension_name"] = kTorchExtensionName;
  cfg["role"] = c.reference_role ? "reference" : "candidate";
  cfg["module"] = c.path;
  cfg["entry"] = c.entry;
  cfg["dps"] = c.dps;
  if (c.dps_from_signature && !task.outputs.empty()) {
    cfg["dps_last_output"] = task.outputs.back().name;
  }
  spec.argv = {programs.python, "-I", programs.python_worker, DumpJson(cfg, -1)};
  spec.env.erase("PYTHONPATH");
  return spec;
}

WorkerSpec ReferenceWorkerSpec(const Task& task, size_t arena_bytes, const Placement& placement,
                               const WorkerPrograms& programs) {
  WorkerSpec spec;
  spec.env = WorkerEnv(placement, programs);
  spec.arena_bytes = arena_bytes;
  spec.untrusted = false;
  spec.gpu = placement.gpu;
  Json cfg = PythonConfig(task, arena_bytes);
  cfg["role"] = "reference";
  cfg["device"] = placement.worker_device();
  cfg["entry"] = task.reference_entry;
  if (!task.reference_code.empty()) {
    cfg["code"] = task.reference_code;
    cfg["module"] = task.dir + "/reference.py";
  } else {
    cfg["module"] = task.reference_path;
  }
  spec.argv = {programs.python, "-I", programs.python_worker, DumpJson(cfg, -1)};
  return spec;
}

}  // namespace referee::harness
