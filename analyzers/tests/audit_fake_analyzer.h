// A fake analyzer for the driver's tests: flags every line containing "HACK" with rule
// `fake-hack` (at the column of the word), throws on a file containing "THROW", aborts on
// "ABORT", never returns on "HANG", grows without bound on "BLOAT", and rejects rules whose check
// is "broken" in Prepare. Each hit is reported twice (as a host and a device
// pass would) and once more in a header, which the driver must drop.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "referee/analyzers/analyzer.h"
#include "referee/base/strings.h"

namespace referee::analyzers {

class FakeAnalyzer final : public Analyzer {
 public:
  const char* name() const override { return "fake"; }
  bool Handles(rules::Language l) const override { return l != rules::Language::kPython; }
  std::vector<Status> Prepare(const rules::RuleSet& rules) override {
    std::vector<Status> errors;
    for (const rules::Rule& r : rules.rules) {
      if (r.check == "broken") {
        errors.push_back(InvalidArgumentError("unknown check 'broken' [" + r.id + "]",
                                              SourceLoc{r.source_path, 3, 8}));
      }
    }
    return errors;
  }
  AnalysisOutput Analyze(const SourceFile& file, const rules::RuleSet&) const override {
    if (file.content.find("THROW") != std::string::npos) throw std::runtime_error("boom");
    if (file.content.find("ABORT") != std::string::npos) std::abort();
    while (file.content.find("HANG") != std::string::npos) pause();
    if (file.content.find("BLOAT") != std::string::npos) Bloat();
    AnalysisOutput out;
    out.file.path = file.display_path;
    int line = 1;
    for (const std::string& text : StrSplit(file.content, '\n')) {
      size_t col = text.find("HACK");
      if (col != std::string::npos) {
        rules::Finding f;
        f.rule_id = "fake-hack";
        f.path = file.display_path;
        f.line = line;
        f.column = int(col) + 1;
        f.end_line = line;
        f.end_column = int(col) + 5;
        out.findings.push_back(f);
        out.findings.push_back(f);  // as a host and a device pass would: de-duplicated
        f.path = "/usr/include/some_header.h";
        out.findings.push_back(f);  // outside the audited file: dropped
      }
      ++line;
    }
    return out;
  }

 private:
  // Touches 16 MiB every 10 ms (slow enough for the driver's sampling to stop it early).
  [[noreturn]] static void Bloat() {
    std::vector<std::unique_ptr<char[]>> blocks;
    while (true) {
      blocks.emplace_back(new char[16 << 20]);
      std::memset(blocks.back().get(), 1, 16 << 20);
      usleep(10000);
    }
  }
};

inline rules::RuleSet FakeRules() {
  rules::RuleSet set;
  rules::Rule r;
  r.id = "fake-hack";
  r.title = "A hack";
  r.category = rules::Category::kOutputCaching;
  r.severity = rules::Severity::kError;
  r.languages = {rules::Language::kCpp, rules::Language::kCuda};
  r.message = "hack found";
  r.rationale = "hacks are bad";
  r.check = "fake";
  set.rules.push_back(r);
  return set;
}

}  // namespace referee::analyzers
