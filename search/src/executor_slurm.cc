// The Slurm executor (executor.h, issue 14 item 1): a batch is one sbatch job array, each
// element one `referee search job` writing its result to <journal>/jobs/results/<job id>.json.
// Jobs are followed with squeue (a job that left the queue has ended; its result file says
// how), cancelled with scancel when the search is interrupted, and resubmitted (up to
// `requeue` times, each time told to the listener, which journals it) when they end without a
// result: a node failure, a scancel from outside, a timeout. A job id journaled by a killed
// session is adopted: its result is read if it wrote one, it is waited for if it still runs,
// and only a job that ended without a result is submitted again, so no evaluation runs twice.
// squeue and scontrol, not sacct: sacct needs slurmdbd, which a one-node cluster rarely runs.
#include <time.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>

#include "command.h"
#include "referee/base/file.h"
#include "referee/base/log.h"
#include "referee/base/strings.h"
#include "referee/search/executor.h"

namespace referee::search {
namespace {

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

void SleepS(double s) {
  timespec ts{static_cast<time_t>(s), static_cast<long>((s - static_cast<time_t>(s)) * 1e9)};
  nanosleep(&ts, nullptr);
}

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
  return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}

std::string ArrayId(const std::string& job) { return job.substr(0, job.find('_')); }

// What one job of the batch is doing.
struct Tracked {
  std::string job;  // "" while waiting for (re)submission
  int requeues = 0;
  int missing_polls = 0;  // polls since it left the queue without a result file
  bool finished = false;
  std::string lost_job, lost_why;  // the job it replaces, and why that one was lost
};

class SlurmExecutor final : public Executor {
 public:
  SlurmExecutor(WorkerOptions o, ExecutorOptions x) : o_(std::move(o)), x_(std::move(x)) {}
  std::string name() const override { return "slurm"; }
  int slots() const override { return 1 << 20; }  // the cluster queues what it cannot run

  // The job builds the candidate where it runs (a compile error is the evaluation's FAIL):
  // the search's host may have neither the GPU nor the toolchain.
  Expected<Evaluation> Build(const EvalRequest&) override {
    Evaluation e;
    e.report = {{"stage", "build"}, {"verdict", "PASS"}, {"note", "built in the evaluation job"}};
    return e;
  }

  std::vector<JobResult> Run(const std::vector<Job>& jobs, JobListener* listener) override {
    std::vector<JobResult> out(jobs.size());
    std::vector<Tracked> t(jobs.size());
    std::error_code ec;
    std::filesystem::create_directories(Results(), ec);
    for (size_t i = 0; i < jobs.size(); ++i) Adopt(jobs[i], i, t[i], out[i], listener);
    while (true) {
      if (o_.interrupted && o_.interrupted->load()) return Cancel(t, out);
      if (Status s = SubmitWaiting(jobs, t, listener); !s.ok()) return FailWaiting(t, out, s);
      std::set<std::string> open;
      for (const Tracked& x : t) {
        if (!x.finished) open.insert(ArrayId(x.job));
      }
      if (open.empty()) return out;
      SleepS(x_.poll_s);
      Expected<std::set<std::string>> queued = Queued(open);
      if (!queued) {  // slurmctld busy or restarting: ask again at the next poll
        Logf(LogLevel::kWarning, "squeue: %s", queued.error().message().c_str());
        continue;
      }
      for (size_t i = 0; i < jobs.size(); ++i) {
        if (!t[i].finished && !queued->count(t[i].job)) Ended(jobs[i], i, t[i], out[i], listener);
      }
    }
  }

 private:
  std::string Results() const { return o_.work_dir + "/results"; }
  std::string ResultPath(const std::string& job) const { return Results() + "/" + job + ".json"; }

  void Adopt(const Job& job, size_t i, Tracked& t, JobResult& out, JobListener* listener) {
    if (job.adopt.empty() || job.adopt.find('/') != std::string::npos) return;
    if (Status s = listener->Submitted(i, job.adopt); !s.ok()) {
      out.eval = s;
      out.compare = s;
      t.finished = true;
      return;
    }
    t.job = job.adopt;  // finished or not, the poll below reads its result or waits for it
    t.requeues = -1;    // one resubmission more when it turns out lost: it was not ours
  }

  // Submits every job without one as one array per max_array jobs.
  Status SubmitWaiting(const std::vector<Job>& jobs, std::vector<Tracked>& t,
                       JobListener* listener) {
    std::vector<size_t> waiting;
    for (size_t i = 0; i < jobs.size(); ++i) {
      if (!t[i].finished && t[i].job.empty()) waiting.push_back(i);
    }
    for (size_t start = 0; start < waiting.size(); start += x_.max_array) {
      size_t end = std::min(waiting.size(), start + static_cast<size_t>(x_.max_array));
      std::vector<size_t> part(waiting.begin() + start, waiting.begin() + end);
      REFEREE_ASSIGN_OR_RETURN(std::string array, SubmitArray(jobs, part));
      for (size_t k = 0; k < part.size(); ++k) {
        std::string job = array + "_" + std::to_string(k);
        Tracked& x = t[part[k]];
        Status s = !x.lost_job.empty()
                       ? listener->Requeued(part[k], x.lost_job, x.lost_why, job)
                       : listener->Submitted(part[k], job);
        REFEREE_RETURN_IF_ERROR(s);
        x.job = job;
      }
    }
    return OkStatus();
  }

