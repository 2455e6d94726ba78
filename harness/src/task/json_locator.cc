#include "task/json_locator.h"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "referee/base/strings.h"

namespace referee::harness {
namespace {

// Positions kept for one text; past it, errors fall back to an ancestor's position.
constexpr size_t kMaxRecorded = 100000;

struct Frame {
  bool object = false;
  std::string pointer;
  size_t index = 0;        // arrays: the current element
  std::string key;         // objects: the current member
  bool expect_key = true;  // objects: a key (or '}') comes next
};

bool IsDelimiter(char c) {
  return c == ',' || c == ':' || c == ']' || c == '}' || c == ' ' || c == '\t' || c == '\n' ||
         c == '\r' || c == '"' || c == '[' || c == '{';
}

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(char(cp));
  } else if (cp < 0x800) {
    out->push_back(char(0xc0 | (cp >> 6)));
    out->push_back(char(0x80 | (cp & 0x3f)));
  } else {
    out->push_back(char(0xe0 | (cp >> 12)));
    out->push_back(char(0x80 | ((cp >> 6) & 0x3f)));
    out->push_back(char(0x80 | (cp & 0x3f)));
  }
}

// The end of the string starting at text[pos] (a quote): one past its closing quote, or npos.
// Appends its decoded contents to `out` when given (surrogate pairs are left undecoded: such a
// key is located at its parent).
size_t SkipString(std::string_view text, size_t pos, std::string* out) {
  // Pairs: the character after the backslash, then what it stands for.
  static const std::string_view kEscapes = "\"\"\\\\//b\bf\fn\nr\rt\t";
  for (size_t i = pos + 1; i < text.size(); ++i) {
    if (text[i] == '"') return i + 1;
    if (text[i] != '\\' || i + 1 >= text.size()) {
      if (out) out->push_back(text[i]);
      continue;
    }
    char e = text[++i];
    if (e == 'u' && i + 4 < text.size()) {
      uint32_t cp = std::strtoul(std::string(text.substr(i + 1, 4)).c_str(), nullptr, 16);
      if (out) AppendUtf8(cp, out);
      i += 4;
      continue;
    }
    size_t at = kEscapes.find(e);
    if (out) out->push_back(at != std::string_view::npos && at % 2 == 0 ? kEscapes[at + 1] : e);
  }
  return std::string_view::npos;
}

}  // namespace

JsonLocator::JsonLocator(std::string_view text, std::string path, int line_offset)
    : text_(text), path_(std::move(path)), line_offset_(line_offset) {
  Scan();
}

std::string JsonLocator::Escape(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

SourceLoc JsonLocator::LocAt(size_t offset) const {
  SourceLoc loc = LocAtOffset(text_, path_, offset);
  loc.line += line_offset_;
  return loc;
}

void JsonLocator::Scan() {
  std::vector<Frame> stack;
  auto record = [&](size_t at) {
    std::string pointer;
    if (!stack.empty()) {
      const Frame& top = stack.back();
      pointer = top.pointer + "/" + (top.object ? Escape(top.key) : std::to_string(top.index));
    }
    if (starts_.size() < kMaxRecorded) starts_.emplace(pointer, at);
    return pointer;
  };
  size_t pos = 0;
  while (pos < text_.size()) {
    char c = text_[pos];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ':') {
      ++pos;
      continue;
    }
    if (!stack.empty() && stack.back().object && stack.back().expect_key && c == '"') {
      stack.back().key.clear();
      pos = SkipString(text_, pos, &stack.back().key);
      stack.back().expect_key = false;
      if (pos == std::string_view::npos) return;
      continue;
    }
    if (c == '{' || c == '[') {
      std::string pointer = record(pos);
      if (stack.size() >= size_t(kMaxJsonDepth)) {
        status_ = InvalidArgumentError(
            StrFormat("JSON nests too deep (more than %d levels)", kMaxJsonDepth), LocAt(pos));
        return;
      }
      stack.push_back(Frame{c == '{', std::move(pointer)});
      ++pos;
    } else if (c == '}' || c == ']') {
      if (stack.empty()) return;  // malformed: the parser says so
      stack.pop_back();
      ++pos;
    } else if (c == ',') {
      if (stack.empty()) return;
      if (stack.back().object) {
        stack.back().expect_key = true;
      } else {
        ++stack.back().index;
      }
      ++pos;
    } else if (c == '"') {
      record(pos);
      pos = SkipString(text_, pos, nullptr);
      if (pos == std::string_view::npos) return;
    } else {
      record(pos);
      size_t end = pos;
      while (end < text_.size() && !IsDelimiter(text_[end])) ++end;
      std::string token(text_.substr(pos, end - pos));
      if (c == '-' || (c >= '0' && c <= '9')) {
        double v = std::strtod(token.c_str(), nullptr);
        if (std::isinf(v)) {
          status_ = InvalidArgumentError("number '" + token + "' is out of range", LocAt(pos));
          return;
        }
      }
      pos = end;
    }
  }
}

SourceLoc JsonLocator::At(std::string_view pointer) const {
  std::string p(pointer);
  while (true) {
    auto it = starts_.find(p);
    if (it != starts_.end()) return LocAt(it->second);
    size_t slash = p.rfind('/');
    if (slash == std::string::npos) return SourceLoc{path_, 1 + line_offset_, 1};
    p.resize(slash);
  }
}

SourceLoc JsonLocator::InString(std::string_view pointer, size_t offset) const {
  auto it = starts_.find(std::string(pointer));
  if (it == starts_.end() || it->second >= text_.size() || text_[it->second] != '"') {
    return At(pointer);
  }
  return LocAt(it->second + 1 + offset);
}

}  // namespace referee::harness
