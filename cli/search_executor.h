// The search's judge and executor, as the CLI builds them from the search config (issue 14):
// shared by `referee search run` and the worker subcommand `referee search job`.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "flags.h"
#include "referee/base/expected.h"
#include "referee/search/config.h"
#include "referee/search/executor.h"
#include "referee/search/judge.h"

namespace referee::cli {

struct ExecutorFlags {
  std::string kind = "local", gpus, partition, gres = "auto";
  std::vector<std::string> sbatch_args;
  int slots = 1, requeue = 2;
};
void AddExecutorFlags(FlagSet& f, ExecutorFlags* a);
// Fills config.executor; gres "auto" asks for gpu:1 when the device is a GPU.
Status ApplyExecutorFlags(const ExecutorFlags& a, search::SearchConfig& c);

// The judging flags stored at init, turned into the harness's config as `eval` would.
Expected<std::unique_ptr<search::Judge>> MakeSearchJudge(const search::SearchConfig& c);

// null for the local executor with one slot (the engine then uses `judge` in process).
Expected<std::unique_ptr<search::Executor>> MakeSearchExecutor(
    const search::SearchConfig& c, const std::string& journal_dir, search::Judge* judge,
    const std::atomic<bool>* interrupted);

// `referee search job --request FILE --output FILE`: one job of an executor (a worker).
int RunSearchJob(int argc, char** argv);

}  // namespace referee::cli
