// Attack (issue #12, per-profile seccomp): what only some profiles may do: start another
// process (fork, posix_spawn) and make a socket, even an AF_UNIX one.
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attack.h"

extern char** environ;

int main() {
  pid_t pid = fork();
  if (pid == 0) _exit(0);
  Report("fork", pid);
  if (pid > 0) waitpid(pid, nullptr, 0);
  char* args[] = {(char*)"/bin/true", nullptr};
  pid_t child = -1;
  int rc = posix_spawn(&child, "/bin/true", nullptr, nullptr, args, environ);
  errno = rc;
  Report("posix_spawn", rc == 0 ? 0 : -1);
  if (rc == 0) waitpid(child, nullptr, 0);
  Report("socket(AF_UNIX)", socket(AF_UNIX, SOCK_STREAM, 0));
  return 0;
}
