// Helpers shared by the loader, the linter and their tests.
#pragma once

#include <string>
#include <string_view>

#include "referee/base/status.h"
#include "referee/rules/rule.h"

namespace YAML {
class Mark;
}

namespace referee::rules {

// yaml-cpp marks are 0-based; ours are 1-based. A null mark points at 1:1.
SourceLoc MarkToLoc(const std::string& path, const YAML::Mark& mark);
// Where a pattern's text starts: the value's position, or for a block scalar (`|`, `>`) the first
// non-blank line after the indicator.
TextPos PatternStart(std::string_view text, const YAML::Mark& mark);
bool IsKebabCase(std::string_view id);
std::string BaseName(std::string_view path);  // "a/b/c.yaml" -> "c.yaml"
std::string FileStem(std::string_view path);  // "a/b/c.yaml" -> "c"
// An error at the opening quote of a quoted scalar that never closes (yaml_quotes.cc).
Status CheckQuotedScalars(std::string_view text, const std::string& path);

}  // namespace referee::rules
