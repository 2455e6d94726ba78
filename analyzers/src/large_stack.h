// Threads with stacks sized for parsers (issue 20). Clang's parser and Sema recurse once per
// nesting level of the source (`return - - - ... 1;` took 5,000 levels past the 8 MiB of a default
// thread), as do parts of the audit's own tree walks; analyses therefore run on threads with
// kAnalysisStackBytes of stack, Clang's runWithSufficientStackSpace pattern (a fresh thread with
// the stack the work needs). The memory is reserved, not committed: only touched pages count.
//
//   RunOnLargeStack([&] { output = analyzer->Analyze(file, rules); });
#pragma once

#include <cstddef>
#include <functional>

namespace referee::analyzers {

inline constexpr size_t kAnalysisStackBytes = size_t{512} << 20;

// Runs `fn` on a new thread with `stack_bytes` of stack and waits for it; runs it on the calling
// thread when no such thread can be created. `fn` must not throw.
void RunOnLargeStack(const std::function<void()>& fn, size_t stack_bytes = kAnalysisStackBytes);

// Runs worker(w) for w in [0, count) on `count` such threads at once and joins them.
void RunThreadsOnLargeStacks(int count, const std::function<void(int)>& worker,
                             size_t stack_bytes = kAnalysisStackBytes);

}  // namespace referee::analyzers
