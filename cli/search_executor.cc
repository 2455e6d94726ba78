#include "search_executor.h"

#include <unistd.h>

#include <filesystem>
#include <vector>

#include "exit_codes.h"
#include "judge_flags.h"
#include "output.h"
#include "referee/base/file.h"
#include "referee/base/json.h"
#include "referee/base/log.h"
#include "referee/base/strings.h"
#include "referee/search/fake_judge.h"
#include "referee/search/harness_judge.h"

namespace referee::cli {

using namespace referee::search;

void AddExecutorFlags(FlagSet& f, ExecutorFlags* a) {
  f.Choice("--executor", &a->kind, {"local", "slurm"},
           "where evaluations run: local (this host) or slurm (sbatch job arrays)")
      .Int("--slots", &a->slots, 1, 1024, "N", "local: evaluations at once (default 1)")
      .String("--gpus", &a->gpus, "LIST", "local: one slot per GPU index, e.g. 0,1,2,3")
      .String("--partition", &a->partition, "P", "slurm: the partition")
      .String("--gres", &a->gres, "G",
              "slurm: resources per job (default gpu:1 on a cuda device; 'none' for CPU jobs)")
      .Repeated("--sbatch-arg", &a->sbatch_args, "ARG", "slurm: one more sbatch argument")
      .Int("--requeue", &a->requeue, 0, 100, "N",
           "slurm: resubmissions of a job lost without a result (default 2)");
}

Status ApplyExecutorFlags(const ExecutorFlags& a, SearchConfig& c) {
  ExecutorOptions& x = c.executor;
  x.kind = a.kind;
  x.slots = a.slots;
  for (const std::string& g : StrSplit(a.gpus, ',')) {
    if (g.empty()) continue;
    if (g.find_first_not_of("0123456789") != std::string::npos || g.size() > 4) {
      return InvalidArgumentError("--gpus: '" + g + "' is not a GPU index");
    }
    x.gpus.push_back(std::stoi(g));
  }
  if (!x.gpus.empty()) x.slots = static_cast<int>(x.gpus.size());
  x.partition = a.partition;
  x.gres = a.gres == "auto" ? (c.device == "cpu" ? "" : "gpu:1") : a.gres == "none" ? "" : a.gres;
  x.sbatch_args = a.sbatch_args;
  x.requeue = a.requeue;
  return OkStatus();
}

Expected<std::unique_ptr<Judge>> MakeSearchJudge(const SearchConfig& c) {
  if (c.judge == "fake") return MakeFakeJudge();
  JudgeFlags f;
  f.device = c.device;
  f.mode = c.mode;
  f.sandbox = c.sandbox;
  f.calibration = c.calibration;
  f.memory = c.memory;
  f.repeat = c.hot_repeat;
  f.call_timeout = c.call_timeout_s;
  f.quick = c.quick;
  f.no_reference_timing = !c.time_reference;
  HarnessJudgeOptions o;
  o.task_dir = c.task_dir;
  REFEREE_ASSIGN_OR_RETURN(o.config, MakeJudgeConfig(f));
  std::vector<std::string> warnings;
  REFEREE_ASSIGN_OR_RETURN(std::unique_ptr<Judge> judge, MakeHarnessJudge(o, &warnings));
  for (const std::string& w : warnings) Logf(LogLevel::kWarning, "%s", w.c_str());
  return judge;
}

Expected<std::unique_ptr<Executor>> MakeSearchExecutor(const SearchConfig& c,
                                                       const std::string& journal_dir,
                                                       Judge* judge,
                                                       const std::atomic<bool>* interrupted) {
  const ExecutorOptions& x = c.executor;
  if (x.kind == "local" && x.slots <= 1 && x.gpus.empty()) return std::unique_ptr<Executor>();
  std::error_code ec;
  WorkerOptions o;
  o.referee = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  if (ec) return InternalError("cannot find the referee binary: " + ec.message());
  o.work_dir = std::filesystem::absolute(journal_dir).string() + "/jobs";
  std::filesystem::create_directories(o.work_dir, ec);
  if (ec) return InternalError(o.work_dir + ": " + ec.message());
  o.config = c.ToJson();
  o.interrupted = interrupted;
  if (x.kind == "slurm") return MakeSlurmExecutor(o, x);
  // Each slot sees one GPU as device 0 (CUDA_VISIBLE_DEVICES), so the worker asks for "cuda".
  if (!x.gpus.empty()) o.config["device"] = "cuda";
  return MakeLocalExecutor(o, x.slots, x.gpus, judge);
}

int RunSearchJob(int argc, char** argv) {
  std::string request, output;
  FlagSet flags("referee search job --request FILE --output FILE",
                "Runs one evaluation or comparison of a search's executor (a worker: the search "
                "starts it, locally or as a Slurm job) and writes its result file.\n");
  flags.String("--request", &request, "FILE", "the job's request (written by the search)")
      .String("--output", &output, "FILE", "where the result goes (renamed into place)");
  if (int rc = ParseOrExit(flags, argc, argv, "search job"); rc >= 0) return rc;
  if (request.empty() || output.empty()) {
    return UsageError(InvalidArgumentError("search job needs --request and --output"),
                      "search job");
  }
  Expected<Json> req = ReadJsonFile(request);
  if (!req) return InputError(req.error());
  Expected<SearchConfig> c = ConfigFromJson(req->value("config", Json::object()));
  if (!c) return InputError(c.error());
  Expected<std::unique_ptr<Judge>> judge = MakeSearchJudge(*c);
  if (!judge) return InputError(judge.error());
  if (Status s = RunJobFile(**judge, *req, output); !s.ok()) return InputError(s);
  return kExitClean;
}

}  // namespace referee::cli
