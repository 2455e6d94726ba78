// seed-override: a constant seed where the harness passes one in (training-hacks.md §7 S3;
// modded-nanogpt #358 re-measured a claim made on same-seed repeats). A literal reaching
// torch.manual_seed (random.seed, numpy.random.seed, set_seed, seed_everything) in a function
// that takes a seed parameter, or after the script reads a seed from the environment or its
// command line, makes every "independent" run identical: the variance the harness measures
// collapses and a lucky constant can be chosen offline. A literal in a fallback branch
// (`if seed is None: torch.manual_seed(0)`), a generator object's own seed
// (`g.manual_seed(1234)`), and scripts that take no seed (autoresearch's fixed 42) are not
// flagged.
#include <algorithm>

#include "python/checks/check_util.h"
#include "python/checks/python_check.h"
#include "python/scopes.h"

namespace referee::analyzers::python {
namespace {

constexpr const char* kSeedFunctions[] = {
    "torch.manual_seed",          "torch.cuda.manual_seed",
    "torch.cuda.manual_seed_all", "torch.random.manual_seed",
    "random.seed",                "numpy.random.seed",
    "transformers.set_seed",      "accelerate.utils.set_seed",
    "lightning.seed_everything",  "pytorch_lightning.seed_everything",
    "lightning.pytorch.seed_everything"};

// Case-insensitive, without a lowered copy (this runs on every file's whole source first).
bool MentionsSeed(std::string_view text) {
  for (size_t at = 0; at + 4 <= text.size(); ++at) {
    if ((text[at] | 0x20) == 's' && (text[at + 1] | 0x20) == 'e' &&
        (text[at + 2] | 0x20) == 'e' && (text[at + 3] | 0x20) == 'd') {
      return true;
    }
  }
  return false;
}

bool IsSeedFunction(const std::string& resolved) {
  return std::any_of(std::begin(kSeedFunctions), std::end(kSeedFunctions),
                     [&](const char* f) { return resolved == f; });
}

// Where a seed comes in: a function with a seed parameter (its body), or a read of the
// environment or command line (its scope; `file_wide` for argparse, whose parser usually sits
// in a helper).
struct SeedSource {
  TSNode scope;  // function, or null for module level
  bool file_wide = false;
};

void ParameterSources(const FileContext& ctx, std::vector<SeedSource>* out) {
  for (TSNode fn : ctx.index().functions()) {
    TSNode params = Field(fn, "parameters");
    uint32_t n = ts_node_named_child_count(params);
    for (uint32_t i = 0; i < n; ++i) {
      TSNode p = ts_node_named_child(params, i);
      TSNode name = Is(p, "identifier") ? p : Field(p, "name");
      if (Is(p, "typed_parameter")) name = ts_node_named_child(p, 0);
      if (Is(name, "identifier") && MentionsSeed(NodeText(name, ctx.source()))) {
        out->push_back({fn, false});
        break;
      }
    }
  }
}

void ReadSources(const FileContext& ctx, std::vector<SeedSource>* out) {
  std::string_view src = ctx.source();
  for (TSNode call : ctx.index().calls()) {
    std::string_view last = CalleeLastName(call, src);
    if (last != "getenv" && last != "get" && last != "add_argument") continue;
    if (!MentionsSeed(NodeText(Field(call, "arguments"), src))) continue;
    if (last == "add_argument") {
      out->push_back({{}, true});
      continue;
    }
    const std::string& r = ctx.Resolve(Field(call, "function"));
    if (r == "os.getenv" || r == "os.environ.get") out->push_back({EnclosingFunction(call), false});
  }
  for (TSNode a : ctx.index().assignments()) {
    std::string_view right = NodeText(Field(a, "right"), src);
    if (right.find("environ[") != std::string_view::npos && MentionsSeed(right)) {
      out->push_back({EnclosingFunction(a), false});
    }
  }
}

bool SameScope(TSNode a, TSNode b) {
  if (ts_node_is_null(a) || ts_node_is_null(b)) return ts_node_is_null(a) && ts_node_is_null(b);
  return ts_node_eq(a, b);
}

// Inside a branch chosen by a condition on the seed, or an exception handler: a fallback.
bool InFallback(TSNode n, std::string_view src) {
  for (TSNode p = Parent(n); !ts_node_is_null(p); p = Parent(p)) {
    if (Is(p, "function_definition")) return false;
    if (Is(p, "except_clause")) return true;
    if ((Is(p, "if_statement") || Is(p, "elif_clause") || Is(p, "conditional_expression")) &&
        MentionsSeed(NodeText(Is(p, "conditional_expression") ? p : Field(p, "condition"), src))) {
      return true;
    }
  }
  return false;
}

// The argument is a constant: an integer literal, or a name every assignment in the file binds
// to an integer literal (`SEED = 1337` ... `torch.manual_seed(SEED)`); a name bound to anything
// else (a parameter, `int(os.environ[...])`, `args.seed`) is not.
bool IsConstantSeed(const FileContext& ctx, TSNode arg) {
  if (Is(arg, "integer")) return true;
  if (!Is(arg, "identifier")) return false;
  std::string_view src = ctx.source(), name = NodeText(arg, src);
  int bound = 0;
  for (TSNode a : ctx.index().assignments()) {
    TSNode left = Field(a, "left");
    if (!Is(left, "identifier") || NodeText(left, src) != name) continue;
    if (!Is(a, "assignment") || !Is(Field(a, "right"), "integer")) return false;
    ++bound;
  }
  for (TSNode fn : ctx.index().functions()) {  // a parameter of that name is a variable
    TSNode params = Field(fn, "parameters");
    if (NodeText(params, src).find(name) != std::string_view::npos) return false;
  }
  return bound > 0;
}

class SeedOverrideCheck final : public PythonCheck {
 public:
  const char* name() const override { return "seed-override"; }
  std::vector<CheckHit> Run(const FileContext& ctx,
                            const std::map<std::string, std::string>& options) const override {
    std::vector<CheckHit> hits;
    std::string_view src = ctx.source();
    if (!MentionsSeed(src)) return hits;
    std::vector<SeedSource> sources;
    for (size_t ci = 0; ci < ctx.index().calls().size(); ++ci) {
      TSNode call = ctx.index().calls()[ci];
      // The callee first: IsConstantSeed scans the file's assignments, and most calls have a
      // name as their first argument (quadratic on large files).
      if (!IsSeedFunction(ctx.Resolve(Field(call, "function")))) continue;
      TSNode arg = PositionalArg(call, 0);
      if (ts_node_is_null(arg)) arg = KeywordArg(call, src, "seed");
      if (!IsConstantSeed(ctx, arg)) continue;
      if (sources.empty()) ParameterSources(ctx, &sources), ReadSources(ctx, &sources);
      TSNode scope = EnclosingFunction(call);
      bool overrides = std::any_of(sources.begin(), sources.end(), [&](const SeedSource& s) {
        if (s.file_wide) return true;
        if (!ts_node_is_null(s.scope) && Contains(s.scope, call)) return true;
        return SameScope(s.scope, scope);
      });
      if (overrides && !InFallback(call, src)) hits.push_back({call, ""});
    }
    return hits;
  }
};

}  // namespace

std::unique_ptr<PythonCheck> MakeSeedOverrideCheck() {
  return std::make_unique<SeedOverrideCheck>();
}

}  // namespace referee::analyzers::python
