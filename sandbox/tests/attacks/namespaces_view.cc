// Attack (sandbox.md §8): positive control / rows 1, 7: what the namespaces show
#include <unistd.h>
#include <fcntl.h>

#include "attack.h"

int main(int argc, char** argv) {

  char host[64] = {};
  gethostname(host, sizeof(host));
  printf("hostname: %s\n", host);
  printf("pid: %d\n", (int)getpid());
  FILE* f = fopen("/proc/net/dev", "r");
  char line[512];
  int ifaces = 0;
  while (f && fgets(line, sizeof(line), f)) {
    char* colon = strchr(line, ':');
    if (colon == nullptr) continue;
    const char* start = line + strspn(line, " ");
    printf("iface: %.*s\n", (int)(colon - start), start);
    ++ifaces;
  }
  printf("interfaces: %d\n", ifaces);
  f = fopen("/proc/self/cgroup", "r");
  int non_root = 0;
  while (f && fgets(line, sizeof(line), f)) non_root += strstr(line, ":/\n") == nullptr;
  printf("cgroups not at /: %d\n", non_root);
  f = fopen("/proc/self/status", "r");
  while (f && fgets(line, sizeof(line), f)) {
    if (!strncmp(line, "CapEff", 6) || !strncmp(line, "CapBnd", 6) || !strncmp(line, "NoNewPrivs", 10) || !strncmp(line, "Seccomp:", 8)) fputs(line, stdout);
  }
  return 0;
}
