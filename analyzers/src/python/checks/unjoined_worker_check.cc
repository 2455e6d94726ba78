// unjoined-worker: a thread, process or executor that candidate code starts and never joins, so
// it is still running when the call returns (or after import): work it does escapes the timed
// window and the correctness check (kernel-evaluators.md §7 #4; SOL-ExecBench
// evil_thread_inject). The constructor is found through aliases, getattr and importlib
// (FileContext::Resolve). Joined means: used as a `with` item (an executor's exit waits), or
// `.join()`, `.shutdown()`, `.terminate()` or `.close()` called on the name or attribute that
// holds it anywhere in the file (a prefetcher joined in its close method). Only code in scope
// (SubmissionModel) is checked.
#include <set>

#include "python/checks/check_util.h"
#include "python/checks/python_check.h"
#include "python/scopes.h"

namespace referee::analyzers::python {
namespace {

bool IsWorkerConstructor(const std::string& r) {
  static const std::set<std::string> kNames = {
      "threading.Thread",
      "threading.Timer",
      "_thread.start_new_thread",
      "_thread.start_new",
      "multiprocessing.Process",
      "multiprocessing.Pool",
      "multiprocessing.pool.Pool",
      "multiprocessing.pool.ThreadPool",
      "multiprocessing.get_context().Process",
      "multiprocessing.get_context().Pool",
      "torch.multiprocessing.Process",
      "torch.multiprocessing.Pool",
      "torch.multiprocessing.spawn",
      "torch.multiprocessing.start_processes",
      "concurrent.futures.ThreadPoolExecutor",
      "concurrent.futures.ProcessPoolExecutor",
      "concurrent.futures.thread.ThreadPoolExecutor",
      "os.fork",
      "os.forkpty",
  };
  return kNames.count(r) > 0;
}

class UnjoinedWorkerCheck final : public PythonCheck {
 public:
  const char* name() const override { return "unjoined-worker"; }
  std::vector<CheckHit> Run(const FileContext& ctx,
                            const std::map<std::string, std::string>& options) const override {
    std::vector<CheckHit> hits;
    const ModuleIndex& index = ctx.index();
    std::string_view src = ctx.source();
    std::set<std::string> joined;  // names and attribute chains something waits on
    for (TSNode call : index.calls()) {
      std::string_view last = CallName(call, src);
      if (last != "join" && last != "shutdown" && last != "terminate" && last != "close" &&
          last != "result" && last != "wait") {
        continue;
      }
      TSNode f = Unparen(Field(call, "function"));
      if (Is(f, "attribute")) joined.emplace(NodeText(Field(f, "object"), src));
    }
    for (TSNode item : index.with_items()) {
      TSNode value = Unparen(Field(item, "value"));
      if (Is(value, "as_pattern")) value = Unparen(ts_node_named_child(value, 0));
      joined.emplace(NodeText(value, src));
    }
    for (size_t ci = 0; ci < index.calls().size(); ++ci) {
      TSNode call = index.calls()[ci];
      std::string r = ctx.Resolve(call);
      if (!IsWorkerConstructor(r)) continue;
      if (!ctx.submission().InScope(call)) continue;
      if (IsJoined(call, src, joined)) continue;
      hits.push_back({call, r + " is never joined"});
    }
    return hits;
  }

 private:
  // The worker is waited for: a `with` item itself, or stored under a name/attribute that
  // something joins. `Thread(...).start()` on a temporary is never joined.
  static bool IsJoined(TSNode call, std::string_view src, const std::set<std::string>& joined) {
    if (joined.count(std::string(NodeText(call, src)))) return true;
    TSNode p = Parent(call);
    while (Is(p, "parenthesized_expression")) p = Parent(p);
    if (Is(p, "assignment") && ts_node_eq(Unparen(Field(p, "right")), call)) {
      return joined.count(std::string(NodeText(Field(p, "left"), src))) > 0;
    }
    // `with Executor() as pool` (the with_item's value is an as_pattern around the call)
    if (Is(p, "as_pattern") && Is(Parent(p), "with_item")) return true;
    return false;
  }
};

}  // namespace

std::unique_ptr<PythonCheck> MakeUnjoinedWorkerCheck() {
  return std::make_unique<UnjoinedWorkerCheck>();
}

}  // namespace referee::analyzers::python
