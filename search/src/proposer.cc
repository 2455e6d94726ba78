#include "referee/search/proposer.h"

#include "referee/search/diff.h"
#include "referee/search/tunables.h"

namespace referee::search {
namespace {

Status Malformed(const std::string& what) {
  return InvalidArgumentError("malformed proposer answer: " + what);
}

Expected<Proposal> ParseOne(const Json& j, size_t index) {
  std::string at = "proposals[" + std::to_string(index) + "]";
  if (!j.is_object()) return Malformed(at + " is not an object");
  Proposal p;
  int kinds = 0;
  if (j.contains("diff")) {
    if (!j["diff"].is_string()) return Malformed(at + ".diff is not a string");
    p.diff = j["diff"].get<std::string>();
    ++kinds;
  }
  if (j.contains("files")) {
    if (!j["files"].is_object()) return Malformed(at + ".files is not an object");
    std::map<std::string, std::string> files;
    for (const auto& [name, content] : j["files"].items()) {
      if (!content.is_string()) return Malformed(at + ".files['" + name + "'] is not a string");
      if (!IsSafeRelativeName(name))
        return Malformed(at + ".files names unsafe path '" + name + "'");
      files[name] = content.get<std::string>();
    }
    p.files = std::move(files);
    ++kinds;
  }
  if (j.contains("params")) {
    if (!j["params"].is_object()) return Malformed(at + ".params is not an object");
    p.params = j["params"];
    ++kinds;
  }
  if (kinds != 1) return Malformed(at + " must have exactly one of diff, files, params");
  if (j.contains("rationale")) {
    if (!j["rationale"].is_string()) return Malformed(at + ".rationale is not a string");
    p.rationale = j["rationale"].get<std::string>();
  }
  if (j.contains("cost")) {
    if (!j["cost"].is_object()) return Malformed(at + ".cost is not an object");
    for (const auto& [k, v] : j["cost"].items()) {
      if (!v.is_number() || v.get<double>() < 0) {
        return Malformed(at + ".cost." + k + " is not a non-negative number");
      }
    }
    p.cost = j["cost"];
  }
  return p;
}

}  // namespace

Expected<std::vector<Proposal>> ParseProposerAnswer(const std::string& text) {
  Expected<Json> j = ParseJson(text, "answer");
  if (!j) return Malformed("not JSON (" + j.error().ToString() + ")");
  std::vector<Proposal> out;
  if (j->is_object() && j->contains("proposals")) {
    const Json& list = (*j)["proposals"];
    if (!list.is_array()) return Malformed("proposals is not an array");
    for (size_t i = 0; i < list.size(); ++i) {
      REFEREE_ASSIGN_OR_RETURN(Proposal p, ParseOne(list[i], i));
      out.push_back(std::move(p));
    }
  } else {
    REFEREE_ASSIGN_OR_RETURN(Proposal p, ParseOne(*j, 0));
    out.push_back(std::move(p));
  }
  return out;
}

Expected<Program> ApplyProposal(const Program& parent, const Proposal& p) {
  if (p.diff) return ApplyUnifiedDiff(parent, *p.diff);
  if (p.params) return ApplyParams(parent, *p.params);
  Program out = parent;
  for (const auto& [name, content] : *p.files) out.files[name] = content;
  return out;
}

}  // namespace referee::search
