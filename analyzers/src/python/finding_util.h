// Building findings from nodes.
#pragma once

#include <string>

#include "python/ts_util.h"
#include "referee/rules/finding.h"
#include "referee/rules/rule.h"

namespace referee::analyzers::python {

// A finding of `rule` at `node`; `message` defaults to the rule's message.
rules::Finding MakeFinding(const rules::Rule& rule, TSNode node, std::string_view source,
                           const std::string& path, const std::string& message = "");

}  // namespace referee::analyzers::python
