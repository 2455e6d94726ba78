// One fd over a unix socket (SCM_RIGHTS): the payload sends its seccomp listener to the
// supervisor. Both ends build the same one-byte message here (issue #12: it was written twice).
// SendFd runs in the child between clone and execve, so neither function allocates.
#pragma once

namespace referee::sandbox::internal {

// Sends `fd` with one byte of data; true on success.
bool SendFd(int sock, int fd);
// Receives one fd (close-on-exec); -1 on failure or when the message carries none.
int ReceiveFd(int sock);

}  // namespace referee::sandbox::internal
