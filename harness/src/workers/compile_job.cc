#include "compile_job.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>

#include "referee/base/file.h"
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

// 'text' for sh, quotes inside escaped.
std::string ShellQuote(const std::string& text) {
  std::string out = "'";
  for (char ch : text) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

}  // namespace

std::string FirstLine(std::string_view text) {
  std::string first(StripWhitespace(text));
  return first.substr(0, first.find('\n'));
}

namespace {

Status Failure(const CompileJob& job, std::string_view output, const Candidate& c,
               const std::string& seen_as, bool sandboxed) {
  if (job.failure) return job.failure(output);
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
  for (const std::string& d : job.binds) {
    if (!StartsWith(d, "/usr/") && !StartsWith(d, "/opt/")) dirs.insert(d);
  }
  for (const std::string& d : dirs) b.AddBind({d, d, true});
  for (const auto& [k, v] : job.env) b.SetEnv(k, v);
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
  std::string line = "env";
  for (const auto& [k, v] : job.env) line += " " + ShellQuote(k + "=" + v);
  line += " ";
  for (const std::string& a : cmd) line += ShellQuote(a) + " ";
  line += ">" + c.scratch_dir + "/compile.log 2>&1";
  int rc = system(line.c_str());
  if (rc != 0) {
    Expected<std::string> log = ReadFile(c.scratch_dir + "/compile.log");
    return Failure(job, log ? *log : std::string(), c, c.source, false);
  }
  return OkStatus();
}

}  // namespace

Status CompileInScratch(const CompileJob& job, Candidate& c, SandboxMode sandbox) {
  std::error_code ec;
  if (!fs::exists(job.tool, ec)) {
    return FailedPreconditionError("no " + job.name + " at " + job.tool + " (set " +
                                       job.env_var + ")",
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

}  // namespace referee::harness
