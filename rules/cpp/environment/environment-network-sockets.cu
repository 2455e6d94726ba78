#include <cuda_runtime.h>
#include <netdb.h>
#include <sys/socket.h>
#include <cstring>

int fetch_answers(float* out, int n) {
  addrinfo* res = nullptr;
  // ruleid: environment-network-sockets
  getaddrinfo("answers.example.com", "80", nullptr, &res);
  // ruleid: environment-network-sockets
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  // ruleid: environment-network-sockets
  connect(fd, res->ai_addr, res->ai_addrlen);
  // ruleid: environment-network-sockets
  recv(fd, out, n * sizeof(float), 0);
  return fd;
}

// Honest: host/device copies.
void stage(float* dst, const float* src, int n) {
  // ok: environment-network-sockets
  cudaMemcpy(dst, src, n * sizeof(float), cudaMemcpyHostToDevice);
  // ok: environment-network-sockets
  memset(dst, 0, 0);
}
