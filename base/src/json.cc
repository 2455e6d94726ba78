#include "referee/base/json.h"

#include "referee/base/file.h"
#include "referee/base/strings.h"

namespace referee {
Expected<Json> ParseJson(std::string_view text, std::string_view path) {
  try {
    return Json::parse(text.begin(), text.end());
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

}  // namespace referee
