// Attack (sandbox.md §8): positive control: AF_UNIX socketpair and abstract listen/connect (CUDA)
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "attack.h"

int main(int argc, char** argv) {

  int sv[2];
  Report("socketpair(AF_UNIX)", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
  int srv = socket(AF_UNIX, SOCK_SEQPACKET, 0);
  Report("socket(AF_UNIX)", srv);
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof(addr));
  addr.sun_family = AF_UNIX;
  memcpy(addr.sun_path + 1, "inside", 6);
  socklen_t len = sizeof(sa_family_t) + 7;
  Report("bind(abstract)", bind(srv, (struct sockaddr*)&addr, len));
  Report("listen", listen(srv, 1));
  int c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
  Report("connect(abstract)", connect(c, (struct sockaddr*)&addr, len));
  return 0;
}
