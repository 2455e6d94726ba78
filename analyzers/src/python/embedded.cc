#include "python/embedded.h"

#include <cctype>

#include "referee/base/strings.h"

namespace referee::analyzers::python {
namespace {

constexpr int kMaxNameDepth = 4;
// Names can double a literal at each level (`b = a + a`, `c = b + b`): bound what one source may
// decode to and the steps taken to decode it (issue 20).
constexpr size_t kMaxEmbeddedBytes = 8 << 20;
constexpr int kMaxCollectSteps = 100000;

struct Target {
  const char* callee;
  const char* keyword;
  int position;
  rules::Language language;
  const char* origin;
};

constexpr Target kTargets[] = {
    {"torch.utils.cpp_extension.load_inline", "cpp_sources", 1, rules::Language::kCpp,
     "load_inline cpp_sources"},
    {"torch.utils.cpp_extension.load_inline", "cuda_sources", 2, rules::Language::kCuda,
     "load_inline cuda_sources"},
    {"cupy.RawKernel", "code", 0, rules::Language::kCuda, "cupy.RawKernel code"},
    {"cupy.RawModule", "code", 0, rules::Language::kCuda, "cupy.RawModule code"},
    {"cupy.cuda.RawKernel", "code", 0, rules::Language::kCuda, "cupy.RawKernel code"},
    {"cupy.cuda.RawModule", "code", 0, rules::Language::kCuda, "cupy.RawModule code"},
    {"torch.cuda.jiterator._create_jit_fn", "code_string", 0, rules::Language::kCuda,
     "jiterator code_string"},
    {"torch.cuda.jiterator._create_multi_output_jit_fn", "code_string", 0, rules::Language::kCuda,
     "jiterator code_string"},
};

void Append(EmbeddedSource* e, char c, uint32_t offset) {
  e->content.push_back(c);
  e->offsets.push_back(offset);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes the escape at text[i] (a backslash); returns the number of source
// bytes consumed.
size_t DecodeEscape(std::string_view text, size_t i, uint32_t offset, std::string* out,
                    std::vector<uint32_t>* offsets) {
  if (i + 1 >= text.size()) {
    out->push_back('\\'), offsets->push_back(offset);
    return 1;
  }
  char c = text[i + 1];
  auto put = [&](char v) { out->push_back(v), offsets->push_back(offset); };
  switch (c) {
    case '\n':
      return 2;  // line continuation
    case 'n':
      put('\n');
      return 2;
    case 't':
      put('\t');
      return 2;
    case 'r':
      put('\r');
      return 2;
    case '0':
      put('\0');
      return 2;
    case 'a':
      put('\a');
      return 2;
    case 'b':
      put('\b');
      return 2;
    case 'f':
      put('\f');
      return 2;
    case 'v':
      put('\v');
      return 2;
    case '\\':
    case '\'':
    case '"':
      put(c);
      return 2;
    case 'x':
      if (i + 3 < text.size() && HexValue(text[i + 2]) >= 0 && HexValue(text[i + 3]) >= 0) {
        put(static_cast<char>(HexValue(text[i + 2]) * 16 + HexValue(text[i + 3])));
        return 4;
      }
      break;
    default:
      break;
  }
  put('\\');  // unknown escapes keep the backslash (Python semantics)
  return 1;
}

bool HasInterpolation(TSNode n) {
  bool found = false;
  Walk(n, [&](TSNode c) {
    if (Is(c, "interpolation")) found = true;
    return !found;
  });
  return found;
}

class Extractor {
 public:
  explicit Extractor(const ModuleIndex& index) : index_(index), src_(index.source()) {}

  // Appends the literal text of `value` to `e`; false (with a note reason) when
  // not literal.
  bool Collect(TSNode value, EmbeddedSource* e, int depth, std::string* why) {
    if (++steps_ > kMaxCollectSteps || e->content.size() > kMaxEmbeddedBytes) {
      *why = "built from too many parts (over 8 MiB or 100,000 literals)";
      return false;
    }
    value = Unparen(value);
    if (Is(value, "string")) {
      if (!DecodeStringNode(value, src_, &e->content, &e->offsets)) {
        *why = "an f-string with substitutions";
        return false;
      }
      return true;
    }
    if (Is(value, "concatenated_string")) {
      uint32_t n = ts_node_named_child_count(value);
      for (uint32_t i = 0; i < n; ++i) {
        TSNode part = ts_node_named_child(value, i);
        if (Is(part, "string") && !Collect(part, e, depth, why)) return false;
      }
      return true;
    }
    if (Is(value, "binary_operator") && NodeText(Field(value, "operator"), src_) == "+") {
      return Collect(Field(value, "left"), e, depth, why) &&
             Collect(Field(value, "right"), e, depth, why);
    }
    if (Is(value, "list") || Is(value, "tuple")) {
      uint32_t n = ts_node_named_child_count(value);
      for (uint32_t i = 0; i < n; ++i) {
        TSNode item = ts_node_named_child(value, i);
        if (Is(item, "comment")) continue;
        if (!e->content.empty()) Append(e, '\n', e->offsets.empty() ? 0 : e->offsets.back());
        if (!Collect(item, e, depth, why)) return false;
      }
      return true;
    }
    if (Is(value, "identifier") && depth < kMaxNameDepth) {
      TSNode assigned = index_.SingleModuleAssignment(NodeText(value, src_));
      if (!ts_node_is_null(assigned)) return Collect(assigned, e, depth + 1, why);
      *why = StrFormat("'%s' is not a module-level name assigned once",
                       std::string(NodeText(value, src_)).c_str());
      return false;
    }
    *why = "not a string literal";
    return false;
  }

  void FromCall(TSNode call, const Target& t, Extraction* out) {
    TSNode value = KeywordArg(call, src_, t.keyword);
    if (ts_node_is_null(value)) value = PositionalArg(call, t.position);
    if (ts_node_is_null(value) || Is(value, "none")) return;
    steps_ = 0;
    EmbeddedSource e;
    e.language = t.language;
    e.origin = t.origin;
    e.call_line = ts_node_start_point(call).row + 1;
    std::string why;
    if (!Collect(value, &e, 0, &why)) {
      out->notes.push_back(
          StrFormat("line %u: embedded %s not analyzed: %s", e.call_line, t.origin, why.c_str()));
      return;
    }
    if (StripWhitespace(e.content).empty()) return;
    e.offsets.push_back(e.offsets.empty() ? ts_node_start_byte(value) : e.offsets.back());
    out->sources.push_back(std::move(e));
  }

 private:
  const ModuleIndex& index_;
  std::string_view src_;
  int steps_ = 0;
};

}  // namespace

bool DecodeStringNode(TSNode node, std::string_view src, std::string* content,
                      std::vector<uint32_t>* offsets) {
  if (HasInterpolation(node)) return false;
  uint32_t count = ts_node_child_count(node);
  if (count < 2) return true;
  TSNode start = ts_node_child(node, 0), end = ts_node_child(node, count - 1);
  std::string_view prefix = NodeText(start, src);
  bool raw = false;
  for (char c : prefix) raw = raw || c == 'r' || c == 'R';
  uint32_t b = ts_node_end_byte(start), e = ts_node_start_byte(end);
  if (!Is(end, "string_end")) e = ts_node_end_byte(node);
  if (e < b) return true;
  std::string_view text = src.substr(b, e - b);
  for (size_t i = 0; i < text.size();) {
    uint32_t offset = b + static_cast<uint32_t>(i);
    if (!raw && text[i] == '\\') {
      i += DecodeEscape(text, i, offset, content, offsets);
      continue;
    }
    content->push_back(text[i]);
    offsets->push_back(offset);
    ++i;
  }
  return true;
}

Extraction ExtractEmbeddedSources(const ModuleIndex& index) {
  Extraction out;
  Extractor extractor(index);
  for (size_t ci = 0; ci < index.calls().size(); ++ci) {
    TSNode call = index.calls()[ci];
    bool candidate = false;
    for (const Target& t : kTargets) {
      candidate = candidate || index.CalleeMayEndWith(ci, LastComponent(t.callee));
    }
    if (!candidate) continue;  // resolve only plausible callees (performance)
    std::string callee = index.Resolve(Field(call, "function"));
    if (callee.empty()) continue;
    for (const Target& t : kTargets) {
      if (callee == t.callee) extractor.FromCall(call, t, &out);
    }
  }
  return out;
}

PyPos MapToPython(const EmbeddedSource& e, std::string_view py, int line, int col) {
  size_t pos = 0;
  for (int l = 1; l < line && pos < e.content.size(); ++l) {
    size_t nl = e.content.find('\n', pos);
    if (nl == std::string::npos) {
      pos = e.content.size();
      break;
    }
    pos = nl + 1;
  }
  pos += static_cast<size_t>(std::max(col, 1) - 1);
  if (pos >= e.offsets.size()) pos = e.offsets.size() - 1;
  uint32_t offset = e.offsets[pos];
  PyPos p{1, 1};
  size_t line_start = 0;
  for (size_t i = 0; i < offset && i < py.size(); ++i) {
    if (py[i] == '\n') ++p.line, line_start = i + 1;
  }
  p.col = static_cast<int>(offset - line_start) + 1;
  return p;
}

std::string EmbeddedPrefix(const EmbeddedSource& e, int* prefix_lines) {
  // torch/utils/cpp_extension.py load_inline: cpp_sources get `#include
  // <torch/extension.h>`, cuda_sources get torch/types.h, cuda.h and
  // cuda_runtime.h. Other origins get nothing.
  std::string prefix;
  if (e.origin == "load_inline cpp_sources") {
    prefix = "#include <torch/extension.h>\n";
  } else if (e.origin == "load_inline cuda_sources") {
    prefix =
        "#include <torch/types.h>\n#include <cuda.h>\n#include "
        "<cuda_runtime.h>\n";
  }
  *prefix_lines = 0;
  for (char c : prefix) *prefix_lines += c == '\n';
  return prefix;
}

}  // namespace referee::analyzers::python
