// referee_kernel_runner: the worker for shared-library candidates. Same protocol as
// python/referee_worker.py (fd 3 SOCK_SEQPACKET channel, fd 4 arena memfd), argv[1] the config
// JSON {"library": path, "entry": "referee_run", "arena_size": N}.
#include <dlfcn.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "referee/base/json.h"
#include "referee/harness/dtype.h"
#include "referee/abi/referee_kernel.h"

namespace {

int kChan = 3;
int kArena = 4;

void Send(const referee::Json& j) {
  std::string s = referee::DumpJson(j, -1);
  if (send(kChan, s.data(), s.size(), MSG_NOSIGNAL) < 0) _exit(1);
}

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

struct Slots {
  std::vector<referee_tensor> tensors;
  std::vector<std::vector<int64_t>> shapes, strides;
  std::vector<double> scalars;
};

bool BuildSlots(const referee::Json& list, char* arena, size_t arena_size, Slots& s) {
  size_t n = list.size();
  s.tensors.resize(n);
  s.shapes.resize(n);
  s.strides.resize(n);
  s.scalars.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const referee::Json& d = list[i];
    referee_tensor& t = s.tensors[i];
    if (d.contains("scalar")) {
      s.scalars[i] = d["scalar"].get<double>();
      t = {&s.scalars[i], REFEREE_FLOAT64, 0, nullptr, nullptr};
      continue;
    }
    auto dtype = referee::harness::ParseDType(d["dtype"].get<std::string>());
    if (!dtype) return false;
    s.shapes[i] = d["shape"].get<std::vector<int64_t>>();
    s.strides[i].assign(s.shapes[i].size(), 1);
    for (int k = static_cast<int>(s.shapes[i].size()) - 2; k >= 0; --k) {
      s.strides[i][k] = s.strides[i][k + 1] * s.shapes[i][k + 1];
    }
    size_t off = d["off"].get<size_t>();
    if (off > arena_size) return false;
    t = {arena + off, static_cast<int32_t>(*dtype), static_cast<int32_t>(s.shapes[i].size()),
         s.shapes[i].data(), s.strides[i].data()};
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  auto config = referee::ParseJson(argv[1], "config");
  if (!config) return 2;
  size_t arena_size = (*config)["arena_size"].get<size_t>();
  kChan = config->value("chan_fd", 3);
  kArena = config->value("arena_fd", 4);
  // Pre-faulted: fresh buffers every call must not put page faults inside the timed call.
  void* arena = mmap(nullptr, arena_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
                     kArena, 0);
  // Without a library this is the parent's trusted probe: it answers no-ops (the channel's
  // round trip the CPU timer subtracts) and nothing else.
  bool probe = !config->contains("library");
  std::string lib = probe ? "" : (*config)["library"].get<std::string>();
  std::string entry = config->value("entry", std::string("referee_run"));
  void* handle = arena == MAP_FAILED || probe ? nullptr : dlopen(lib.c_str(), RTLD_NOW | RTLD_LOCAL);
  auto fn = handle ? reinterpret_cast<referee_run_fn>(dlsym(handle, entry.c_str())) : nullptr;
  if (!fn && !(probe && arena != MAP_FAILED)) {
    const char* err = dlerror();
    Send({{"seq", 0}, {"ok", false},
          {"error", std::string("load failed: ") + (err ? err : "arena mapping failed")}});
    return 1;
  }
  Send({{"seq", 0}, {"ok", true}, {"pid", getpid()}});
  std::vector<char> buf(1 << 20);
  while (true) {
    ssize_t n = recv(kChan, buf.data(), buf.size(), 0);
    if (n <= 0) return 0;
    auto req = referee::ParseJson(std::string_view(buf.data(), n), "request");
    if (!req) return 3;
    referee::Json reply = {{"seq", (*req)["seq"]}, {"ok", true}};
    std::string op = (*req)["op"].get<std::string>();
    if (op == "exit") {
      Send(reply);
      return 0;
    }
    if ((op == "call" || op == "batch") && !fn) {
      reply["ok"] = false;
      reply["error"] = "no library loaded (a probe runner)";
    } else if (op == "call" || op == "batch") {
      // "batch" (hot mode): the calls back to back, each with its own buffers.
      referee::Json calls = op == "batch" ? (*req)["calls"] : referee::Json::array({*req});
      std::vector<Slots> in(calls.size()), out(calls.size());
      for (size_t i = 0; i < calls.size(); ++i) {
        if (!BuildSlots(calls[i]["inputs"], static_cast<char*>(arena), arena_size, in[i]) ||
            !BuildSlots(calls[i]["outputs"], static_cast<char*>(arena), arena_size, out[i])) {
          return 3;
        }
      }
      int rc = 0;
      size_t i = 0;
      int64_t t0 = NowNs();
      for (; i < calls.size() && rc == 0; ++i) {
        rc = fn(in[i].tensors.data(), static_cast<int32_t>(in[i].tensors.size()),
                out[i].tensors.data(), static_cast<int32_t>(out[i].tensors.size()));
      }
      int64_t t1 = NowNs();
      reply["t_ns"] = t1 - t0;
      reply["timer_ok"] = true;
      if (rc != 0) {
        reply["ok"] = false;
        reply["error"] = "entry point returned " + std::to_string(rc);
        reply["check"] = "exception";
        reply["index"] = i - 1;
      }
    }
    Send(reply);
  }
}