  Expected<std::string> SubmitArray(const std::vector<Job>& jobs,
                                    const std::vector<size_t>& part) {
    std::string dir =
        StrFormat("%s/batch-%d-%d", o_.work_dir.c_str(), static_cast<int>(getpid()), ++batches_);
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return InternalError(dir + ": " + ec.message());
    for (size_t k = 0; k < part.size(); ++k) {
      REFEREE_RETURN_IF_ERROR(WriteFile(StrFormat("%s/%zu.json", dir.c_str(), k),
                                        DumpJson(JobRequestJson(jobs[part[k]], o_.config))));
    }
    std::string script =
        "#!/bin/sh\n# referee search: one evaluation per array element (executor_slurm.cc)\n"
        "exec " + ShellQuote(o_.referee) + " search job --request " + ShellQuote(dir) +
        "/\"$SLURM_ARRAY_TASK_ID\".json --output " + ShellQuote(Results()) +
        "/\"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\".json\n";
    REFEREE_RETURN_IF_ERROR(WriteFile(dir + "/job.sh", script));
    std::vector<std::string> argv = {"sbatch", "--parsable", "--job-name=referee-search",
                                     StrFormat("--array=0-%zu", part.size() - 1),
                                     "--output=" + dir + "/%a.log"};
    if (!x_.partition.empty()) argv.push_back("--partition=" + x_.partition);
    if (!x_.gres.empty()) argv.push_back("--gres=" + x_.gres);
    argv.insert(argv.end(), x_.sbatch_args.begin(), x_.sbatch_args.end());
    argv.push_back(dir + "/job.sh");
    REFEREE_ASSIGN_OR_RETURN(CommandOutput r, RunCommand(argv));
    std::string id = Trim(r.out.substr(0, r.out.find(';')));
    if (r.exit_code != 0 || id.empty() || id.find_first_not_of("0123456789") != std::string::npos) {
      return UnavailableError("sbatch failed (exit " + std::to_string(r.exit_code) +
                              "): " + Trim(r.err));
    }
    return id;
  }

  // The array elements still in the queue (pending, running, requeued, completing).
  Expected<std::set<std::string>> Queued(const std::set<std::string>& arrays) {
    std::vector<std::string> ids(arrays.begin(), arrays.end());
    REFEREE_ASSIGN_OR_RETURN(CommandOutput r,
                             RunCommand({"squeue", "-h", "-r", "-o", "%i", "-j", StrJoin(ids, ",")}));
    // squeue exits 1 with "Invalid job id" once every listed job has left the queue.
    if (r.exit_code != 0 && r.err.find("Invalid job id") == std::string::npos) {
      return UnavailableError(Trim(r.err));
    }
    std::set<std::string> out;
    for (const std::string& line : StrSplit(r.out, '\n')) {
      std::string id = Trim(line);
      if (!id.empty()) out.insert(id);
    }
    return out;
  }

  // A job left the queue: its result, or (after a grace poll for the file) a resubmission.
  void Ended(const Job& job, size_t i, Tracked& t, JobResult& out, JobListener*) {
    std::string path = ResultPath(t.job);
    if (access(path.c_str(), F_OK) == 0) {
      out = ReadJobResult(path, job.kind);
      t.finished = true;
      return;
    }
    if (++t.missing_polls < 2) return;
    std::string why = t.job + " ended " + State(t.job) + " without a result";
    if (t.requeues < x_.requeue) {
      Logf(LogLevel::kWarning, "slurm: job %s; resubmitting", why.c_str());
      t.lost_job = t.job;
      t.lost_why = why;
      t.job.clear();
      t.requeues = std::max(t.requeues, 0) + 1;
      t.missing_polls = 0;
      return;
    }
    Status lost = UnavailableError("slurm: job " + why);
    out.eval = lost;
    out.compare = lost;
    t.finished = true;
  }

  // JobState from scontrol (slurmctld keeps ended jobs for MinJobAge seconds).
  std::string State(const std::string& job) {
    Expected<CommandOutput> r = RunCommand({"scontrol", "-o", "show", "job", job});
    if (!r || r->exit_code != 0) return "(no longer known to slurmctld)";
    size_t at = r->out.find("JobState=");
    if (at == std::string::npos) return "(unknown state)";
    return r->out.substr(at + 9, r->out.find(' ', at) - at - 9);
  }

  std::vector<JobResult> Cancel(std::vector<Tracked>& t, std::vector<JobResult>& out) {
    std::vector<std::string> ids;
    for (Tracked& x : t) {
      if (!x.finished && !x.job.empty()) ids.push_back(x.job);
    }
    if (!ids.empty()) {
      ids.insert(ids.begin(), "scancel");
      Expected<CommandOutput> r = RunCommand(ids);
      if (!r || r->exit_code != 0) Logf(LogLevel::kWarning, "scancel failed");
    }
    return FailWaiting(t, out, Status(StatusCode::kCancelled, "interrupted"));
  }

  std::vector<JobResult> FailWaiting(std::vector<Tracked>& t, std::vector<JobResult>& out,
                                     const Status& s) {
    for (size_t i = 0; i < t.size(); ++i) {
      if (t[i].finished) continue;
      out[i].eval = s;
      out[i].compare = s;
      t[i].finished = true;
    }
    return out;
  }

  WorkerOptions o_;
  ExecutorOptions x_;
  int batches_ = 0;
};

}  // namespace

std::unique_ptr<Executor> MakeSlurmExecutor(const WorkerOptions& options,
                                            const ExecutorOptions& slurm) {
  return std::make_unique<SlurmExecutor>(options, slurm);
}

}  // namespace referee::search
