// JSON in and out. nlohmann::json is the representation; its exceptions are caught here, so
// callers see Expected/Status (STYLE.md: third-party exceptions stop at the adapter).
//
//   Json j = Json::object(); j["schema_version"] = 1;
//   Expected<Json> parsed = ParseJson(text, "task/definition.json");
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "referee/base/expected.h"

namespace referee {

// Keeps insertion order so reports read in the order they were written.
using Json = nlohmann::ordered_json;

// Parse errors carry `path:line:col`.
Expected<Json> ParseJson(std::string_view text, std::string_view path);
Expected<Json> ReadJsonFile(const std::string& path);
// indent < 0: compact. Invalid UTF-8 is replaced, never thrown on.
std::string DumpJson(const Json& value, int indent = 2);

}  // namespace referee
