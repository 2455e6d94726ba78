// Where the judge's work runs (issue 14 item 1). The engine calls an Executor, never a Judge
// directly; an executor runs evaluations somewhere and hands back the Judge's results:
//
//   local, 1 slot    the Judge in this process, one call at a time (the search before issue 14)
//   local, N slots   N `referee search job` processes on this host, one per slot at a time;
//                    with --gpus each slot is pinned to one GPU (CUDA_VISIBLE_DEVICES)
//   slurm            one sbatch job array per batch, each element one `referee search job`;
//                    followed with squeue, cancelled with scancel
//
//   std::unique_ptr<Executor> x = MakeInProcessExecutor(judge);
//   std::vector<Expected<Evaluation>> r = x->Evaluate({{req_a}, {req_b}}, &listener);
//
// A batch's results come back in request order whatever order they finished in, so the engine
// journals them in a deterministic order and a resume replays to the same decisions. A paired
// A/B comparison is never split: it runs in one process on one slot (one GPU, one node).
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "referee/base/expected.h"
#include "referee/base/json.h"
#include "referee/search/config.h"
#include "referee/search/judge.h"

namespace referee::search {

// One unit of work. `adopt` is a job id an interrupted session journaled for this stage: the
// executor takes that job's result if it finished, waits for it if it still runs, and submits
// anew only when it ended without one. Never both, so nothing is evaluated twice.
struct Job {
  enum class Kind { kEvaluate, kCompare };
  Kind kind = Kind::kEvaluate;
  EvalRequest eval;
  CompareRequest compare;
  std::string adopt;
};

// Told of job ids as they are assigned, so that the engine journals them before it waits.
class JobListener {
 public:
  virtual ~JobListener() = default;
  // Job `index` of the batch runs as `job` (an adopted job is reported with its own id).
  virtual Status Submitted(size_t index, const std::string& job) = 0;
  // Job `index`'s previous job was lost (node failure, cancelled) and `job` replaces it.
  virtual Status Requeued(size_t index, const std::string& lost_job, const std::string& why,
                          const std::string& job) = 0;
};

struct JobResult {
  Expected<Evaluation> eval = Evaluation{};
  Expected<Comparison> compare = Comparison{};
};

class Executor {
 public:
  virtual ~Executor() = default;
  virtual std::string name() const = 0;
  // Evaluations that can run at once; 1 keeps the engine on its sequential path.
  virtual int slots() const = 0;
  // Compiles where the candidate will run (in process), or passes when the job builds it.
  virtual Expected<Evaluation> Build(const EvalRequest& request) = 0;
  // Runs the jobs (up to slots() at once) and returns one result per job, in order. An error
  // result is the evaluator's or the infrastructure's failure (a lost job), never the
  // candidate's; a Cancelled error means the search was interrupted.
  virtual std::vector<JobResult> Run(const std::vector<Job>& jobs, JobListener* listener) = 0;
};

// The Judge in this process, one call at a time: exactly the search's behaviour before issue 14.
std::unique_ptr<Executor> MakeInProcessExecutor(Judge* judge);

// How a worker process is started: `referee search job --request R --output O`.
struct WorkerOptions {
  std::string referee;            // the referee binary (absolute)
  std::string work_dir;           // requests, results and logs: <journal>/jobs
  Json config = Json::object();   // the search config (SearchConfig::ToJson) the worker judges with
  const std::atomic<bool>* interrupted = nullptr;  // SIGINT/SIGTERM: cancel what runs, return
};

// N local slots. `build` (may be null) compiles in this process (a CPU slot); with `gpus`
// non-empty slot i sees only GPU gpus[i].
std::unique_ptr<Executor> MakeLocalExecutor(const WorkerOptions& options, int slots,
                                            const std::vector<int>& gpus, Judge* build);

// sbatch job arrays (config.h ExecutorOptions: partition, gres, extra sbatch arguments).
std::unique_ptr<Executor> MakeSlurmExecutor(const WorkerOptions& options,
                                            const ExecutorOptions& slurm);

// The worker's side: runs one request file's job with `judge` and writes the result file
// (atomically: a rename). The file's JSON: {"schema_version", "ok", "error" | "evaluation" |
// "comparison"}, the evaluation's "report" being the evaluator's report (`eval --format json`).
Status RunJobFile(Judge& judge, const Json& request, const std::string& output);
Json JobRequestJson(const Job& job, const Json& config);
// Reads a result file a job wrote. The job ran a hostile candidate: anything malformed,
// missing or oversized is an error (a lost evaluation) with one line, never a crash.
JobResult ReadJobResult(const std::string& path, Job::Kind kind);

}  // namespace referee::search
