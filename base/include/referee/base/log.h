// Diagnostics to stderr: `referee: warning: ...`; with verbosity >= 2 each line is prefixed
// with [time][pid]. Reports never go through the log (they go to stdout or --output).
// After fork, before exec, only LogRaw() may be used: it neither allocates nor locks.
#pragma once

namespace referee {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// -q => 0 (errors only), default 1 (warnings and errors), -v => 2 (info), -vv => 3 (debug).
void SetLogVerbosity(int verbosity);
int LogVerbosity();

// printf-checked; a trailing newline is added.
void Logf(LogLevel level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

// Async-signal-safe: write(2) of a NUL-terminated message to fd.
void LogRaw(int fd, const char* msg);

}  // namespace referee
