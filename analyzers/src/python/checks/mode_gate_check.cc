// mode-gate: what a call computes depends on how the harness process was started — its
// command line, its environment, its caller's frames — read once at import and consulted on every
// call (kernel-evaluators.md §7 #34; reference-kernels #162 "mode-gated"; gpu-mode's eval.py runs
// as `eval.py test|benchmark|leaderboard` and only the test mode checks every output).
// Sources: sys.argv, os.environ/os.getenv/os.environ.get, inspect.stack/currentframe,
// sys._getframe, traceback.extract_stack. A module-level name assigned from a source (or from
// another such name) is a mode; a condition in per-call code that reads one is flagged, unless
// every branch it guards only logs (print, logging, warnings, sys.stderr.write) or passes.
// Direct reads inside per-call code are harness-tampering-mode-detection's.
#include <set>

#include "python/checks/check_util.h"
#include "python/checks/python_check.h"
#include "python/scopes.h"

namespace referee::analyzers::python {
namespace {

bool IsSource(const std::string& r) {
  return r == "sys.argv" || r == "sys.orig_argv" || r == "os.environ" || r == "os.getenv" ||
         r == "os.environ.get" || r == "os.getenvb" || r == "inspect.stack" ||
         r == "inspect.currentframe" || r == "sys._getframe" || r == "traceback.extract_stack" ||
         r == "os.environ.copy";
}

class ModeGateCheck final : public PythonCheck {
 public:
  const char* name() const override { return "mode-gate"; }
  std::vector<CheckHit> Run(const FileContext& ctx,
                            const std::map<std::string, std::string>& options) const override {
    std::vector<CheckHit> hits;
    std::string_view src = ctx.source();
    if (src.find("argv") == std::string_view::npos && src.find("environ") == std::string_view::npos &&
        src.find("getenv") == std::string_view::npos && src.find("stack") == std::string_view::npos &&
        src.find("frame") == std::string_view::npos) {
      return hits;
    }
    std::set<std::string> modes;
    for (int round = 0; round < 3; ++round) {
      size_t known = modes.size();
      for (TSNode a : ctx.index().assignments()) {
        if (!Is(a, "assignment") || !AtModuleLevel(a)) continue;
        TSNode left = Unparen(Field(a, "left"));
        if (!Is(left, "identifier")) continue;
        if (ReadsMode(ctx, Field(a, "right"), modes)) modes.emplace(NodeText(left, src));
      }
      // A round that adds no mode name leaves the next one nothing new to find.
      if (modes.size() == known) break;
    }
    if (modes.empty()) return hits;
    for (TSNode fn : ctx.index().functions()) {
      if (!ctx.submission().FunctionPerCall(fn)) continue;
      Walk(Field(fn, "body"), [&](TSNode n) {
        if (Is(n, "function_definition") || Is(n, "class_definition")) return false;
        TSNode cond{};
        if (Is(n, "if_statement") || Is(n, "elif_clause") || Is(n, "while_statement")) {
          if (OnlyLogs(n, src)) return true;
          cond = Field(n, "condition");
        } else if (Is(n, "conditional_expression") && ts_node_named_child_count(n) == 3) {
          cond = ts_node_named_child(n, 1);
        }
        if (ts_node_is_null(cond)) return true;
        for (const std::string& m : modes) {
          if (MentionsText(cond, src, m)) {
            hits.push_back({cond, "'" + m + "' is read from the harness process's command line, "
                                  "environment or frames at import"});
            break;
          }
        }
        return true;
      });
    }
    return hits;
  }

 private:
  static bool ReadsMode(const FileContext& ctx, TSNode expr, const std::set<std::string>& modes) {
    bool found = false;
    std::string_view src = ctx.source();
    Walk(expr, [&](TSNode n) {
      if (found) return false;
      if (Is(n, "identifier") && modes.count(std::string(NodeText(n, src)))) found = true;
      if ((Is(n, "attribute") || Is(n, "identifier")) && IsSource(ctx.Resolve(n))) found = true;
      return !found;
    });
    return found;
  }

  // Every block the statement guards holds only logging calls or `pass`.
  static bool OnlyLogs(TSNode stmt, std::string_view src) {
    bool only = true;
    uint32_t n = ts_node_named_child_count(stmt);
    for (uint32_t i = 0; i < n && only; ++i) {
      TSNode part = ts_node_named_child(stmt, i);
      if (Is(part, "else_clause")) part = Field(part, "body");
      if (Is(part, "elif_clause")) part = Field(part, "consequence");
      if (!Is(part, "block")) continue;
      uint32_t k = ts_node_named_child_count(part);
      for (uint32_t j = 0; j < k && only; ++j) {
        TSNode s = ts_node_named_child(part, j);
        if (Is(s, "pass_statement") || Is(s, "comment")) continue;
        TSNode e = Is(s, "expression_statement") ? ts_node_named_child(s, 0) : TSNode{};
        std::string_view last = Is(e, "call") ? CallName(e, src) : std::string_view();
        only = last == "print" || last == "debug" || last == "info" || last == "warning" ||
               last == "warn" || last == "log" || last == "write" || last == "flush";
      }
    }
    return only;
  }
};

}  // namespace

std::unique_ptr<PythonCheck> MakeModeGateCheck() { return std::make_unique<ModeGateCheck>(); }

}  // namespace referee::analyzers::python
