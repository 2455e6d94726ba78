// referee_cupti_timer_probe: drives tests/gpu/fixtures/independent_worker.py through CuptiTimer, the harness
// Timer backend, to check that backend on a real GPU (the harness's own GPU worker does not
// exist yet). Prints one JSON object: per-call spans, or the first error and at which call.
//
//   referee_cupti_timer_probe LIB WORKER_PY TASK_DIR CANDIDATE_JSON CALLS
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "referee/base/json.h"
#include "referee/cupti/cupti_timer.h"

namespace {

struct Child {
  pid_t pid = -1;
  int ctl_out = -1;  // parent -> worker
  int ctl_in = -1;   // worker -> parent
  std::string buf;
};

void Exec(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  execvp(args[0], args.data());
  _exit(127);
}

Child Spawn(const std::string& lib, const std::string& worker, const std::string& spec,
            int trace_w) {
  int to_child[2], from_child[2];
  if (pipe(to_child) != 0 || pipe(from_child) != 0) std::exit(3);
  Child c;
  c.pid = fork();
  if (c.pid == 0) {
    setenv("CUDA_INJECTION64_PATH", lib.c_str(), 1);
    setenv("REFEREE_CUPTI_LIB", lib.c_str(), 1);
    setenv("REFEREE_CUPTI_FD", std::to_string(trace_w).c_str(), 1);
    setenv("REFEREE_CTL_IN", std::to_string(to_child[0]).c_str(), 1);
    setenv("REFEREE_CTL_OUT", std::to_string(from_child[1]).c_str(), 1);
    Exec({"python3", worker, spec});
  }
  close(to_child[0]);
  close(from_child[1]);
  close(trace_w);
  c.ctl_out = to_child[1];
  c.ctl_in = from_child[0];
  return c;
}

referee::Json Request(Child& c, const referee::Json& req) {
  std::string line = referee::DumpJson(req, -1) + "\n";
  if (write(c.ctl_out, line.data(), line.size()) < 0) return {{"ok", false}, {"error", "write"}};
  while (c.buf.find('\n') == std::string::npos) {
    char tmp[4096];
    ssize_t n = read(c.ctl_in, tmp, sizeof(tmp));
    if (n <= 0) return {{"ok", false}, {"error", "worker exited"}};
    c.buf.append(tmp, static_cast<size_t>(n));
  }
  size_t nl = c.buf.find('\n');
  auto parsed = referee::ParseJson(c.buf.substr(0, nl), "reply");
  c.buf.erase(0, nl + 1);
  return parsed ? *parsed : referee::Json{{"ok", false}, {"error", "bad reply"}};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: referee_cupti_timer_probe LIB WORKER_PY TASK CANDIDATE_JSON N\n");
    return 2;
  }
  int trace[2];
  if (pipe2(trace, O_CLOEXEC) != 0) return 3;
  fcntl(trace[1], F_SETFD, 0);  // the worker inherits the write end only
  referee::Json spec = {{"mode", "harness"},
                        {"task_dir", argv[3]},
                        {"candidate", referee::ParseJson(argv[4], "candidate").value()},
                        {"flush_each_call", true}};
  Child c = Spawn(argv[1], argv[2], referee::DumpJson(spec, -1), trace[1]);
  referee::cupti::CuptiTimer timer{referee::UniqueFd(trace[0])};
  referee::Json out = {{"spans_us", referee::Json::array()}};
  uint64_t harness_id = 1'000'000;
  referee::Json setup = Request(c, {{"op", "setup"}, {"wid", harness_id}});
  harness_id += 2;
  int calls = std::atoi(argv[5]);
  for (int k = 0; k < calls && setup["ok"].get<bool>(); ++k) {
    Request(c, {{"op", "prep"}, {"wid", harness_id++}, {"k", k}});
    timer.Begin();
    referee::Json reply = Request(c, {{"op", "call"}, {"wid", k + 1}, {"k", k}});
    timer.End();
    referee::Expected<double> s = timer.Sample({reply});
    if (!s) {
      out["error"] = s.error().message();
      out["failed_call"] = k + 1;
      break;
    }
    out["spans_us"].push_back(*s * 1e6);
    Request(c, {{"op", "check"}, {"wid", harness_id++}, {"k", k}});
  }
  Request(c, {{"op", "drain"}, {"wid", harness_id++}});
  Request(c, {{"op", "finish"}});
  close(c.ctl_out);
  int status = 0;
  waitpid(c.pid, &status, 0);
  referee::Status finish = timer.Finish();
  out["finish"] = finish.ok() ? "ok" : finish.message();
  std::printf("%s\n", referee::DumpJson(out, -1).c_str());
  return out.contains("error") || !finish.ok() ? 1 : 0;
}
