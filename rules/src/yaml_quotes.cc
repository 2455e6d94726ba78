// A quoted scalar that never closes: yaml-cpp 0.7 reads it to the end of the file and the rule
// then "lacks" every later field (issue #15: `title: "abc` was reported as a missing category at
// 1:1). This scan finds the opening quote so the error names its line.
#include "loader_internal.h"

#include "referee/base/strings.h"

namespace referee::rules {
namespace {

size_t Indent(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  return i;
}

// Where a scalar value starts on this line: after "key: " or "- ", or npos.
size_t ValueStart(std::string_view line) {
  size_t i = Indent(line);
  if (line.substr(i, 2) == "- ") return i + 2;
  if (i < line.size() && (line[i] == '"' || line[i] == '\'')) return i;  // a quoted key or item
  size_t colon = line.find(": ", i);
  if (colon == std::string_view::npos || line.substr(i, 1) == "#") return std::string_view::npos;
  size_t v = colon + 2;
  while (v < line.size() && line[v] == ' ') ++v;
  return v;
}

// The end of a quoted scalar opened at `text[open]`, or npos when it never closes.
size_t ClosingQuote(std::string_view text, size_t open) {
  char q = text[open];
  for (size_t i = open + 1; i < text.size(); ++i) {
    if (q == '"' && text[i] == '\\') {
      ++i;
    } else if (text[i] == q) {
      if (q == '\'' && i + 1 < text.size() && text[i + 1] == '\'') {
        ++i;  // '' is an escaped quote
      } else {
        return i;
      }
    }
  }
  return std::string_view::npos;
}

}  // namespace

Status CheckQuotedScalars(std::string_view text, const std::string& path) {
  size_t block_indent = std::string_view::npos;  // inside a | or > block deeper than this
  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    ++line_no;
    size_t indent = Indent(line);
    bool blank = StripWhitespace(line).empty();
    if (block_indent != std::string_view::npos && (blank || indent > block_indent)) {
      pos = end + 1;
      continue;
    }
    block_indent = std::string_view::npos;
    size_t v = ValueStart(line);
    if (v != std::string_view::npos && v < line.size()) {
      char c = line[v];
      if (c == '|' || c == '>') {
        block_indent = indent;
      } else if (c == '"' || c == '\'') {
        size_t close = ClosingQuote(text, pos + v);
        if (close == std::string_view::npos) {
          return InvalidArgumentError(StrFormat("invalid YAML: unterminated %s-quoted string",
                                                c == '"' ? "double" : "single"),
                                      SourceLoc{path, line_no, static_cast<int>(v) + 1});
        }
        // A quoted scalar may span lines: continue after its closing quote.
        size_t next = text.find('\n', close);
        for (size_t i = pos; i < close; ++i) line_no += text[i] == '\n';
        pos = next == std::string_view::npos ? text.size() : next + 1;
        continue;
      }
    }
    pos = end + 1;
  }
  return OkStatus();
}

}  // namespace referee::rules
