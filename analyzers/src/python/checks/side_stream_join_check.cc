// side-stream-join: work launched on a side stream (`with
// torch.cuda.stream(s)`, `torch.cuda.set_stream(s)`) with no join back
// (wait_stream, wait_event, synchronize) later in the same function, so the
// timer on the harness stream stops before the work ends (kernel-evaluators.md
// §7 #1; KernelBench PR #82, SOL-ExecBench evil_stream_inject). Honest
// look-alike: the same stream joined with current_stream().wait_stream(s) or an
// event.
#include "python/checks/check_util.h"
#include "python/checks/python_check.h"
#include "python/scopes.h"

namespace referee::analyzers::python {
namespace {

bool IsStreamContext(const std::string& r) {
  return r == "torch.cuda.stream" || r == "torch.cuda.set_stream" ||
         r == "torch.cuda.streams.stream" || r == "cupy.cuda.Stream()" ||
         r == "torch.cuda.use_stream";
}
bool IsStreamCreation(const std::string& r) {
  return r == "torch.cuda.Stream" || r == "torch.cuda.streams.Stream" ||
         r == "torch.cuda.ExternalStream" || r == "cupy.cuda.Stream" || r == "torch.Stream";
}

class SideStreamJoinCheck final : public PythonCheck {
 public:
  const char* name() const override { return "side-stream-join"; }
  std::vector<CheckHit> Run(const FileContext& ctx,
                            const std::map<std::string, std::string>& options) const override {
    std::vector<CheckHit> hits;
    const ModuleIndex& index = ctx.index();
    std::string_view src = ctx.source();
    for (size_t ci = 0; ci < index.calls().size(); ++ci) {
      TSNode call = index.calls()[ci];
      // A bare name may be bound to the context manager through getattr or importlib.
      if (!index.CalleeMayEndWith(ci, "stream") && !index.CalleeMayEndWith(ci, "set_stream") &&
          !index.CalleeMayEndWith(ci, "use_stream") &&
          !Is(Unparen(Field(call, "function")), "identifier")) {
        continue;
      }
      std::string r = ctx.Resolve(Field(call, "function"));
      TSNode use = call;
      if (!IsStreamContext(r)) continue;
      // Only streams this file creates: `torch.cuda.stream(s)` where s (or the container it is
      // taken from) was assigned a new Stream, or a Stream built inline. Restoring a saved
      // stream (`set_stream(prev)`) or the current stream is not a side stream.
      TSNode arg = Unparen(PositionalArg(call, 0));
      if (ts_node_is_null(arg) || Is(arg, "none")) continue;
      bool created = Is(arg, "call") && IsStreamCreation(ctx.Resolve(Field(arg, "function")));
      TSNode base = Is(arg, "subscript") ? Unparen(Field(arg, "value")) : arg;
      if (!created && !AssignedFromStream(ctx, NodeText(base, src))) continue;
      if (!Joined(ctx, use)) hits.push_back({use, ""});
    }
    // `with s:` on a stream object created in this module.
    for (TSNode item : index.with_items()) {
      TSNode value = Unparen(Field(item, "value"));
      if (!Is(value, "identifier") && !Is(value, "attribute")) continue;
      if (!AssignedFromStream(ctx, NodeText(value, src))) continue;
      if (!Joined(ctx, item)) hits.push_back({item, ""});
    }
    return hits;
  }

 private:
  bool AssignedFromStream(const FileContext& ctx, std::string_view name) const {
    for (TSNode a : ctx.index().assignments()) {
      if (!Is(a, "assignment") || NodeText(Field(a, "left"), ctx.source()) != name) continue;
      bool found = false;
      Walk(Field(a, "right"), [&](TSNode n) {
        if (found) return false;
        if (Is(n, "call") && IsStreamCreation(ctx.Resolve(Field(n, "function")))) {
          found = true;
        }
        return !found;
      });
      if (found) return true;
    }
    return false;
  }

  // A wait_stream / wait_event / synchronize call after `use` in the same
  // function. For a `with` block the join must follow the block (a wait at its
  // start is the side stream waiting for the main one, not the join back).
  bool Joined(const FileContext& ctx, TSNode use) const {
    TSNode fn = EnclosingFunction(use);
    uint32_t after = ts_node_start_byte(use);
    TSNode p = use;
    for (int i = 0; i < 4 && !ts_node_is_null(p); ++i, p = Parent(p)) {
      if (Is(p, "with_statement")) {
        after = ts_node_end_byte(p);
        break;
      }
    }
    for (TSNode call : ctx.index().calls()) {
      if (ts_node_start_byte(call) < after || !OwnedBy(call, fn)) continue;
      std::string_view last = CalleeLastName(call, ctx.source());
      if (last == "wait_stream" || last == "wait_event" || last == "synchronize") {
        return true;
      }
    }
    return false;
  }
};

}  // namespace

std::unique_ptr<PythonCheck> MakeSideStreamJoinCheck() {
  return std::make_unique<SideStreamJoinCheck>();
}

}  // namespace referee::analyzers::python
