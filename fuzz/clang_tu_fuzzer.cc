// The Clang analyzer on one translation unit (issue 20): the first byte picks .cu (odd) or .cpp
// (even), the rest is the file; every bundled C++/CUDA rule and check, no-toolkit mode. Runs on
// a large stack, as the audit does.
#include <cstdint>
#include <string>

#include "large_stack.h"
#include "referee/analyzers/clang_analyzer.h"
#include "referee/rules/loader.h"

namespace {

using namespace referee;

struct Setup {
  rules::RuleSet rules = rules::LoadRules(rules::BundledRuleDirs()).rules;
  std::unique_ptr<analyzers::Analyzer> analyzer =
      analyzers::MakeClangAnalyzer(analyzers::AnalyzerOptions{});
  Setup() { (void)analyzer->Prepare(rules); }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Setup* setup = new Setup;
  if (size == 0) return 0;
  bool cuda = data[0] & 1;
  analyzers::SourceFile file;
  file.path = file.display_path = cuda ? "/fuzz/tu.cu" : "/fuzz/tu.cpp";
  file.content.assign(reinterpret_cast<const char*>(data) + 1, size - 1);
  file.language = cuda ? rules::Language::kCuda : rules::Language::kCpp;
  analyzers::RunOnLargeStack([&] { (void)setup->analyzer->Analyze(file, setup->rules); });
  return 0;
}
