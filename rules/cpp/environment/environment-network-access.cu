#include <cuda_runtime.h>
#include <netdb.h>
#include <sys/socket.h>
#include <cstring>

int fetch_answers(float* out, int n) {
  addrinfo* res = nullptr;
  // ruleid: environment-network-access
  getaddrinfo("answers.example.com", "80", nullptr, &res);
  // ruleid: environment-network-access
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  // ruleid: environment-network-access
  connect(fd, res->ai_addr, res->ai_addrlen);
  // ruleid: environment-network-access
  recv(fd, out, n * sizeof(float), 0);
  return fd;
}

// Honest: host/device copies.
void stage(float* dst, const float* src, int n) {
  // ok: environment-network-access
  cudaMemcpy(dst, src, n * sizeof(float), cudaMemcpyHostToDevice);
  // ok: environment-network-access
  memset(dst, 0, 0);
}
