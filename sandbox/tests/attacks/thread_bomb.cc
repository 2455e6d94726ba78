// Attack (sandbox.md §8): row 22: create threads until refused
#include <pthread.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char** argv) {

  int n = 0;
  for (;;) {
    pthread_t t;
    int rc = pthread_create(&t, nullptr, [](void*) -> void* { pause(); return nullptr; }, nullptr);
    if (rc != 0) { errno = rc; break; }
    ++n;
  }
  Report("pthread_create", -1);
  printf("threads before refusal: %s\n", n < 64 ? "fewer than 64" : "64 or more");
  return 0;
}
