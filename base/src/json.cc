#include "referee/base/json.h"

#include "referee/base/file.h"
#include "referee/base/strings.h"

namespace referee {
namespace {
struct TooDeep {};
}  // namespace

Expected<Json> ParseJson(std::string_view text, std::string_view path) {
  try {
    return Json::parse(text.begin(), text.end(), [](int depth, Json::parse_event_t, Json&) {
      if (depth > kMaxJsonNesting) throw TooDeep{};
      return true;
    });
  } catch (const TooDeep&) {
    return InvalidArgumentError(
        StrFormat("invalid JSON: nested deeper than %d levels", kMaxJsonNesting),
        {std::string(path)});
  } catch (const Json::parse_error& e) {
    // e.byte is 1-based and points one past the offending character.
    size_t offset = e.byte > 0 ? e.byte - 1 : 0;
    std::string what = e.what();
    size_t pos = what.find("parse error");
    std::string detail = pos == std::string::npos ? what : what.substr(pos);
    return InvalidArgumentError("invalid JSON: " + detail, LocAtOffset(text, path, offset));
  } catch (const std::exception& e) {
    return InvalidArgumentError(std::string("invalid JSON: ") + e.what(), {std::string(path)});
  }
}

Expected<Json> ReadJsonFile(const std::string& path) {
  REFEREE_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return ParseJson(text, path);
}

std::string DumpJson(const Json& value, int indent) {
  return value.dump(indent, ' ', false, Json::error_handler_t::replace);
}

bool JsonBool(const Json& object, const char* key, bool fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() ? it->get<bool>() : fallback;
}

double JsonNumber(const Json& object, const char* key, double fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : fallback;
}

std::string JsonString(const Json& object, const char* key, const std::string& fallback) {
  if (!object.is_object()) return fallback;
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace referee
