// Attack (sandbox.md §8): row 3: connect to a pathname UNIX socket on the host
#include <sys/socket.h>
#include <sys/un.h>

#include "attack.h"

int main(int argc, char** argv) {

  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof(addr));
  addr.sun_family = AF_UNIX;
  strncpy(addr.sun_path, argv[1], sizeof(addr.sun_path) - 1);
  Report("connect(path)", connect(fd, (struct sockaddr*)&addr, sizeof(addr)));
  return 0;
}
