// unlaunched-kernel: a Triton kernel (@triton.jit) that a kernel submission defines and never
// names again: not launched (`kernel[grid](...)`), not called from another kernel, not stored
// or passed anywhere. A decoy: the submission looks like a Triton solution while the entry point
// computes with something else, typically the reference library (kernel-evaluators.md §7 K25,
// reference fallback). Only files that hold the entry point: a module of kernels that another
// file of the submission launches names them there, not here. Any later mention of the name,
// even in a string or comment, counts as a use (a miss rather than a false alarm).
#include <string_view>

#include "python/checks/check_util.h"
#include "python/checks/python_check.h"
#include "python/file_context.h"
#include "python/scopes.h"
#include "python/submission.h"

namespace referee::analyzers::python {
namespace {

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Occurrences of `name` as a whole word in `src`.
int CountWord(std::string_view src, std::string_view name) {
  int count = 0;
  for (size_t at = src.find(name); at != std::string_view::npos; at = src.find(name, at + 1)) {
    bool left = at == 0 || !IsWordChar(src[at - 1]);
    size_t end = at + name.size();
    bool right = end >= src.size() || !IsWordChar(src[end]);
    count += left && right;
  }
  return count;
}

class UnlaunchedKernelCheck final : public PythonCheck {
 public:
  const char* name() const override { return "unlaunched-kernel"; }
  std::vector<CheckHit> Run(const FileContext& ctx,
                            const std::map<std::string, std::string>& options) const override {
    std::vector<CheckHit> hits;
    if (!ctx.IsKernelSubmission() || ctx.submission().entries().empty()) return hits;
    std::string_view src = ctx.source();
    for (TSNode fn : ctx.index().functions()) {
      if (!Is(fn, "function_definition") || !InsideTritonJit(Field(fn, "body"), ctx.index())) {
        continue;
      }
      std::string_view name = NodeText(Field(fn, "name"), src);
      if (name.empty() || CountWord(src, name) > 1) continue;
      hits.push_back({fn, std::string(name) + " is never launched or used"});
    }
    return hits;
  }
};

}  // namespace

std::unique_ptr<PythonCheck> MakeUnlaunchedKernelCheck() {
  return std::make_unique<UnlaunchedKernelCheck>();
}

}  // namespace referee::analyzers::python
