// The digest of the rule set this referee carries, stamped on eval reports (schema 2's
// rule_set_hash); "" in a build without the analyzers.
#pragma once

#include <string>

namespace referee::cli {

std::string BundledRuleSetStamp();

}  // namespace referee::cli
