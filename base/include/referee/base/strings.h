// The few string helpers every component needs (no <format> on bookworm).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace referee {

std::string StrFormat(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::vector<std::string> StrSplit(std::string_view text, char sep);
std::string StrJoin(const std::vector<std::string>& parts, std::string_view sep);
std::string_view StripWhitespace(std::string_view text);
bool StartsWith(std::string_view text, std::string_view prefix);
bool EndsWith(std::string_view text, std::string_view suffix);

// Levenshtein distance, for "did you mean ...?" suggestions.
int EditDistance(std::string_view a, std::string_view b);

}  // namespace referee
