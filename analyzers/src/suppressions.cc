#include "suppressions.h"

#include <filesystem>

#include "referee/base/file.h"
#include "referee/base/json.h"
#include "referee/base/strings.h"

namespace referee::analyzers {
namespace {

namespace fs = std::filesystem;

std::string WithoutBlanks(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c != ' ' && c != '\t' && c != '\r') out += c;
  }
  return out;
}

// Whether a line holds nothing but a comment.
bool CommentOnly(std::string_view line) {
  std::string_view t = StripWhitespace(line);
  return StartsWith(t, "#") || StartsWith(t, "//") || StartsWith(t, "/*");
}

// A note on the finding's file that its suppression was not honoured.
void NoteIgnored(rules::AuditResult& result, const rules::Finding& f, const char* why) {
  for (rules::FileResult& file : result.files) {
    if (file.path != f.path) continue;
    file.notes.push_back(StrFormat("line %d: suppression of %s ignored: %s", f.line,
                                   f.rule_id.c_str(), why));
  }
}

bool Names(const InlineSuppression& s, const std::string& rule_id) {
  for (const std::string& r : s.rules) {
    if (r == rule_id) return true;
  }
  return false;
}

}  // namespace

std::optional<InlineSuppression> ParseSuppressionComment(std::string_view line) {
  size_t at = line.find("referee: ignore[");
  if (at == std::string_view::npos) return std::nullopt;
  size_t open = at + std::string_view("referee: ignore[").size();
  size_t close = line.find(']', open);
  if (close == std::string_view::npos) return std::nullopt;
  InlineSuppression s;
  for (const std::string& r : StrSplit(line.substr(open, close - open), ',')) {
    std::string id(StripWhitespace(r));
    if (!id.empty()) s.rules.push_back(id);
  }
  std::string_view rest = line.substr(close + 1);
  size_t dash = rest.find("--");
  if (dash != std::string_view::npos) {
    std::string_view reason = StripWhitespace(rest.substr(dash + 2));
    if (EndsWith(reason, "*/")) reason = StripWhitespace(reason.substr(0, reason.size() - 2));
    s.reason = std::string(reason);
  }
  if (s.rules.empty()) return std::nullopt;
  return s;
}

void ApplyInlineSuppressions(rules::AuditResult& result, const std::string& cwd, bool allowed) {
  std::map<std::string, std::vector<std::string>> lines;  // path -> its lines, read once
  for (rules::Finding& f : result.findings) {
    if (f.suppressed || f.line < 1) continue;
    if (!lines.count(f.path)) {
      fs::path p = fs::path(f.path).is_absolute() ? fs::path(f.path) : fs::path(cwd) / f.path;
      Expected<std::string> text = ReadFile(p.string());
      lines[f.path] = text ? StrSplit(*text, '\n') : std::vector<std::string>{};
    }
    const std::vector<std::string>& src = lines[f.path];
    if (static_cast<size_t>(f.line) > src.size()) continue;
    std::optional<InlineSuppression> s = ParseSuppressionComment(src[f.line - 1]);
    if ((!s || !Names(*s, f.rule_id)) && f.line >= 2 && CommentOnly(src[f.line - 2])) {
      s = ParseSuppressionComment(src[f.line - 2]);
    }
    if (!s || !Names(*s, f.rule_id)) continue;
    if (!allowed) {
      NoteIgnored(result, f, "the trusted --config does not allow suppressions "
                             "(allow_suppressions: true)");
    } else if (s->reason.empty()) {
      NoteIgnored(result, f, "a suppression needs a reason ('referee: ignore[id] -- why')");
    } else {
      f.suppressed = rules::Suppression{"inline", s->reason};
    }
  }
}

Expected<Baseline> LoadBaseline(const std::string& path) {
  REFEREE_ASSIGN_OR_RETURN(Json j, ReadJsonFile(path));
  if (!j.is_object() || !j.contains("findings") || !j["findings"].is_array()) {
    return InvalidArgumentError("not an audit report (no findings list)", SourceLoc{path, 1, 1});
  }
  Baseline b;
  for (const Json& f : j["findings"]) {
    if (!f.is_object() || !f.contains("rule_id") || !f["rule_id"].is_string() ||
        !f.contains("path") || !f["path"].is_string()) {
      return InvalidArgumentError("a finding without rule_id and path", SourceLoc{path, 1, 1});
    }
    std::string snippet = f.contains("snippet") && f["snippet"].is_string()
                              ? f["snippet"].get<std::string>() : "";
    ++b[{f["rule_id"].get<std::string>(), f["path"].get<std::string>(), WithoutBlanks(snippet)}];
  }
  return b;
}

void ApplyBaseline(rules::AuditResult& result, Baseline baseline, const std::string& path) {
  for (rules::Finding& f : result.findings) {
    if (f.suppressed) continue;
    auto it = baseline.find({f.rule_id, f.path, WithoutBlanks(f.snippet)});
    if (it == baseline.end() || it->second == 0) continue;
    --it->second;
    f.suppressed = rules::Suppression{"baseline", path};
  }
}

}  // namespace referee::analyzers
