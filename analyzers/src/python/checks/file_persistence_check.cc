// file-persistence: results carried between calls or runs through files (kernel-evaluators.md
// §7 #19; reference-kernels #160 /dev/shm replay; training-hacks.md §7 D6, V2, H9).
//
//   kernel code: a value computed from the inputs written to any file, or a file read back from
//     a shared scratch location (/dev/shm, /tmp) in per-call code. A table that depends only on
//     shapes, or compiled code, may be cached on disk.
//   training scripts and other code: any write outside the run's directory (~, ~/.cache, /tmp,
//     /dev/shm, /home, /root): the next run starts from it (a warm-start checkpoint, an eval
//     cache, a rewritten token_bytes.pt). Checkpoints into the run directory are not flagged.
//
// Paths are folded through os.path.join, expanduser, pathlib and names (ValueResolver); writes
// are torch.save, pickle/json/np/safetensors dumps, open(..., 'w'/'a'/'x') and its file object's
// write, Path.write_*, shutil copies and os.replace/rename onto the path.
#include <regex>

#include "python/checks/check_util.h"
#include "python/checks/python_check.h"
#include "python/scopes.h"
#include "python/taint.h"

namespace referee::analyzers::python {
namespace {

const std::regex kOutsideRun("^(~|/tmp(/|$)|/dev/shm|/var/tmp|/root(/|$)|/home/|\\$HOME|"
                             "\\{\\}/\\.cache)|/\\.cache/");
const std::regex kSharedScratch("^(/dev/shm|/tmp(/|$)|/var/tmp)");
const std::regex kWriteMode("['\"][rb]?[wax]\\+?[bt]?['\"]|mode\\s*=\\s*['\"][^r]");

struct Access {
  TSNode node;
  TSNode path;
  TSNode value;  // null for reads and copies
  bool write = true;
};

class FilePersistenceCheck final : public PythonCheck {
 public:
  const char* name() const override { return "file-persistence"; }
  std::vector<CheckHit> Run(const FileContext& ctx,
                            const std::map<std::string, std::string>& options) const override {
    std::vector<CheckHit> hits;
    bool kernel = ctx.submission().context() == rules::Context::kKernel;
    TaintAnalysis analysis(ctx);
    for (const Access& a : Collect(ctx)) {
      if (!ctx.submission().InScope(a.node)) continue;
      std::optional<std::string> path = ctx.values().StringShape(a.path);
      if (!path) continue;
      bool outside = std::regex_search(*path, kOutsideRun);
      if (kernel) {
        TSNode fn = EnclosingFunction(a.node);
        bool per_call = !ts_node_is_null(fn) && Is(fn, "function_definition") &&
                        ctx.submission().FunctionPerCall(fn);
        if (!per_call) continue;
        if (a.write && !ts_node_is_null(a.value) &&
            (analysis.Of(fn).Of(a.value) & kContent) != 0) {
          hits.push_back({a.node, "writes a value computed from the inputs to '" + *path + "'"});
        } else if (!a.write && std::regex_search(*path, kSharedScratch)) {
          hits.push_back({a.node, "reads back '" + *path + "' on every call"});
        }
      } else if (a.write && outside) {
        hits.push_back({a.node, "writes '" + *path + "', outside the run's directory"});
      }
    }
    return hits;
  }

 private:
  static std::vector<Access> Collect(const FileContext& ctx) {
    std::vector<Access> out;
    std::string_view src = ctx.source();
    for (TSNode call : ctx.index().calls()) {
      std::string_view last = CallName(call, src);
      TSNode f = Unparen(Field(call, "function"));
      if (last == "save" || last == "dump" || last == "save_file" || last == "savez" ||
          last == "savez_compressed" || last == "save_model") {
        const std::string& r = ctx.Resolve(f);
        bool value_first = r.rfind("torch.", 0) == 0 || r.rfind("pickle.", 0) == 0 ||
                           r.rfind("json.", 0) == 0 || r.rfind("joblib.", 0) == 0 ||
                           r.rfind("safetensors.", 0) == 0 || r.rfind("dill.", 0) == 0;
        bool path_first = r.rfind("numpy.", 0) == 0;
        TSNode file = PositionalArg(call, value_first ? 1 : 0);
        TSNode value = PositionalArg(call, value_first ? 0 : 1);
        if (!value_first && !path_first) continue;
        // pickle.dump(obj, open(path, "wb")) / a file object opened on the path
        out.push_back({call, PathOfFile(ctx, file), value, true});
      } else if (last == "load" || last == "load_file") {
        const std::string& r = ctx.Resolve(f);
        if (r.rfind("torch.", 0) == 0 || r.rfind("pickle.", 0) == 0 ||
            r.rfind("numpy.", 0) == 0 || r.rfind("safetensors.", 0) == 0) {
          out.push_back({call, PathOfFile(ctx, PositionalArg(call, 0)), {}, false});
        }
      } else if ((last == "write_text" || last == "write_bytes") && Is(f, "attribute")) {
        out.push_back({call, Field(f, "object"), PositionalArg(call, 0), true});
      } else if (last == "write" && Is(f, "attribute")) {
        TSNode file = Unparen(Field(f, "object"));
        TSNode path = PathOfFile(ctx, file);
        if (!ts_node_eq(path, file)) out.push_back({call, path, PositionalArg(call, 0), true});
      } else if (last == "copy" || last == "copy2" || last == "copyfile" || last == "move" ||
                 last == "replace" || last == "rename") {
        const std::string& r = ctx.Resolve(f);
        if (r.rfind("shutil.", 0) == 0 || r.rfind("os.", 0) == 0) {
          out.push_back({call, PositionalArg(call, 1), {}, true});
        }
      }
    }
    return out;
  }

  // The path a file object was opened on: `open(p, "wb")` inline, or a name bound by
  // `with open(p, "w") as f` / `f = open(p, "w")`; the expression itself otherwise (a path).
  static TSNode PathOfFile(const FileContext& ctx, TSNode file) {
    file = Unparen(file);
    std::string_view src = ctx.source();
    if (Is(file, "call") && (CallName(file, src) == "open") &&
        std::regex_search(std::string(NodeText(Field(file, "arguments"), src)), kWriteMode)) {
      return PositionalArg(file, 0);
    }
    if (!Is(file, "identifier")) return file;
    std::string_view name = NodeText(file, src);
    for (TSNode item : ctx.index().with_items()) {
      TSNode v = Unparen(Field(item, "value"));
      if (!Is(v, "as_pattern")) continue;
      TSNode alias = Field(v, "alias");
      TSNode opened = Unparen(ts_node_named_child(v, 0));
      if (!ts_node_is_null(alias) && NodeText(alias, src).find(name) != std::string_view::npos &&
          Is(opened, "call") && CallName(opened, src) == "open" &&
          std::regex_search(std::string(NodeText(Field(opened, "arguments"), src)), kWriteMode)) {
        return PositionalArg(opened, 0);
      }
    }
    return file;
  }
};

}  // namespace

std::unique_ptr<PythonCheck> MakeFilePersistenceCheck() {
  return std::make_unique<FilePersistenceCheck>();
}

}  // namespace referee::analyzers::python
