#include "large_stack.h"

#include <pthread.h>

#include <vector>

namespace referee::analyzers {
namespace {

struct Job {
  const std::function<void(int)>* worker;
  int index;
};

void* RunJob(void* arg) {
  const Job* job = static_cast<const Job*>(arg);
  (*job->worker)(job->index);
  return nullptr;
}

// False when the thread could not be created (no memory for the stack, thread limits).
bool Start(Job* job, size_t stack_bytes, pthread_t* thread) {
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) return false;
  bool ok = pthread_attr_setstacksize(&attr, stack_bytes) == 0 &&
            pthread_create(thread, &attr, RunJob, job) == 0;
  pthread_attr_destroy(&attr);
  return ok;
}

}  // namespace

void RunOnLargeStack(const std::function<void()>& fn, size_t stack_bytes) {
  RunThreadsOnLargeStacks(1, [&fn](int) { fn(); }, stack_bytes);
}

void RunThreadsOnLargeStacks(int count, const std::function<void(int)>& worker,
                             size_t stack_bytes) {
  std::vector<Job> jobs(count > 0 ? count : 0);
  std::vector<pthread_t> threads;
  std::vector<int> inline_jobs;
  for (int i = 0; i < count; ++i) {
    jobs[i] = {&worker, i};
    pthread_t t;
    if (Start(&jobs[i], stack_bytes, &t)) {
      threads.push_back(t);
    } else {
      inline_jobs.push_back(i);
    }
  }
  for (int i : inline_jobs) worker(i);
  for (pthread_t t : threads) pthread_join(t, nullptr);
}

}  // namespace referee::analyzers
