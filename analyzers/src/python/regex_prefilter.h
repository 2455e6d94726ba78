// A literal prefilter for the ECMAScript regexes of rule predicates (issue #4,
// performance): std::regex costs about a microsecond per search, and most
// searches fail. The prefilter holds literals of which every match contains at
// least one, derived from the pattern; a text holding none of them cannot match
// and skips the regex.
//
//   "^(requests\\.\\w+|socket\\.(socket|create_connection))$"
//       -> {"requests.", "socket.socket", "socket.create_connection"}
//   "(^|\\.)Model$" -> {"Model", ".Model"}
//
// Patterns the analysis does not understand (classes, `.`, `*` around
// everything) get no literals and always run the regex, so the result is never
// changed, only computed faster.
#pragma once

#include <regex>
#include <string>
#include <string_view>
#include <vector>

namespace referee::analyzers::python {

class RegexPrefilter {
 public:
  explicit RegexPrefilter(std::string_view pattern);
  // False only when no match of the pattern can occur in `text`.
  bool MayMatch(std::string_view text) const;
  // Empty: no filtering (every text may match).
  const std::vector<std::string>& literals() const { return literals_; }

 private:
  std::vector<std::string> literals_;
};

// A compiled regex with its prefilter. Construction throws std::regex_error on
// a bad pattern (callers catch it at the adapter, as for std::regex).
class FastRegex {
 public:
  explicit FastRegex(const std::string& pattern)
      : re_(pattern, std::regex::ECMAScript | std::regex::optimize), prefilter_(pattern) {}
  bool Search(std::string_view text) const { return MayMatch(text) && SearchUnfiltered(text); }
  bool MayMatch(std::string_view text) const { return prefilter_.MayMatch(text); }
  bool SearchUnfiltered(std::string_view text) const {
    return std::regex_search(text.begin(), text.end(), re_);
  }

 private:
  std::regex re_;
  RegexPrefilter prefilter_;
};

}  // namespace referee::analyzers::python
