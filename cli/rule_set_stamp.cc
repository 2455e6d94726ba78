#include "rule_set_stamp.h"

#ifdef REFEREE_HAVE_ANALYZERS
#include "referee/analyzers/audit_gate.h"
#endif

namespace referee::cli {

std::string BundledRuleSetStamp() {
#ifdef REFEREE_HAVE_ANALYZERS
  return analyzers::BundledRuleSetHash();
#else
  return "";
#endif
}

}  // namespace referee::cli
