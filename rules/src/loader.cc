// The YAML rule loader. yaml-cpp throws; every call into it is inside this file and its
// exceptions are turned into located Status values here (STYLE.md: exceptions stop at the adapter).
#include "referee/rules/loader.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <set>

#include "loader_internal.h"
#include "referee/base/closest_name.h"
#include "referee/base/file.h"
#include "referee/base/strings.h"

namespace referee::rules {
namespace {

constexpr std::array<std::string_view, 16> kFields = {
    "id",      "title", "category", "severity", "languages", "message", "rationale", "references",
    "matcher", "let",   "bind",     "query",    "check",     "options", "notes", "contexts"};
constexpr std::array<std::string_view, 3> kPatternFields = {"matcher", "query", "check"};
// Brackets a matcher or query may nest. Clang's dynamic matcher parser and tree-sitter's query
// parser recurse once per level, and `anyOf(` x 10,000 or `(` x 100,000 overflowed the stack
// (issue 20); the bundled rules nest at most 9 deep.
constexpr int kMaxPatternNesting = 100;

// The byte offset where `pattern` first nests deeper than kMaxPatternNesting, or npos. Brackets in
// "strings" do not count, nor (in queries) those in `;` comments.
size_t TooDeepAt(std::string_view pattern, bool query) {
  int depth = 0;
  bool in_string = false, in_comment = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (in_comment) {
      in_comment = c != '\n';
    } else if (in_string) {
      if (c == '\\') ++i;
      in_string = c != '"';
    } else if (c == '"') {
      in_string = true;
    } else if (c == ';' && query) {
      in_comment = true;
    } else if (c == '(' || c == '[' || c == '{') {
      if (++depth > kMaxPatternNesting) return i;
    } else if (c == ')' || c == ']' || c == '}') {
      --depth;
    }
  }
  return std::string_view::npos;
}

// Where byte `offset` of a pattern starting at `start` lies in the rule file (block scalars lose
// their indentation in the value, so columns past the first line are approximate).
SourceLoc PatternLoc(const std::string& path, TextPos start, std::string_view pattern,
                     size_t offset) {
  int line = start.line, col = start.col;
  for (size_t i = 0; i < offset && i < pattern.size(); ++i) {
    if (pattern[i] == '\n') {
      ++line, col = start.col;
    } else {
      ++col;
    }
  }
  return SourceLoc{path, line, col};
}

class RuleParser {
 public:
  RuleParser(std::string_view text, const std::string& path,
             const std::vector<std::string>& known_checks)
      : text_(text), path_(path), known_checks_(known_checks) {}

  Expected<Rule> Parse(const YAML::Node& root);

 private:
  Status Error(const YAML::Mark& mark, std::string message) const {
    return InvalidArgumentError(std::move(message), MarkToLoc(path_, mark));
  }
  Status CheckKeys(const YAML::Node& root) const;
  Expected<std::string> String(const YAML::Node& root, const char* key, bool required) const;
  Expected<std::vector<std::string>> StringList(const YAML::Node& root, const char* key) const;
  Status ParseEnums(const YAML::Node& root, Rule* rule) const;
  Status ParsePattern(const YAML::Node& root, Rule* rule) const;
  Status ParseLet(const YAML::Node& node, Rule* rule) const;
  Status ParseOptions(const YAML::Node& node, Rule* rule) const;
  Status ParseContexts(const YAML::Node& node, Rule* rule) const;
  Status CheckNesting(const Rule& rule) const;

