// The Python analyzer on one file (issue 20): the candidate's own source, every bundled Python
// rule and check, the autoresearch preset. Runs on a large stack, as the audit does.
#include <cstdint>
#include <string>

#include "large_stack.h"
#include "referee/analyzers/python_analyzer.h"
#include "referee/rules/loader.h"

namespace {

using namespace referee;

struct Setup {
  rules::RuleSet rules = rules::LoadRules(rules::BundledRuleDirs()).rules;
  std::unique_ptr<analyzers::Analyzer> analyzer = analyzers::MakePythonAnalyzer(
      analyzers::AnalyzerOptions{}, nullptr, *analyzers::DefaultAuditConfig("autoresearch"));
  Setup() { (void)analyzer->Prepare(rules); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Setup* setup = new Setup;
  analyzers::SourceFile file{"fuzz.py", "fuzz.py",
                             std::string(reinterpret_cast<const char*>(data), size),
                             rules::Language::kPython};
  analyzers::RunOnLargeStack([&] { (void)setup->analyzer->Analyze(file, setup->rules); });
  return 0;
}
