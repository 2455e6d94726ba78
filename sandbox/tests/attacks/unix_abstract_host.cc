// Attack (sandbox.md §8): row 3: connect to an abstract UNIX socket the host listens on
#include <sys/socket.h>
#include <sys/un.h>

#include "attack.h"

int main(int argc, char** argv) {

  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof(addr));
  addr.sun_family = AF_UNIX;
  size_t len = strlen(argv[1]);
  memcpy(addr.sun_path + 1, argv[1], len);  // abstract: leading NUL
  Report("connect(abstract)", connect(fd, (struct sockaddr*)&addr, sizeof(sa_family_t) + 1 + len));
  return 0;
}
