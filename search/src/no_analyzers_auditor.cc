// Builds without the analyzers (the GPU machine): the audit stage is skipped, and says so.
#include "referee/search/auditor.h"

namespace referee::search {

std::unique_ptr<Auditor> MakeAnalyzersAuditor(const std::vector<std::string>&, const std::string&,
                                              std::string* why) {
  *why = "this referee was built without the analyzers (REFEREE_WITH_ANALYZERS=OFF)";
  return nullptr;
}

}  // namespace referee::search
