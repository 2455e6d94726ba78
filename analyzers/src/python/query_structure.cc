#include "python/query_structure.h"

#include <cctype>

namespace referee::analyzers::python {
namespace {

bool IsSpace(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}

// The end of the string literal starting at text[i] == '"'.
size_t SkipString(std::string_view text, size_t i) {
  for (++i; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;
    } else if (text[i] == '"') {
      return i + 1;
    }
  }
  return text.size();
}

// The end of the comment starting at text[i] == ';' (its newline excluded).
size_t SkipComment(std::string_view text, size_t i) {
  size_t nl = text.find('\n', i);
  return nl == std::string_view::npos ? text.size() : nl;
}

// True when the group opening at text[i] == '(' is a predicate: `(#` with
// optional spaces.
bool IsPredicate(std::string_view text, size_t i) {
  for (++i; i < text.size() && IsSpace(text[i]); ++i) {
  }
  return i < text.size() && text[i] == '#';
}

// The end of the parenthesized group opening at text[i] == '('.
size_t SkipGroup(std::string_view text, size_t i) {
  int depth = 0;
  while (i < text.size()) {
    char c = text[i];
    if (c == '"') {
      i = SkipString(text, i);
      continue;
    }
    if (c == ';') {
      i = SkipComment(text, i);
      continue;
    }
    ++i;
    if (c == '(')
      ++depth;
    if (c == ')' && --depth == 0)
      return i;
  }
  return text.size();
}

} // namespace

std::string PatternStructure(std::string_view pattern) {
  std::string out;
  bool space = false;
  for (size_t i = 0; i < pattern.size();) {
    char c = pattern[i];
    size_t next = i + 1;
    if (c == ';') {
      next = SkipComment(pattern, i);
    } else if (c == '(' && IsPredicate(pattern, i)) {
      next = SkipGroup(pattern, i);
    } else if (IsSpace(c)) {
    } else {
      if (c == '"')
        next = SkipString(pattern, i);
      if (space && !out.empty())
        out += ' ';
      out.append(pattern.substr(i, next - i));
      space = false;
      i = next;
      continue;
    }
    space = true;
    i = next;
  }
  return out;
}

} // namespace referee::analyzers::python
