#include "referee/search/judge.h"

#include <cctype>
#include <cstdlib>

namespace referee::search {

const char* EvalLevelName(EvalLevel level) {
  switch (level) {
    case EvalLevel::kQuick:
      return "quick";
    case EvalLevel::kScreen:
      return "screen";
    case EvalLevel::kFull:
      return "full";
  }
  return "?";
}

const char* CompareVerdictName(CompareVerdict v) {
  switch (v) {
    case CompareVerdict::kBetter:
      return "BETTER";
    case CompareVerdict::kSame:
      return "SAME";
    case CompareVerdict::kWorse:
      return "WORSE";
    case CompareVerdict::kUndecided:
      return "UNDECIDED";
    case CompareVerdict::kInvalid:
      return "INVALID";
  }
  return "?";
}

int FailedCallIndex(const std::string& reason) {
  size_t p = reason.find("call ");
  while (p != std::string::npos) {
    size_t q = p + 5;
    size_t start = q;
    while (q < reason.size() && std::isdigit(static_cast<unsigned char>(reason[q]))) ++q;
    if (q > start && q < reason.size() && reason[q] == ':') {
      return std::atoi(reason.c_str() + start);
    }
    p = reason.find("call ", p + 1);
  }
  return -1;
}

}  // namespace referee::search
