// The local executors (executor.h): the Judge in this process (one slot, the search's
// behaviour before issue 14), and N worker processes on this host, one job per slot at a
// time, slot i pinned to GPU gpus[i] by CUDA_VISIBLE_DEVICES so that two candidates never
// share a GPU (they would time each other). A comparison is one job: its pairs run in one
// process on one GPU.
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <filesystem>

#include "command.h"
#include "referee/base/file.h"
#include "referee/base/strings.h"
#include "referee/search/executor.h"

namespace referee::search {
namespace {

class InProcessExecutor final : public Executor {
 public:
  explicit InProcessExecutor(Judge* judge) : judge_(judge) {}
  std::string name() const override { return "local"; }
  int slots() const override { return 1; }
  Expected<Evaluation> Build(const EvalRequest& r) override { return judge_->Build(r); }
  std::vector<JobResult> Run(const std::vector<Job>& jobs, JobListener*) override {
    std::vector<JobResult> out(jobs.size());
    for (size_t i = 0; i < jobs.size(); ++i) {
      if (jobs[i].kind == Job::Kind::kCompare) out[i].compare = judge_->Compare(jobs[i].compare);
      else out[i].eval = judge_->Evaluate(jobs[i].eval);
    }
    return out;
  }

 private:
  Judge* judge_;
};

void SleepS(double s) {
  timespec ts{static_cast<time_t>(s), static_cast<long>((s - static_cast<time_t>(s)) * 1e9)};
  nanosleep(&ts, nullptr);
}

class LocalExecutor final : public Executor {
 public:
  LocalExecutor(WorkerOptions o, int slots, std::vector<int> gpus, Judge* build)
      : o_(std::move(o)), slots_(slots), gpus_(std::move(gpus)), build_(build) {}
  std::string name() const override { return "local"; }
  int slots() const override { return slots_; }

  // Builds on a CPU slot in this process when a judge was given; else the worker builds.
  Expected<Evaluation> Build(const EvalRequest& r) override {
    if (build_) return build_->Build(r);
    Evaluation e;
    e.report = {{"stage", "build"}, {"verdict", "PASS"}, {"note", "built by the worker"}};
    return e;
  }

  std::vector<JobResult> Run(const std::vector<Job>& jobs, JobListener*) override {
    std::vector<JobResult> out(jobs.size());
    std::string dir = o_.work_dir + "/local";
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    std::deque<size_t> todo;
    for (size_t i = 0; i < jobs.size(); ++i) todo.push_back(i);
    std::vector<std::pair<pid_t, size_t>> running(slots_, {-1, 0});
    std::vector<char> finished(jobs.size(), 0);
    size_t done = 0;
    ++batch_;
    while (done < jobs.size()) {
      if (o_.interrupted && o_.interrupted->load()) return Interrupt(running, finished, out);
      for (int slot = 0; slot < slots_ && !todo.empty(); ++slot) {
        if (running[slot].first > 0) continue;
        size_t i = todo.front();
        todo.pop_front();
        Expected<pid_t> pid = Start(dir, jobs[i], i, slot);
        if (!pid) {
          out[i].eval = pid.error();
          out[i].compare = pid.error();
          finished[i] = 1;
          ++done;
          continue;
        }
        running[slot] = {*pid, i};
      }
      done += Reap(dir, jobs, running, finished, out);
      SleepS(0.01);
    }
    return out;
  }

 private:
  std::string Stem(const std::string& dir, size_t i) const {
    return StrFormat("%s/%d-%llu-%zu", dir.c_str(), static_cast<int>(getpid()),
                     static_cast<unsigned long long>(batch_), i);
  }

  Expected<pid_t> Start(const std::string& dir, const Job& job, size_t i, int slot) {
    std::string stem = Stem(dir, i);
    REFEREE_RETURN_IF_ERROR(
        WriteFile(stem + ".request.json", DumpJson(JobRequestJson(job, o_.config))));
    std::remove((stem + ".result.json").c_str());
    std::map<std::string, std::string> env;
    if (!gpus_.empty()) env["CUDA_VISIBLE_DEVICES"] = std::to_string(gpus_[slot]);
    return SpawnWorker({o_.referee, "search", "job", "--request", stem + ".request.json",
                        "--output", stem + ".result.json"},
                       env, stem + ".log");
  }

  size_t Reap(const std::string& dir, const std::vector<Job>& jobs,
              std::vector<std::pair<pid_t, size_t>>& running, std::vector<char>& finished,
              std::vector<JobResult>& out) {
    size_t n = 0;
    for (auto& [pid, i] : running) {
      if (pid <= 0) continue;
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) != pid) continue;
      out[i] = ReadJobResult(Stem(dir, i) + ".result.json", jobs[i].kind);
      finished[i] = 1;
      pid = -1;
      ++n;
    }
    return n;
  }

  std::vector<JobResult> Interrupt(std::vector<std::pair<pid_t, size_t>>& running,
                                   const std::vector<char>& finished,
                                   std::vector<JobResult>& out) {
    for (auto& [pid, i] : running) {
      if (pid <= 0) continue;
      kill(pid, SIGTERM);
      waitpid(pid, nullptr, 0);
    }
    Status s(StatusCode::kCancelled, "interrupted");
    for (size_t i = 0; i < out.size(); ++i) {
      if (finished[i]) continue;
      out[i].eval = s;
      out[i].compare = s;
    }
    return out;
  }

  WorkerOptions o_;
  int slots_;
  std::vector<int> gpus_;
  Judge* build_;
  uint64_t batch_ = 0;
};

}  // namespace

std::unique_ptr<Executor> MakeInProcessExecutor(Judge* judge) {
  return std::make_unique<InProcessExecutor>(judge);
}

std::unique_ptr<Executor> MakeLocalExecutor(const WorkerOptions& options, int slots,
                                            const std::vector<int>& gpus, Judge* build) {
  int n = gpus.empty() ? slots : static_cast<int>(gpus.size());
  return std::make_unique<LocalExecutor>(options, n, gpus, build);
}

}  // namespace referee::search
