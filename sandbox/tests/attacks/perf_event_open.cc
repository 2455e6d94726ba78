// Attack (sandbox.md §8): row 15: perf_event_open
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "attack.h"

int main(int argc, char** argv) {

  struct perf_event_attr attr;
  memset(&attr, 0, sizeof(attr));
  attr.size = sizeof(attr);
  attr.type = PERF_TYPE_SOFTWARE;
  attr.config = PERF_COUNT_SW_CPU_CLOCK;
  Report("perf_event_open", syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0));
  return 0;
}
