// Helpers for the Python analyzer tests: run rules on an in-memory snippet.
#pragma once

#include <string>
#include <vector>

#include "referee/analyzers/analyzer.h"
#include "referee/analyzers/audit_config.h"
#include "referee/rules/rule.h"

namespace referee::analyzers::testing {

rules::Rule PyQueryRule(const std::string& id, const std::string& query,
                        const std::string& bind = "");
rules::Rule PyCheckRule(const std::string& id, const std::string& check);

// Prepares a Python analyzer on `rules` (failing the test on a Prepare error)
// and analyzes `code` as `path` with `config` (autoresearch preset when null).
AnalysisOutput AnalyzePy(const std::string& code, const std::vector<rules::Rule>& rules,
                         const AuditConfig* config = nullptr, Analyzer* embedded = nullptr,
                         const std::string& path = "snippet.py");

// 1-based lines of the findings of `rule_id`.
std::vector<int> LinesOf(const AnalysisOutput& out, const std::string& rule_id);

}  // namespace referee::analyzers::testing
