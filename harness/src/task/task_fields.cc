// Typed, located reads of a task's JSON fields (task_internal.h).
#include <algorithm>
#include <cmath>
#include <vector>

#include "referee/base/closest_name.h"
#include "referee/base/strings.h"
#include "task/task_internal.h"

namespace referee::harness {

SourceLoc TaskContext::At(std::string_view pointer) const {
  return where ? where->At(pointer) : SourceLoc{path, 1, 1};
}

std::string Printable(std::string_view text, size_t max) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == max) {
      out += "...";
      break;
    }
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c >= 0x7f) {
      out += StrFormat("\\x%02x", c);
    } else {
      out += char(c);
    }
  }
  return out;
}

Status TaskContext::Error(std::string_view pointer, std::string message) const {
  return InvalidArgumentError(Printable(message, 1000), At(pointer));
}

Status TaskContext::CheckKeys(const Json& object, std::string_view pointer,
                              std::initializer_list<std::string_view> known,
                              std::initializer_list<std::string_view> ignored) const {
  if (!object.is_object()) return OkStatus();
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string& key = it.key();
    auto is = [&](std::string_view k) { return k == key; };
    if (std::any_of(known.begin(), known.end(), is) ||
        std::any_of(ignored.begin(), ignored.end(), is)) {
      continue;
    }
    std::string_view best = ClosestName(key, known);
    std::string where = pointer.empty() ? "" : " in '" + std::string(pointer.substr(1)) + "'";
    std::string message = "unknown key '" + key + "'" + where;
    if (!best.empty()) {
      message += "; did you mean '" + std::string(best) + "'?";
    } else {
      std::vector<std::string> names(known.begin(), known.end());
      message += " (known: " + StrJoin(names, ", ") + ")";
    }
    return Error(Child(pointer, key), message);
  }
  return OkStatus();
}

std::string TaskContext::Child(std::string_view pointer, std::string_view key) {
  return std::string(pointer) + "/" + JsonLocator::Escape(key);
}

std::string TaskContext::Child(std::string_view pointer, size_t index) {
  return std::string(pointer) + "/" + std::to_string(index);
}

Expected<std::optional<std::string>> TaskContext::OptString(const Json& object,
                                                            std::string_view pointer,
                                                            const char* key) const {
  if (!object.is_object() || !object.contains(key) || object[key].is_null()) {
    return std::optional<std::string>();
  }
  if (!object[key].is_string()) {
    return Error(Child(pointer, key), StrFormat("'%s' must be a string", key));
  }
  return std::optional<std::string>(object[key].get<std::string>());
}

Expected<std::optional<double>> TaskContext::OptNumber(const Json& object,
                                                       std::string_view pointer,
                                                       const char* key) const {
  if (!object.is_object() || !object.contains(key) || object[key].is_null()) {
    return std::optional<double>();
  }
  if (!object[key].is_number() || !std::isfinite(object[key].get<double>())) {
    return Error(Child(pointer, key), StrFormat("'%s' must be a number", key));
  }
  return std::optional<double>(object[key].get<double>());
}

Expected<std::optional<bool>> TaskContext::OptBool(const Json& object, std::string_view pointer,
                                                   const char* key) const {
  if (!object.is_object() || !object.contains(key) || object[key].is_null()) {
    return std::optional<bool>();
  }
  if (!object[key].is_boolean()) {
    return Error(Child(pointer, key), StrFormat("'%s' must be true or false", key));
  }
  return std::optional<bool>(object[key].get<bool>());
}

}  // namespace referee::harness
