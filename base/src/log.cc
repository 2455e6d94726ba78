#include "referee/base/log.h"

#include <unistd.h>

#include <atomic>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

namespace referee {
namespace {

std::atomic<int> g_verbosity{1};

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "?";
}

bool Enabled(LogLevel level) {
  int v = g_verbosity.load(std::memory_order_relaxed);
  switch (level) {
    case LogLevel::kError: return true;
    case LogLevel::kWarning: return v >= 1;
    case LogLevel::kInfo: return v >= 2;
    case LogLevel::kDebug: return v >= 3;
  }
  return true;
}

std::string Prefix() {
  if (g_verbosity.load(std::memory_order_relaxed) < 2) return "";
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  tm local{};
  localtime_r(&ts.tv_sec, &local);
  char buf[64];
  std::snprintf(buf, sizeof buf, "[%02d:%02d:%02d.%03ld][%d] ", local.tm_hour, local.tm_min,
                local.tm_sec, ts.tv_nsec / 1000000, static_cast<int>(getpid()));
  return buf;
}

}  // namespace

void SetLogVerbosity(int verbosity) { g_verbosity.store(verbosity, std::memory_order_relaxed); }
int LogVerbosity() { return g_verbosity.load(std::memory_order_relaxed); }

void Logf(LogLevel level, const char* fmt, ...) {
  if (!Enabled(level)) return;
  va_list args;
  va_start(args, fmt);
  char body[2048];
  std::vsnprintf(body, sizeof body, fmt, args);
  va_end(args);
  // One fprintf per line keeps lines from concurrent threads whole.
  std::fprintf(stderr, "%sreferee: %s: %s\n", Prefix().c_str(), LevelName(level), body);
}

void LogRaw(int fd, const char* msg) {
  size_t len = std::strlen(msg);
  while (len > 0) {
    ssize_t n = write(fd, msg, len);
    if (n <= 0) return;
    msg += n;
    len -= static_cast<size_t>(n);
  }
}

}  // namespace referee
