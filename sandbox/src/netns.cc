#include "netns.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>

namespace referee::sandbox::internal::netns {

ChildError Apply() {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ChildFail("socket for loopback setup");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof(ifr));
  memcpy(ifr.ifr_name, "lo", 3);
  ChildError result = ChildOk();
  if (ioctl(fd, SIOCGIFFLAGS, &ifr) != 0) {
    result = ChildFail("SIOCGIFFLAGS lo");
  } else {
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(fd, SIOCSIFFLAGS, &ifr) != 0) result = ChildFail("bring lo up");
  }
  close(fd);
  return result;
}

}  // namespace referee::sandbox::internal::netns