  std::string_view text_;
  const std::string& path_;
  const std::vector<std::string>& known_checks_;
};

Status RuleParser::CheckKeys(const YAML::Node& root) const {
  for (auto it = root.begin(); it != root.end(); ++it) {
    if (!it->first.IsScalar()) return Error(it->first.Mark(), "field names must be plain strings");
    std::string key = it->first.Scalar();
    if (std::find(kFields.begin(), kFields.end(), key) != kFields.end()) continue;
    std::string message = StrFormat("unknown field '%s'", key.c_str());
    std::string_view best = ClosestName(key, kFields);
    if (!best.empty())
      message += StrFormat("; did you mean '%.*s'?", int(best.size()), best.data());
    return Error(it->first.Mark(), message);
  }
  return OkStatus();
}

Expected<std::string> RuleParser::String(const YAML::Node& root, const char* key,
                                         bool required) const {
  YAML::Node node = root[key];
  if (!node) {
    if (required) return Error(root.Mark(), StrFormat("missing required field '%s'", key));
    return std::string();
  }
  if (!node.IsScalar()) return Error(node.Mark(), StrFormat("field '%s' must be a string", key));
  std::string value = node.Scalar();
  if (required && StripWhitespace(value).empty()) {
    return Error(node.Mark(), StrFormat("field '%s' must not be empty", key));
  }
  return value;
}

Expected<std::vector<std::string>> RuleParser::StringList(const YAML::Node& root,
                                                          const char* key) const {
  std::vector<std::string> out;
  YAML::Node node = root[key];
  if (!node || node.IsNull()) return out;
  if (node.IsScalar()) return std::vector<std::string>{node.Scalar()};
  if (!node.IsSequence()) {
    return Error(node.Mark(), StrFormat("field '%s' must be a list of strings", key));
  }
  for (const YAML::Node& item : node) {
    if (!item.IsScalar()) {
      return Error(item.Mark(), StrFormat("field '%s' must be a list of strings", key));
    }
    out.push_back(item.Scalar());
  }
  return out;
}

Status RuleParser::ParseEnums(const YAML::Node& root, Rule* rule) const {
  REFEREE_ASSIGN_OR_RETURN(std::string category, String(root, "category", true));
  std::optional<Category> cat = ParseCategory(category);
  if (!cat) {
    return Error(root["category"].Mark(),
                 StrFormat("unknown category '%s' (see docs/rules.md for the 14 categories)",
                           category.c_str()));
  }
  rule->category = *cat;
  REFEREE_ASSIGN_OR_RETURN(std::string severity, String(root, "severity", true));
  std::optional<Severity> sev = ParseSeverity(severity);
  if (!sev) {
    return Error(
        root["severity"].Mark(),
        StrFormat("invalid severity '%s' (expected note, warning or error)", severity.c_str()));
  }
  rule->severity = *sev;
  if (root["contexts"]) REFEREE_RETURN_IF_ERROR(ParseContexts(root["contexts"], rule));
  if (!root["languages"]) return Error(root.Mark(), "missing required field 'languages'");
  REFEREE_ASSIGN_OR_RETURN(std::vector<std::string> languages, StringList(root, "languages"));
  if (languages.empty())
    return Error(root["languages"].Mark(), "field 'languages' must not be empty");
  for (size_t i = 0; i < languages.size(); ++i) {
    std::optional<Language> lang = ParseLanguage(languages[i]);
    if (!lang) {
      YAML::Node node = root["languages"];
      YAML::Mark mark = node.IsSequence() ? node[i].Mark() : node.Mark();
      return Error(mark, StrFormat("unknown language '%s' (expected cpp, cuda or python)",
                                   languages[i].c_str()));
    }
    if (!rule->AppliesTo(*lang)) rule->languages.push_back(*lang);
  }
  return OkStatus();
}

Status RuleParser::ParseLet(const YAML::Node& node, Rule* rule) const {
  if (!node.IsMap()) {
    return Error(node.Mark(), "field 'let' must map names to matcher expressions");
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar() || !it->second.IsScalar()) {
      return Error(it->first.Mark(), "field 'let' must map names to matcher expressions");
    }
    rule->let.emplace_back(it->first.Scalar(), it->second.Scalar());
    rule->let_pos.push_back(PatternStart(text_, it->second.Mark()));
  }
  return OkStatus();
}

Status RuleParser::ParseOptions(const YAML::Node& node, Rule* rule) const {
  if (!node.IsMap()) return Error(node.Mark(), "field 'options' must be a mapping");
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar()) return Error(it->first.Mark(), "option names must be strings");
    std::string value;
    // A copy: `it->second` lives in a temporary the iterator returns, which a range-for over it
    // would outlive (ASan: stack-use-after-scope, issue 20).
    const YAML::Node option = it->second;
    if (option.IsScalar()) {
      value = option.Scalar();
    } else if (option.IsSequence()) {  // a list is stored comma-separated
      std::vector<std::string> items;
      for (const YAML::Node& item : option) {
        if (!item.IsScalar()) return Error(item.Mark(), "option values must be strings or lists");
        items.push_back(item.Scalar());
      }
      value = StrJoin(items, ",");
    } else if (!option.IsNull()) {
      return Error(option.Mark(), "option values must be strings or lists");
    }
    rule->options[it->first.Scalar()] = value;
  }
  return OkStatus();
}

