// Errors as values (STYLE.md): Status carries a canonical code, a one-line message and an
// optional source position, so every user-facing error prints as `file:line:col: error: msg`.
//
//   Status s = InvalidArgumentError("bad severity 'loud'").WithLoc({"r.yaml", 4, 11});
//   if (!s.ok()) Logf(LogLevel::kError, "%s", s.ToString().c_str());
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace referee {

// absl's canonical codes, the subset we use.
enum class StatusCode {
  kOk = 0,
  kCancelled,
  kUnknown,
  kInvalidArgument,
  kDeadlineExceeded,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kResourceExhausted,
  kFailedPrecondition,
  kAborted,
  kOutOfRange,
  kUnimplemented,
  kInternal,
  kUnavailable,
  kDataLoss,
};

std::string_view StatusCodeName(StatusCode code);

// A position in a user's file; line and col are 1-based, 0 means "unknown".
struct SourceLoc {
  std::string file;
  int line = 0;
  int col = 0;
  bool empty() const { return file.empty(); }
};

// The line:col (1-based) of byte `offset` in `text`, for parsers that report offsets.
SourceLoc LocAtOffset(std::string_view text, std::string_view path, size_t offset);

class [[nodiscard]] Status final {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message, SourceLoc loc = {})
      : code_(code), message_(std::move(message)), loc_(std::move(loc)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const SourceLoc& loc() const { return loc_; }

  // Returns a copy located at `loc` (keeps an existing location).
  Status WithLoc(SourceLoc loc) const&;
  // Returns a copy whose message is "prefix: message".
  Status Annotate(std::string_view prefix) const&;

  // "file:line:col: error: message" (the parts that are known), or "ok".
  std::string ToString() const;

  void IgnoreError() const {}

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
  SourceLoc loc_;
};

inline Status OkStatus() { return Status(); }
Status InvalidArgumentError(std::string message, SourceLoc loc = {});
Status NotFoundError(std::string message, SourceLoc loc = {});
Status FailedPreconditionError(std::string message, SourceLoc loc = {});
Status PermissionDeniedError(std::string message, SourceLoc loc = {});
Status InternalError(std::string message, SourceLoc loc = {});
Status UnavailableError(std::string message, SourceLoc loc = {});
Status UnimplementedError(std::string message, SourceLoc loc = {});
Status DeadlineExceededError(std::string message, SourceLoc loc = {});
Status ResourceExhaustedError(std::string message, SourceLoc loc = {});
Status DataLossError(std::string message, SourceLoc loc = {});
Status OutOfRangeError(std::string message, SourceLoc loc = {});
Status AbortedError(std::string message, SourceLoc loc = {});
// From errno: "what: strerror(errno)" with a code chosen from errno.
Status ErrnoError(std::string_view what, int errno_value);

}  // namespace referee

// Error macros: the only macros besides REFEREE_CHECK (STYLE.md).
#define REFEREE_RETURN_IF_ERROR(expr)                    \
  do {                                                   \
    ::referee::Status referee_status_ = (expr);          \
    if (!referee_status_.ok()) return referee_status_;   \
  } while (0)

#define REFEREE_CONCAT_INNER_(a, b) a##b
#define REFEREE_CONCAT_(a, b) REFEREE_CONCAT_INNER_(a, b)
#define REFEREE_ASSIGN_OR_RETURN(lhs, expr) \
  REFEREE_ASSIGN_OR_RETURN_IMPL_(REFEREE_CONCAT_(referee_expected_, __LINE__), lhs, expr)
#define REFEREE_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                   \
  if (!tmp.has_value()) return tmp.error();            \
  lhs = std::move(*tmp)
