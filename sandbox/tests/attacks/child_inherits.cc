// Attack (sandbox.md §8): row 34: a spawned worker tries what its parent may not
#include <sys/socket.h>
#include <unistd.h>
#include <sys/wait.h>

#include "attack.h"

int main(int argc, char** argv) {

  if (argc > 1) {  // the re-executed worker
    Report("worker socket(AF_INET)", socket(AF_INET, SOCK_STREAM, 0));
    return 0;
  }
  pid_t pid = fork();
  if (pid == 0) {
    char* args[] = {argv[0], (char*)"worker", nullptr};
    execv(argv[0], args);
    _exit(127);
  }
  int status;
  waitpid(pid, &status, 0);
  return 0;
}
