#include "referee/search/tunables.h"

#include <cctype>
#include <cstdlib>

#include "referee/base/strings.h"

namespace referee::search {
namespace {

constexpr std::string_view kMarker = "referee: tune ";

bool IsIdent(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Splits "[a, 'b,c', 3]" into literals, honouring quotes.
Expected<std::vector<std::string>> ParseValueList(std::string_view text) {
  text = StripWhitespace(text);
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') {
    return InvalidArgumentError("expected a value list like [64, 128, 256]");
  }
  std::vector<std::string> out;
  std::string cur;
  char quote = 0;
  for (char c : text.substr(1, text.size() - 2)) {
    if (quote) {
      cur.push_back(c);
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
      cur.push_back(c);
    } else if (c == ',') {
      out.emplace_back(StripWhitespace(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (quote) return InvalidArgumentError("unterminated string in the value list");
  if (!StripWhitespace(cur).empty() || !out.empty()) out.emplace_back(StripWhitespace(cur));
  if (out.empty()) return InvalidArgumentError("the value list is empty");
  for (const std::string& v : out) {
    if (v.empty()) return InvalidArgumentError("empty value in the value list");
  }
  return out;
}

// Where NAME's literal sits on `line`: [begin, end) of the value text, or npos.
std::pair<size_t, size_t> FindAssignment(const std::string& line, const std::string& name) {
  size_t pos = 0;
  while ((pos = line.find(name, pos)) != std::string::npos) {
    size_t after = pos + name.size();
    bool word =
        (pos == 0 || !IsIdent(line[pos - 1])) && (after >= line.size() || !IsIdent(line[after]));
    if (!word) {
      pos = after;
      continue;
    }
    size_t def = line.find("#define");
    size_t vstart;
    if (def != std::string::npos && def < pos) {
      vstart = after;
    } else {
      size_t eq = line.find('=', after);
      if (eq == std::string::npos || (eq + 1 < line.size() && line[eq + 1] == '=')) {
        pos = after;
        continue;
      }
      // Between the name and '=' only spaces or a type annotation (": int").
      std::string_view between(line.data() + after, eq - after);
      if (!StripWhitespace(between).empty() && StripWhitespace(between).front() != ':') {
        pos = after;
        continue;
      }
      vstart = eq + 1;
    }
    while (vstart < line.size() && (line[vstart] == ' ' || line[vstart] == '\t')) ++vstart;
    size_t vend = vstart;
    char quote = 0;
    for (; vend < line.size(); ++vend) {
      char c = line[vend];
      if (quote) {
        if (c == quote) quote = 0;
        continue;
      }
      if (c == '"' || c == '\'') quote = c;
      if (c == ';' || c == '#' || c == '\n' || c == ',' || c == ')' ||
          (c == '/' && vend + 1 < line.size() && line[vend + 1] == '/')) {
        break;
      }
    }
    while (vend > vstart && (line[vend - 1] == ' ' || line[vend - 1] == '\t')) --vend;
    if (vend > vstart) return {vstart, vend};
    pos = after;
  }
  return {std::string::npos, std::string::npos};
}

std::string Unquote(const std::string& v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    return v.substr(1, v.size() - 2);
  }
  return v;
}

Expected<std::vector<Tunable>> FileTunables(const std::string& name, const std::string& text) {
  std::vector<Tunable> out;
  std::vector<std::string> lines = SplitLines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    size_t m = lines[i].find(kMarker);
    if (m == std::string::npos) continue;
    SourceLoc loc{name, static_cast<int>(i) + 1, static_cast<int>(m) + 1};
    std::string rest(StripWhitespace(std::string_view(lines[i]).substr(m + kMarker.size())));
    size_t sp = rest.find(' ');
    Tunable t;
    t.name = rest.substr(0, sp);
    bool ident = !t.name.empty();
    for (char c : t.name) ident = ident && IsIdent(c);
    if (!ident || sp == std::string::npos || rest.compare(sp, 4, " in ") != 0) {
      return InvalidArgumentError(
          "malformed tunable annotation; expected 'referee: tune NAME "
          "in [v1, v2, ...]'",
          loc);
    }
    Expected<std::vector<std::string>> values = ParseValueList(rest.substr(sp + 4));
    if (!values) return InvalidArgumentError(values.error().message(), loc);
    t.values = *values;
    t.file = name;
    // The assignment: on this line before the comment, else on the next line.
    std::string before = lines[i].substr(0, m);
    auto [b, e] = FindAssignment(before, t.name);
    size_t at = i;
    if (b == std::string::npos && i + 1 < lines.size()) {
      std::tie(b, e) = FindAssignment(lines[i + 1], t.name);
      at = i + 1;
    }
    if (b == std::string::npos) {
      return InvalidArgumentError("no assignment to '" + t.name + "' on this or the next line",
                                  loc);
    }
    t.line = static_cast<int>(at) + 1;
    t.current = lines[at].substr(b, e - b);
    for (size_t k = 0; k < t.values.size(); ++k) {
      if (t.values[k] == t.current) t.current_index = static_cast<int>(k);
    }
    out.push_back(std::move(t));
  }
  return out;
}

Json LiteralToJson(const std::string& v) {
  char* end = nullptr;
  double d = std::strtod(v.c_str(), &end);
  if (!v.empty() && end && *end == '\0') {
    long long i = std::strtoll(v.c_str(), &end, 10);
    if (*end == '\0') return Json(i);
    return Json(d);
  }
  if (v == "True" || v == "true") return Json(true);
  if (v == "False" || v == "false") return Json(false);
  return Json(Unquote(v));
}

}  // namespace

Expected<std::vector<Tunable>> FindTunables(const Program& p) {
  std::vector<Tunable> all;
  for (const auto& [name, text] : p.files) {
    REFEREE_ASSIGN_OR_RETURN(std::vector<Tunable> t, FileTunables(name, text));
    all.insert(all.end(), t.begin(), t.end());
  }
  return all;
}

int ValueIndex(const Tunable& t, const Json& value) {
  for (size_t k = 0; k < t.values.size(); ++k) {
    if (LiteralToJson(t.values[k]) == value) return static_cast<int>(k);
    if (value.is_string() && value.get<std::string>() == t.values[k]) return static_cast<int>(k);
  }
  if (value.is_number()) {
    for (size_t k = 0; k < t.values.size(); ++k) {
      Json lit = LiteralToJson(t.values[k]);
      if (lit.is_number() && lit.get<double>() == value.get<double>()) {
        return static_cast<int>(k);
      }
    }
  }
  return -1;
}

Expected<Program> ApplyParams(const Program& p, const Json& params) {
  if (!params.is_object() || params.empty()) {
    return InvalidArgumentError("params must be a non-empty object {\"NAME\": value}");
  }
  REFEREE_ASSIGN_OR_RETURN(std::vector<Tunable> tunables, FindTunables(p));
  Program out = p;
  for (const auto& [name, value] : params.items()) {
    const Tunable* t = nullptr;
    for (const Tunable& x : tunables) {
      if (x.name == name) t = &x;
    }
    if (!t) return InvalidArgumentError("params: '" + name + "' is not an annotated tunable");
    int k = ValueIndex(*t, value);
    if (k < 0) {
      return InvalidArgumentError("params: " + name + "=" + DumpJson(value, -1) +
                                  " is not one of [" + StrJoin(t->values, ", ") + "]");
    }
    std::vector<std::string> lines = SplitLines(out.files[t->file]);
    std::string& line = lines[static_cast<size_t>(t->line - 1)];
    size_t m = line.find(kMarker);
    std::string head = m != std::string::npos ? line.substr(0, m) : line;
    auto [b, e] = FindAssignment(head, name);
    if (b == std::string::npos) std::tie(b, e) = FindAssignment(line, name);
    if (b == std::string::npos) return InternalError("tunable '" + name + "' moved");
    line = line.substr(0, b) + t->values[static_cast<size_t>(k)] + line.substr(e);
    std::string joined;
    for (const std::string& l : lines) joined += l;
    out.files[t->file] = joined;
  }
  return out;
}

Json CurrentParams(const std::vector<Tunable>& tunables) {
  Json j = Json::object();
  for (const Tunable& t : tunables) j[t.name] = LiteralToJson(t.current);
  return j;
}

}  // namespace referee::search