// `contexts: {kernel: error, training: note, other: off}` (issue 18: severity per context).
Status RuleParser::ParseContexts(const YAML::Node& node, Rule* rule) const {
  if (!node.IsMap()) {
    return Error(node.Mark(), "field 'contexts' must map contexts to severities");
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->first.IsScalar() || !it->second.IsScalar()) {
      return Error(it->first.Mark(), "field 'contexts' must map contexts to severities");
    }
    std::optional<Context> context = ParseContext(it->first.Scalar());
    if (!context) {
      return Error(it->first.Mark(),
                   StrFormat("unknown context '%s' (expected kernel, training or other)",
                             it->first.Scalar().c_str()));
    }
    const std::string& value = it->second.Scalar();
    std::optional<Severity> severity = ParseSeverity(value);
    if (!severity && value != "off") {
      return Error(it->second.Mark(),
                   StrFormat("invalid severity '%s' for context '%s' (expected note, warning, "
                             "error or off)",
                             value.c_str(), it->first.Scalar().c_str()));
    }
    rule->contexts[*context] = severity;
  }
  return OkStatus();
}

Status RuleParser::ParsePattern(const YAML::Node& root, Rule* rule) const {
  const char* first = nullptr;
  for (std::string_view field : kPatternFields) {
    std::string key(field);
    if (!root[key]) continue;
    if (first != nullptr) {
      return Error(root[key].Mark(),
                   StrFormat("rule has more than one pattern ('%s' and '%s'); set exactly one",
                             first, key.c_str()));
    }
    first = field.data();
    REFEREE_ASSIGN_OR_RETURN(std::string value, String(root, key.c_str(), true));
    rule->pattern_pos = PatternStart(text_, root[key].Mark());
    if (key == "matcher") rule->matcher = value;
    if (key == "query") rule->query = value;
    if (key == "check") rule->check = std::string(StripWhitespace(value));
  }
  if (first == nullptr) {
    return Error(root.Mark(),
                 "rule has no pattern: set exactly one of 'matcher', 'query' or 'check'");
  }
  if (root["let"] && rule->matcher.empty()) {
    return Error(root["let"].Mark(), "field 'let' is only allowed with 'matcher'");
  }
  if (root["let"]) REFEREE_RETURN_IF_ERROR(ParseLet(root["let"], rule));
  REFEREE_ASSIGN_OR_RETURN(rule->bind, String(root, "bind", false));
  if (!rule->check.empty() && !known_checks_.empty() &&
      std::find(known_checks_.begin(), known_checks_.end(), rule->check) == known_checks_.end()) {
    return Error(root["check"].Mark(), StrFormat("unknown check '%s'", rule->check.c_str()));
  }
  if (root["options"]) REFEREE_RETURN_IF_ERROR(ParseOptions(root["options"], rule));
  return CheckNesting(*rule);
}

Status RuleParser::CheckNesting(const Rule& rule) const {
  std::string_view pattern = rule.query.empty() ? rule.matcher : rule.query;
  size_t at = TooDeepAt(pattern, !rule.query.empty());
  TextPos start = rule.pattern_pos;
  for (size_t i = 0; at == std::string_view::npos && i < rule.let.size(); ++i) {
    pattern = rule.let[i].second;
    at = TooDeepAt(pattern, false);
    start = rule.let_pos[i];
  }
  if (at == std::string_view::npos) return OkStatus();
  return InvalidArgumentError(
      StrFormat("pattern nests too deep (more than %d levels of brackets)", kMaxPatternNesting),
      PatternLoc(path_, start, pattern, at));
}

Expected<Rule> RuleParser::Parse(const YAML::Node& root) {
  if (!root || root.IsNull()) return Error(YAML::Mark(), "empty rule file");
  if (!root.IsMap()) return Error(root.Mark(), "a rule file must be a YAML mapping of fields");
  REFEREE_RETURN_IF_ERROR(CheckKeys(root));
  Rule rule;
  rule.source_path = path_;
  REFEREE_ASSIGN_OR_RETURN(rule.id, String(root, "id", true));
  if (!IsKebabCase(rule.id)) {
    return Error(root["id"].Mark(),
                 StrFormat("rule id '%s' must be kebab-case (a-z, 0-9 and '-')", rule.id.c_str()));
  }
  std::string base = FileStem(path_);
  if (!base.empty() && base != rule.id) {
    return Error(root["id"].Mark(), StrFormat("rule id '%s' does not match the file name '%s'",
                                              rule.id.c_str(), BaseName(path_).c_str()));
  }
  REFEREE_ASSIGN_OR_RETURN(rule.title, String(root, "title", true));
  REFEREE_RETURN_IF_ERROR(ParseEnums(root, &rule));
  REFEREE_ASSIGN_OR_RETURN(rule.message, String(root, "message", true));
  REFEREE_ASSIGN_OR_RETURN(rule.rationale, String(root, "rationale", true));
  REFEREE_ASSIGN_OR_RETURN(rule.references, StringList(root, "references"));
  REFEREE_RETURN_IF_ERROR(ParsePattern(root, &rule));
  return rule;
}

}  // namespace

