#include "python/query_structure.h"

#include <cctype>

namespace referee::analyzers::python {
namespace {

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

bool IsCaptureChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.' ||
         c == '?' || c == '!';
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

// True when the group opening at text[i] == '(' is a predicate: `(#` with optional spaces.
bool IsPredicate(std::string_view text, size_t i) {
  for (++i; i < text.size() && IsSpace(text[i]); ++i) {
  }
  return i < text.size() && text[i] == '#';
}

// The end of the group opening at text[i] ('(' or '['); npos when it is not closed.
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
    if (c == '(' || c == '[') ++depth;
    if ((c == ')' || c == ']') && --depth == 0) return i;
  }
  return std::string_view::npos;
}

// Splits a pattern into its structure and its predicates.
void SplitPattern(std::string_view pattern, std::string* structure, std::string* predicates) {
  bool space = false;
  for (size_t i = 0; i < pattern.size();) {
    char c = pattern[i];
    size_t next = i + 1;
    if (c == ';') {
      next = SkipComment(pattern, i);
    } else if (c == '(' && IsPredicate(pattern, i)) {
      next = SkipGroup(pattern, i);
      if (next == std::string_view::npos) next = pattern.size();
      if (!predicates->empty()) *predicates += ' ';
      predicates->append(pattern.substr(i, next - i));
    } else if (!IsSpace(c)) {
      if (c == '"') next = SkipString(pattern, i);
      if (space && !structure->empty()) *structure += ' ';
      structure->append(pattern.substr(i, next - i));
      space = false;
      i = next;
      continue;
    }
    space = true;
    i = next;
  }
}

}  // namespace

std::string PatternStructure(std::string_view pattern) {
  std::string structure, predicates;
  SplitPattern(pattern, &structure, &predicates);
  return structure;
}

std::string PatternPredicates(std::string_view pattern) {
  std::string structure, predicates;
  SplitPattern(pattern, &structure, &predicates);
  return predicates;
}

std::optional<std::vector<PatternSpan>> SplitPatterns(std::string_view query) {
  std::vector<PatternSpan> out;
  size_t i = 0;
  while (i < query.size()) {
    char c = query[i];
    if (IsSpace(c)) {
      ++i;
      continue;
    }
    if (c == ';') {
      i = SkipComment(query, i);
      continue;
    }
    size_t start = i;
    if (c == '(' || c == '[') {
      i = SkipGroup(query, i);
      if (i == std::string_view::npos) return std::nullopt;
    } else if (c == '"') {
      i = SkipString(query, i);
    } else {
      return std::nullopt;
    }
    // Quantifiers and captures after the pattern.
    for (size_t j = i;; i = j) {
      while (j < query.size() && IsSpace(query[j])) ++j;
      if (j < query.size() && (query[j] == '*' || query[j] == '+' || query[j] == '?')) {
        ++j;
      } else if (j < query.size() && query[j] == '@') {
        for (++j; j < query.size() && IsCaptureChar(query[j]); ++j) {
        }
      } else {
        break;
      }
    }
    out.push_back({start, i - start});
  }
  return out;
}

}  // namespace referee::analyzers::python
