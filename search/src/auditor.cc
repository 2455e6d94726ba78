#include "referee/search/auditor.h"

#include <set>

#include "referee/base/file.h"
#include "referee/base/strings.h"
#include "referee/search/sha256.h"

namespace referee::search {
namespace {

class PatternAuditor final : public Auditor {
 public:
  explicit PatternAuditor(std::vector<PatternRule> rules) : rules_(std::move(rules)) {}
  std::string name() const override { return "patterns"; }
  std::string RulesetHash() const override {
    std::string all;
    for (const PatternRule& r : rules_) all += r.id + "\n" + r.pattern + "\n" + r.severity + "\n";
    return Sha256Hex(all).substr(0, 16);
  }
  Expected<AuditOutcome> Audit(const std::string& dir,
                               const std::vector<std::string>& files) override {
    AuditOutcome out;
    for (const std::string& f : files) {
      Expected<std::string> text = ReadFile(dir + "/" + f);
      if (!text) {
        out.file_errors.push_back(text.error().ToString());
        continue;
      }
      std::vector<std::string> lines = SplitLines(*text);
      for (size_t i = 0; i < lines.size(); ++i) {
        for (const PatternRule& r : rules_) {
          if (lines[i].find(r.pattern) == std::string::npos) continue;
          out.findings.push_back({r.id, r.severity, f, static_cast<int>(i) + 1,
                                  "matches '" + r.pattern + "'",
                                  std::string(StripWhitespace(lines[i]))});
        }
      }
    }
    return out;
  }

 private:
  std::vector<PatternRule> rules_;
};

}  // namespace

std::unique_ptr<Auditor> MakePatternAuditor(std::vector<PatternRule> rules) {
  return std::make_unique<PatternAuditor>(std::move(rules));
}

std::vector<AuditFinding> NewFindings(const AuditOutcome& parent, const AuditOutcome& child) {
  std::multiset<std::pair<std::string, std::string>> seen;
  for (const AuditFinding& f : parent.findings) seen.insert({f.rule_id, f.snippet});
  std::vector<AuditFinding> out;
  for (const AuditFinding& f : child.findings) {
    auto it = seen.find({f.rule_id, f.snippet});
    if (it != seen.end()) {
      seen.erase(it);
      continue;
    }
    out.push_back(f);
  }
  return out;
}

}  // namespace referee::search
