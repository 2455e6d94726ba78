#include "referee/harness/candidate.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <functional>

#include "referee/base/file.h"
#include "referee/base/json.h"
#include "referee/base/log.h"
#include "referee/base/strings.h"
#include "torch_build.h"

#ifdef REFEREE_HARNESS_HAVE_SANDBOX
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <set>

#include "referee/sandbox/sandbox.h"
#endif

namespace referee::harness {
namespace fs = std::filesystem;

namespace {

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
  if (!EndsWith(file, ".py")) {
    return UnimplementedError("only Python solutions (pytorch, triton...) run on the CPU "
                              "backend; '" + file + "' needs the torch C++ binding", loc);
  }
  char tmpl[] = "/tmp/referee-solution-XXXXXX";
  if (!mkdtemp(tmpl)) return ErrnoError("mkdtemp", errno);
  chmod(tmpl, 0755);  // the sandboxed worker runs under another uid
  Candidate c;
  c.scratch_dir = tmpl;
  bool found = false;
  for (const Json& s : j["sources"]) {
    std::string rel = JsonString(s, "path", "");
    if (rel.empty() || rel[0] == '/' || rel.find("..") != std::string::npos ||
        !s.contains("content") || !s["content"].is_string()) {
      return InvalidArgumentError("bad source entry '" + rel + "'", loc);
    }
    fs::path out = fs::path(c.scratch_dir) / rel;
    std::error_code ec;
    fs::create_directories(out.parent_path(), ec);
    REFEREE_RETURN_IF_ERROR(WriteFile(out.string(), s["content"].get<std::string>()));
    if (rel == file) found = true;
  }
  if (!found) return InvalidArgumentError("entry file '" + file + "' is not among sources", loc);
  c.path = (fs::path(c.scratch_dir) / file).string();
  c.entry = entry.substr(sep + 2);
  c.dps = JsonBool(spec, "destination_passing_style", true);
  c.display_name = JsonString(j, "name", path);
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

namespace {

// First line of nvcc's output, for a one-line error.
std::string FirstLine(std::string_view text) {
  std::string first(StripWhitespace(text));
  return first.substr(0, first.find('\n'));
}

// One compiler run for a candidate: the command for (source, output), and how failures read.
struct CompileJob {
  std::string tool;  // the compiler's path
  std::string name;  // "nvcc" or "g++", for messages
  std::function<std::vector<std::string>(const std::string&, const std::string&)> command;
  bool torch = false;  // one-line `file:line:col: error` diagnostics (CompileFailure)
};

Status Failure(const CompileJob& job, std::string_view output, const Candidate& c,
               const std::string& seen_as, bool sandboxed) {
  if (job.torch) return CompileFailure(job.name, output, c.source, seen_as);
  return InvalidArgumentError(job.name + " failed" + (sandboxed ? " (sandboxed): " : ": ") +
                                  FirstLine(output),
                              {c.source, 0, 0});
}

#ifdef REFEREE_HARNESS_HAVE_SANDBOX
namespace sb = referee::sandbox;

// Empty when every sandbox layer is available, else why not.
std::string SandboxUnavailable() {
  for (const sb::LayerSupport& l : sb::HostSupport().layers) {
    if (!l.available) return "sandbox layer " + std::string(sb::LayerName(l.layer)) +
                             " unavailable: " + l.detail;
  }
  return "";
}

// Directories a command reads from: -I, -isystem and -L directories, except those under /usr
// and /opt, which the sandbox provides itself.
std::set<std::string> CommandDirs(const std::vector<std::string>& cmd) {
  std::set<std::string> dirs;
  for (size_t i = 0; i < cmd.size(); ++i) {
    std::string d;
    if (StartsWith(cmd[i], "-I/") || StartsWith(cmd[i], "-L/")) d = cmd[i].substr(2);
    if (cmd[i] == "-isystem" && i + 1 < cmd.size()) d = cmd[i + 1];
    if (!d.empty() && !StartsWith(d, "/usr/") && !StartsWith(d, "/opt/")) dirs.insert(d);
  }
  return dirs;
}

// The compiler under the sandbox's build profile: sources and include directories bound
// read-only, the output written to /scratch (the candidate's scratch dir), no GPU, no network.
Status CompileSandboxed(const CompileJob& job, Candidate& c) {
  std::vector<std::string> cmd = job.command(c.source, "/scratch/candidate.so");
  sb::PolicyBuilder b(sb::Profile::kBuild);
  std::string src_dir = fs::path(c.source).parent_path().string();
  std::string seen_as = c.source;
  std::set<std::string> dirs = CommandDirs(cmd);
  // A source directly in /tmp, / ... (directories the sandbox provides itself, and that hold
  // other evaluations' files) is copied into the scratch dir instead of binding its directory.
  for (const char* top : {"/", "/tmp", "/dev", "/proc", "/scratch", "/usr", "/etc", "/sys"}) {
    if (src_dir != top) continue;
    std::string name = fs::path(c.source).filename().string();
    std::error_code ec;
    fs::copy_file(c.source, fs::path(c.scratch_dir) / name, fs::copy_options::overwrite_existing,
                  ec);
    if (ec) return InternalError("copying " + c.source + ": " + ec.message(), {c.source, 0, 0});
    dirs.erase(src_dir);
    std::erase(cmd, "-I" + src_dir);
    seen_as = "/scratch/" + name;
    std::replace(cmd.begin(), cmd.end(), c.source, seen_as);
  }
  const std::string& tool = job.tool;
  if (tool[0] == '/' && !StartsWith(tool, "/usr/")) dirs.insert(fs::path(tool).parent_path());
  for (const std::string& d : dirs) b.AddBind({d, d, true});
  b.SetScratchDir(c.scratch_dir).SetWallTime(300).SetOutputCap(64 << 10);
  // Distinct from the worker launcher's ids (61000-64999): compiles run beside workers, and
  // beside each other when several judges share the process.
  if (getuid() == 0) {
    static std::atomic<uint32_t> next{0};
    uint32_t id = 57000 + (static_cast<uint32_t>(getpid()) * 8 + next++) % 4000;
    b.SetSandboxIds(id, id);
  }
  Expected<sb::Policy> policy = b.Build();
  if (!policy) return InvalidArgumentError(policy.error().message(), {c.source, 0, 0});
  Expected<sb::RunResult> run = sb::Run(*policy, cmd);
  if (!run) return InternalError("sandbox: " + run.error().message(), {c.source, 0, 0});
  const sb::RunResult& r = *run;
  if (r.status != sb::RunStatus::kOk) {
    std::string out = r.stderr_data + r.stdout_data;
    if (StripWhitespace(out).empty()) out = r.reason;
    return Failure(job, out, c, seen_as, true);
  }
  return OkStatus();
}
#endif

Status CompilePlain(const CompileJob& job, Candidate& c) {
  std::vector<std::string> cmd = job.command(c.source, c.path);
  std::string line;
  for (const std::string& a : cmd) line += "'" + a + "' ";
  line += ">" + c.scratch_dir + "/compile.log 2>&1";
  int rc = system(line.c_str());
  if (rc != 0) {
    Expected<std::string> log = ReadFile(c.scratch_dir + "/compile.log");
    return Failure(job, log ? *log : std::string(), c, c.source, false);
  }
  return OkStatus();
}

// Runs `job` for `c` into its scratch dir (made here when it has none), per --sandbox.
Status CompileInScratch(const CompileJob& job, Candidate& c, SandboxMode sandbox) {
  std::error_code ec;
  if (!fs::exists(job.tool, ec)) {
    const char* var = job.name == "nvcc" ? "REFEREE_NVCC" : "REFEREE_CXX";
    return FailedPreconditionError("no " + job.name + " at " + job.tool + " (set " + var + ")",
                                   {c.source, 0, 0});
  }
  if (c.scratch_dir.empty()) {
    char tmpl[] = "/tmp/referee-cuda-XXXXXX";
    if (!mkdtemp(tmpl)) return ErrnoError("mkdtemp", errno);
    chmod(tmpl, 0755);
    c.scratch_dir = tmpl;
  }
  c.path = c.scratch_dir + "/candidate.so";
  if (sandbox == SandboxMode::kOff) return CompilePlain(job, c);
#ifdef REFEREE_HARNESS_HAVE_SANDBOX
  std::string why = SandboxUnavailable();
  if (why.empty()) return CompileSandboxed(job, c);
#else
  std::string why = "built without the sandbox (REFEREE_WITH_SANDBOX=OFF)";
#endif
  if (sandbox == SandboxMode::kOn) {
    return FailedPreconditionError("--sandbox on: " + why, {c.source, 0, 0});
  }
  Logf(LogLevel::kWarning, "%s runs outside the sandbox: %s", job.name.c_str(), why.c_str());
  return CompilePlain(job, c);
}

}  // namespace

Status CompileCudaCandidate(Candidate& c, SandboxMode sandbox, const WorkerPrograms& programs) {
  CompileJob job{programs.nvcc, "nvcc", nullptr, false};
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
  CompileJob job{cuda ? programs.nvcc : cxx, cuda ? "nvcc" : "g++", nullptr, true};
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
