// unjoined-side-stream: GPU work queued on a stream that is not the caller's (one the candidate
// creates, takes from a pool, or keeps in a global) with no join back before the function
// returns: no cudaStreamSynchronize on it, no cudaStreamWaitEvent of another stream, no
// cudaDeviceSynchronize / cudaEventSynchronize after the last use. The harness times its own
// stream and stops the clock while the work still runs (kernel-evaluators.md §7 #1–#3).
//
// Not flagged: launches on the stream the caller passes or on the current stream; side streams
// joined with an event the caller's stream waits on, or synchronised, after their last use.
#pragma once

#include "clang/checks/check.h"

namespace referee::analyzers::clang_internal {

class UnjoinedSideStreamCheck final : public ClangCheck {
 public:
  using ClangCheck::ClangCheck;
  void RegisterMatchers(clang::ast_matchers::MatchFinder* finder) override;
  void run(const clang::ast_matchers::MatchFinder::MatchResult& result) override;
};

}  // namespace referee::analyzers::clang_internal
