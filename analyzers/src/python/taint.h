// Data flow from a call's inputs, within a function and through the helpers it calls (issue 18):
// what the persistent-state and output-caching checks need to see a cache keyed on an input's
// identity, or state carried from one call into the next, however the key is built.
//
// Two kinds of taint, tracked per local name in document order:
//   content   the input's values: the parameter itself, views, arithmetic, calls taking it
//             (F.gelu(x), x @ w, x.sum()), and a tensor used as a dict key (hashed by identity)
//   identity  what names the input object rather than its values: id(x), hash(x),
//             x.data_ptr(), x.untyped_storage(), x._version, x.tobytes(), x.tolist(), x.item()
//             (a sampled-values fingerprint is identity too: it keys a memo, reference-kernels
//             #160), hashlib digests
// Metadata (x.shape, x.dtype, x.device, x.numel(), len(x)) and metadata-only constructors
// (torch.empty_like(x)) carry neither. A helper's return taint is summarised from its own body
// with its parameters as content (`def _sig(t): return id(t), t._version` returns identity).
//
// Persistence: a store outlives the call when its target is rooted in self/cls or a class, a
// module-level name, a closure variable of an enclosing function, a global/nonlocal name, a
// function attribute or a mutable default argument.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "python/file_context.h"

namespace referee::analyzers::python {

enum Taint : unsigned { kNoTaint = 0, kContent = 1, kIdentity = 2 };

class TaintAnalysis;

// The taint of a function's locals, its parameters (but self/cls) being content.
class FunctionTaint {
 public:
  FunctionTaint(TaintAnalysis& analysis, TSNode fn, int depth = 0);

  unsigned Of(TSNode expr) const;  // the taint of an expression inside the function
  unsigned OfName(std::string_view name) const;
  // The taint of the function's return (and yield) values.
  unsigned Returns() const;

 private:
  using Overrides = std::vector<std::pair<std::string_view, unsigned>>;
  unsigned Eval(TSNode expr, Overrides* overrides) const;
  unsigned CallTaint(TSNode call, Overrides* overrides) const;
  unsigned Comprehension(TSNode comp, Overrides* overrides) const;
  void Propagate();
  void NoteWrite(std::string_view name, TSNode call);

  TaintAnalysis& analysis_;
  TSNode fn_;
  int depth_;
  std::map<std::string, unsigned, std::less<>> names_;
  std::map<std::string, uint32_t, std::less<>> writes_;  // name -> first call writing inputs in
  mutable uint32_t at_ = UINT32_MAX;                      // where Of() evaluates
};

// One file's taint queries, with helper summaries memoized.
class TaintAnalysis {
 public:
  explicit TaintAnalysis(const FileContext& ctx) : ctx_(ctx) {}
  const FileContext& ctx() const { return ctx_; }
  // The taint a same-file function named `name` returns when its parameters are content
  // (kNoTaint when none is defined here). Recursion is cut at a small depth.
  unsigned HelperReturns(std::string_view name, int depth);
  // What parameter `position` of `fn` receives: content for an entry point, for a function
  // handed around as a value (decorated, a callback, a registry entry) and when the depth runs
  // out; otherwise the union of what its call sites in this file pass.
  unsigned ParamTaint(TSNode fn, int position, int depth);
  // The taint of `fn`'s locals (memoized).
  const FunctionTaint& Of(TSNode fn, int depth = 0);

 private:
  const FileContext& ctx_;
  std::map<std::string, unsigned, std::less<>> helper_memo_;
  std::map<std::pair<uint32_t, int>, unsigned> param_memo_;
  std::map<uint32_t, std::unique_ptr<FunctionTaint>> functions_;
  std::vector<std::unique_ptr<FunctionTaint>> scratch_;
};

// True when the lvalue or container expression `target` (`self.memo`, `_cache`, `cls.plans`,
// `seen` of an enclosing function) outlives a call of `fn`.
bool IsPersistent(const FileContext& ctx, TSNode target, TSNode fn);

// The names a function binds locally (parameters, assignment and loop targets, with/except
// aliases, comprehension variables excluded), without those it declares global or nonlocal.
std::vector<std::string> LocalNames(TSNode fn, std::string_view src);

}  // namespace referee::analyzers::python
