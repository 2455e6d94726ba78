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

// Parse errors carry `path:line:col`. Values nested deeper than kMaxJsonNesting are an error:
// nlohmann parses them iteratively, but dumping and comparing recurse (issue 20).
inline constexpr int kMaxJsonNesting = 512;
Expected<Json> ParseJson(std::string_view text, std::string_view path);
Expected<Json> ReadJsonFile(const std::string& path);
// indent < 0: compact. Invalid UTF-8 is replaced, never thrown on.
std::string DumpJson(const Json& value, int indent = 2);

// A member of JSON someone else wrote (a worker's reply, a candidate's solution.json): its value
// when `object` is an object holding `key` with that type, else `fallback`. Unlike nlohmann's
// value(), never throws on a wrong type.
bool JsonBool(const Json& object, const char* key, bool fallback);
double JsonNumber(const Json& object, const char* key, double fallback);
std::string JsonString(const Json& object, const char* key, const std::string& fallback);

}  // namespace referee
