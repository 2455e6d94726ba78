#include "fd_passing.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <cstring>

namespace referee::sandbox::internal {
namespace {

// A message with room for one fd and one byte of data (recvmsg needs at least a byte).
struct FdMessage {
  char byte = 'L';
  iovec iov{};
  msghdr msg{};
  union {  // last: cmsghdr ends in a flexible array member
    char buf[CMSG_SPACE(sizeof(int))];
    cmsghdr align;
  } control{};

  FdMessage() {
    iov = {&byte, 1};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.buf;
    msg.msg_controllen = sizeof(control.buf);
  }
  FdMessage(const FdMessage&) = delete;
  FdMessage& operator=(const FdMessage&) = delete;
};

}  // namespace

bool SendFd(int sock, int fd) {
  FdMessage m;
  cmsghdr* cmsg = CMSG_FIRSTHDR(&m.msg);
  cmsg->cmsg_level = SOL_SOCKET;
  cmsg->cmsg_type = SCM_RIGHTS;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
  return sendmsg(sock, &m.msg, MSG_NOSIGNAL) == 1;
}

int ReceiveFd(int sock) {
  FdMessage m;
  if (recvmsg(sock, &m.msg, MSG_CMSG_CLOEXEC) <= 0) return -1;
  cmsghdr* cmsg = CMSG_FIRSTHDR(&m.msg);
  if (cmsg == nullptr || cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS ||
      cmsg->cmsg_len != CMSG_LEN(sizeof(int))) {
    return -1;
  }
  int fd;
  std::memcpy(&fd, CMSG_DATA(cmsg), sizeof(int));
  return fd;
}

}  // namespace referee::sandbox::internal
