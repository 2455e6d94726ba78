#include "referee/rules/catalogue.h"

#include <algorithm>

#include "referee/base/strings.h"
#include "referee/base/version.h"
#include "referee/rules/loader.h"

namespace referee::rules {
namespace {

std::string Languages(const Rule& rule) {
  std::vector<std::string> names;
  for (Language l : rule.languages) names.emplace_back(LanguageName(l));
  return StrJoin(names, ",");
}

// "kernel: error, training: off" for a rule with per-context severities, else "".
std::string Contexts(const Rule& rule) {
  std::vector<std::string> parts;
  for (const auto& [context, severity] : rule.contexts) {
    parts.push_back(std::string(ContextName(context)) + ": " +
                    (severity ? std::string(SeverityName(*severity)) : "off"));
  }
  return StrJoin(parts, ", ");
}

std::string Indented(const std::string& text) {
  std::string out;
  for (const std::string& line : StrSplit(StripWhitespace(text), '\n')) out += "  " + line + "\n";
  return out;
}

}  // namespace

std::string FormatRuleList(const RuleSet& set) {
  size_t id_w = 2, cat_w = 8, lang_w = 9;
  for (const Rule& r : set.rules) {
    id_w = std::max(id_w, r.id.size());
    cat_w = std::max(cat_w, CategoryName(r.category).size());
    lang_w = std::max(lang_w, Languages(r).size());
  }
  auto row = [&](const std::string& id, const std::string& cat, const std::string& sev,
                 const std::string& lang, const std::string& title) {
    return StrFormat("%-*s  %-*s  %-8s  %-*s  %s\n", int(id_w), id.c_str(), int(cat_w),
                     cat.c_str(), sev.c_str(), int(lang_w), lang.c_str(), title.c_str());
  };
  std::string out = row("ID", "CATEGORY", "SEVERITY", "LANGUAGES", "TITLE");
  for (const Rule& r : set.rules) {
    out += row(r.id, std::string(CategoryName(r.category)), std::string(SeverityName(r.severity)),
               Languages(r), r.title);
  }
  return out;
}

Json RuleListJson(const RuleSet& set) {
  Json rules = Json::array();
  for (const Rule& r : set.rules) {
    Json langs = Json::array();
    for (Language l : r.languages) langs.push_back(std::string(LanguageName(l)));
    Json entry = {{"id", r.id},
                  {"category", std::string(CategoryName(r.category))},
                  {"severity", std::string(SeverityName(r.severity))},
                  {"languages", langs},
                  {"title", r.title},
                  {"file", r.source_path}};
    if (!r.contexts.empty()) {
      Json contexts = Json::object();
      for (const auto& [context, severity] : r.contexts) {
        contexts[std::string(ContextName(context))] =
            severity ? std::string(SeverityName(*severity)) : std::string("off");
      }
      entry["contexts"] = contexts;
    }
    rules.push_back(std::move(entry));
  }
  return Json{{"schema_version", kJsonSchemaVersion},
              {"kind", "rules"},
              {"tool", {{"name", kToolName}, {"version", kVersion}}},
              {"rule_set_hash", RuleSetHash(set)},
              {"rules", rules}};
}

std::string FormatRuleExplanation(const Rule& r) {
  std::string out = r.id + ": " + r.title + "\n\n";
  out += StrFormat("category:  %s\nseverity:  %s\n", std::string(CategoryName(r.category)).c_str(),
                   std::string(SeverityName(r.severity)).c_str());
  if (!r.contexts.empty()) out += "contexts:  " + Contexts(r) + "\n";
  out += StrFormat("languages: %s\nfile:      %s\n\n", Languages(r).c_str(), r.source_path.c_str());
  out += "message:\n" + Indented(r.message) + "\nrationale:\n" + Indented(r.rationale);
  if (!r.references.empty()) out += "\nreferences:\n";
  for (const std::string& ref : r.references) out += "  - " + ref + "\n";
  const char* kind = !r.matcher.empty() ? "matcher" : !r.query.empty() ? "query" : "check";
  out += StrFormat("\npattern (%s, %s:%d:%d):\n", kind, r.source_path.c_str(), r.pattern_pos.line,
                   r.pattern_pos.col);
  out += Indented(r.matcher + r.query + r.check);
  for (const auto& [name, text] : r.let) out += "  let " + name + " = " + text + "\n";
  if (!r.bind.empty()) out += "  bind: " + r.bind + "\n";
  for (const auto& [key, value] : r.options) out += "  option " + key + " = " + value + "\n";
  return out;
}

const Rule* ClosestRule(const RuleSet& set, std::string_view id) {
  const Rule* near = nullptr;
  int best = 4;
  for (const Rule& candidate : set.rules) {
    int d = EditDistance(id, candidate.id);
    if (d < best) best = d, near = &candidate;
  }
  return near;
}

}  // namespace referee::rules
