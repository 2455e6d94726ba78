#include "referee/base/status.h"

#include <cerrno>
#include <cstring>

#include "referee/base/strings.h"

namespace referee {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "ok";
    case StatusCode::kCancelled: return "cancelled";
    case StatusCode::kUnknown: return "unknown";
    case StatusCode::kInvalidArgument: return "invalid argument";
    case StatusCode::kDeadlineExceeded: return "deadline exceeded";
    case StatusCode::kNotFound: return "not found";
    case StatusCode::kAlreadyExists: return "already exists";
    case StatusCode::kPermissionDenied: return "permission denied";
    case StatusCode::kResourceExhausted: return "resource exhausted";
    case StatusCode::kFailedPrecondition: return "failed precondition";
    case StatusCode::kAborted: return "aborted";
    case StatusCode::kOutOfRange: return "out of range";
    case StatusCode::kUnimplemented: return "unimplemented";
    case StatusCode::kInternal: return "internal";
    case StatusCode::kUnavailable: return "unavailable";
    case StatusCode::kDataLoss: return "data loss";
  }
  return "unknown";
}

Status Status::WithLoc(SourceLoc loc) const& {
  Status copy = *this;
  if (copy.loc_.empty()) copy.loc_ = std::move(loc);
  return copy;
}

Status Status::Annotate(std::string_view prefix) const& {
  Status copy = *this;
  copy.message_ = std::string(prefix) + ": " + message_;
  return copy;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out;
  if (!loc_.empty()) {
    out = loc_.file;
    if (loc_.line > 0) out += StrFormat(":%d", loc_.line);
    if (loc_.line > 0 && loc_.col > 0) out += StrFormat(":%d", loc_.col);
    out += ": ";
  }
  out += "error: ";
  out += message_;
  return out;
}

#define REFEREE_DEFINE_ERROR_(Name, Code)                      \
  Status Name(std::string message, SourceLoc loc) {            \
    return Status(StatusCode::Code, std::move(message), std::move(loc)); \
  }
REFEREE_DEFINE_ERROR_(InvalidArgumentError, kInvalidArgument)
REFEREE_DEFINE_ERROR_(NotFoundError, kNotFound)
REFEREE_DEFINE_ERROR_(FailedPreconditionError, kFailedPrecondition)
REFEREE_DEFINE_ERROR_(PermissionDeniedError, kPermissionDenied)
REFEREE_DEFINE_ERROR_(InternalError, kInternal)
REFEREE_DEFINE_ERROR_(UnavailableError, kUnavailable)
REFEREE_DEFINE_ERROR_(UnimplementedError, kUnimplemented)
REFEREE_DEFINE_ERROR_(DeadlineExceededError, kDeadlineExceeded)
REFEREE_DEFINE_ERROR_(ResourceExhaustedError, kResourceExhausted)
REFEREE_DEFINE_ERROR_(DataLossError, kDataLoss)
REFEREE_DEFINE_ERROR_(OutOfRangeError, kOutOfRange)
REFEREE_DEFINE_ERROR_(AbortedError, kAborted)
#undef REFEREE_DEFINE_ERROR_

Status ErrnoError(std::string_view what, int errno_value) {
  StatusCode code = StatusCode::kInternal;
  switch (errno_value) {
    case ENOENT: code = StatusCode::kNotFound; break;
    case EACCES:
    case EPERM: code = StatusCode::kPermissionDenied; break;
    case EINVAL: code = StatusCode::kInvalidArgument; break;
    case EEXIST: code = StatusCode::kAlreadyExists; break;
    case ENOMEM:
    case ENOSPC:
    case EMFILE: code = StatusCode::kResourceExhausted; break;
    case ENOSYS: code = StatusCode::kUnimplemented; break;
    default: break;
  }
  return Status(code, std::string(what) + ": " + std::strerror(errno_value));
}

SourceLoc LocAtOffset(std::string_view text, std::string_view path, size_t offset) {
  SourceLoc loc{std::string(path), 1, 1};
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++loc.line;
      loc.col = 1;
    } else {
      ++loc.col;
    }
  }
  return loc;
}

}  // namespace referee
