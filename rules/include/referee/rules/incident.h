// Rules grow from incidents (issue 18): a rejected evaluation's report becomes a rule skeleton and
// an annotated test source that `referee rules test` fails on until the rule catches the code.
#pragma once

#include <string>

#include "referee/base/expected.h"

namespace referee::rules {

struct IncidentRuleOptions {
  std::string out_dir = ".";  // where the two files are written (created if missing)
  std::string id;             // default: incident-<check>-<candidate stem>
  std::string category;       // default: from the dynamic check (CategoryForCheck)
  std::string source;         // the offending file, for a candidate that is a directory
};

struct IncidentRuleFiles {
  std::string id;
  std::string rule_path;  // OUT/ID.yaml
  std::string test_path;  // OUT/ID.py|.cu|.cpp: the candidate's code under `ruleid:`
};

// The rule category a harness or training check points to ("wrong-output" -> output-caching,
// "reduced-precision" -> precision, ...); empty for a check with no static counterpart.
std::string CategoryForCheck(const std::string& check);

// Reads REPORT (an `eval` or `train-eval` JSON report, schema 2, with verdict FAIL/REJECTED and a
// failure), reads the candidate's source, and writes the rule skeleton and its test source. The
// skeleton loads, lints and matches nothing, so `referee rules test OUT` fails until its pattern
// is written. Existing files are never overwritten. Errors name the report and what is missing.
Expected<IncidentRuleFiles> WriteRuleFromReport(const std::string& report_path,
                                                const IncidentRuleOptions& options);

}  // namespace referee::rules
