// Expected<T>: a value or a non-OK Status, with the subset of std::expected we need
// (bookworm's libstdc++ 12 has no <expected>).
//
//   Expected<Rule> r = LoadRule(path);
//   if (!r) return r.error();
//   Use(*r);
#pragma once

#include <cstdlib>
#include <utility>
#include <variant>

#include "referee/base/check.h"
#include "referee/base/status.h"

namespace referee {

template <typename T>
class [[nodiscard]] Expected final {
 public:
  Expected(T value) : data_(std::move(value)) {}  // NOLINT: implicit by design
  Expected(Status error) : data_(std::move(error)) {  // NOLINT: implicit by design
    REFEREE_CHECK(!std::get<Status>(data_).ok());
  }

  bool has_value() const { return data_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & { REFEREE_CHECK(has_value()); return std::get<0>(data_); }
  const T& value() const& { REFEREE_CHECK(has_value()); return std::get<0>(data_); }
  T&& value() && { REFEREE_CHECK(has_value()); return std::get<0>(std::move(data_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(data_) : static_cast<T>(std::forward<U>(fallback));
  }

  // The error; OK when a value is held.
  Status error() const { return has_value() ? Status() : std::get<Status>(data_); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace referee
