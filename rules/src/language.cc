#include "referee/rules/language.h"

#include <array>
#include <utility>

namespace referee::rules {

std::optional<Language> LanguageForPath(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, Language>, 9> kExtensions = {{
      {".cu", Language::kCuda},
      {".cuh", Language::kCuda},
      {".cpp", Language::kCpp},
      {".cc", Language::kCpp},
      {".cxx", Language::kCpp},
      {".h", Language::kCpp},
      {".hpp", Language::kCpp},
      {".c", Language::kCpp},
      {".py", Language::kPython},
  }};
  size_t slash = path.rfind('/');
  size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return std::nullopt;
  }
  std::string_view ext = path.substr(dot);
  for (const auto& [e, lang] : kExtensions) {
    if (e == ext) return lang;
  }
  return std::nullopt;
}

}  // namespace referee::rules
