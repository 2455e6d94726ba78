// Which language a source file is, by its extension (issue #3):
// .cu .cuh -> cuda; .cpp .cc .cxx .h .hpp .c -> cpp; .py -> python.
#pragma once

#include <optional>
#include <string_view>

#include "referee/rules/rule.h"

namespace referee::rules {

std::optional<Language> LanguageForPath(std::string_view path);

}  // namespace referee::rules