SourceLoc MarkToLoc(const std::string& path, const YAML::Mark& mark) {
  if (mark.is_null()) return SourceLoc{path, 1, 1};
  return SourceLoc{path, mark.line + 1, mark.column + 1};
}

TextPos PatternStart(std::string_view text, const YAML::Mark& mark) {
  TextPos pos{mark.line + 1, mark.column + 1};
  if (mark.pos < 0 || size_t(mark.pos) >= text.size()) return pos;
  char c = text[mark.pos];
  if (c != '|' && c != '>') return pos;
  // A block scalar: its text starts on the next line, at the indentation of its first
  // non-blank line.
  size_t at = text.find('\n', mark.pos);
  if (at == std::string_view::npos) return pos;
  TextPos start{pos.line + 1, 1};
  while (at != std::string_view::npos) {
    size_t begin = at + 1;
    size_t indent = text.find_first_not_of(' ', begin);
    if (indent == std::string_view::npos) break;
    if (text[indent] != '\n') {
      start.col = int(indent - begin) + 1;
      break;
    }
    at = indent;
  }
  return start;
}

bool IsKebabCase(std::string_view id) {
  if (id.empty() || id.front() == '-' || id.back() == '-') return false;
  for (size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && id[i + 1] == '-')) return false;
  }
  return true;
}

std::string BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

std::string FileStem(std::string_view path) {
  std::string base = BaseName(path);
  size_t dot = base.rfind('.');
  return dot == std::string::npos ? base : base.substr(0, dot);
}

Expected<Rule> ParseRule(std::string_view text, const std::string& path,
                         const std::vector<std::string>& known_check_names) {
  RuleParser parser(text, path, known_check_names);
  REFEREE_RETURN_IF_ERROR(CheckQuotedScalars(text, path));
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return parser.Parse(root);
  } catch (const YAML::Exception& e) {
    return InvalidArgumentError(StrFormat("invalid YAML: %s", e.msg.c_str()),
                                MarkToLoc(path, e.mark));
  } catch (const std::exception& e) {
    return InvalidArgumentError(StrFormat("invalid YAML: %s", e.what()), SourceLoc{path, 1, 1});
  }
}

LoadResult LoadRules(const std::vector<std::string>& dirs,
                     const std::vector<std::string>& known_check_names) {
  LoadResult result;
  std::vector<std::string> files;
  for (const std::string& dir : dirs) {
    Expected<std::vector<std::string>> found = FindRuleFiles({dir});
    if (!found) {
      result.errors.push_back(found.error());
      continue;
    }
    files.insert(files.end(), found->begin(), found->end());
  }
  std::set<std::string> seen;
  for (const std::string& file : files) {
    Expected<std::string> text = ReadFile(file);
    if (!text) {
      result.errors.push_back(text.error().WithLoc(SourceLoc{file, 0, 0}));
      continue;
    }
    Expected<Rule> rule = ParseRule(*text, file, known_check_names);
    if (!rule) {
      result.errors.push_back(rule.error());
      continue;
    }
    if (!seen.insert(rule->id).second) {
      const Rule* first = result.rules.Find(rule->id);
      result.errors.push_back(
          InvalidArgumentError(StrFormat("duplicate rule id '%s' (first defined in %s)",
                                         rule->id.c_str(), first->source_path.c_str()),
                               SourceLoc{file, 1, 1}));
      continue;
    }
    result.rules.rules.push_back(std::move(*rule));
  }
  std::sort(result.rules.rules.begin(), result.rules.rules.end(),
            [](const Rule& a, const Rule& b) { return a.id < b.id; });
  return result;
}

}  // namespace referee::rules
