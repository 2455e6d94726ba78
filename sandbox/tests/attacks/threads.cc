// Attack (sandbox.md §8): positive control: threads
#include <pthread.h>

#include "attack.h"

int main(int argc, char** argv) {

  pthread_t t[4];
  for (auto& x : t) {
    int rc = pthread_create(&x, nullptr, [](void*) -> void* { return nullptr; }, nullptr);
    errno = rc;
    Report("pthread_create", rc == 0 ? 0 : -1);
  }
  for (auto& x : t) pthread_join(x, nullptr);
  return 0;
}
