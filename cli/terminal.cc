#include "terminal.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "referee/base/strings.h"

namespace referee::cli {

void AddColorFlag(FlagSet& flags, std::string* mode) {
  flags.Choice("--color", mode, {"auto", "always", "never"},
               "colour the text report (default auto: on a terminal, unless NO_COLOR is set)");
}

bool UseColor(const std::string& mode, int fd) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && no_color[0] != '\0') return false;
  return isatty(fd) != 0;
}

ProgressLine::ProgressLine(bool color) : enabled_(isatty(STDERR_FILENO) != 0), color_(color) {}

void ProgressLine::Update(const harness::EvalProgress& p) {
  if (!enabled_) return;
  std::string line = StrFormat("[%d/%d] %s: %s", p.index, p.count, p.workload.c_str(),
                               p.phase.c_str());
  if (p.phase == "measuring" && p.calls > 0) line += StrFormat(" (%d calls)", p.calls);
  if (p.phase == "done") {
    bool pass = p.verdict == "PASS";
    std::string v = pass ? "PASS" : "FAIL [" + p.verdict + "]";
    if (color_) v = (pass ? "\033[32m" : "\033[31m") + v + "\033[0m";
    line = StrFormat("[%d/%d] %s: %s", p.index, p.count, p.workload.c_str(), v.c_str());
    std::fprintf(stderr, "\r\033[K%s\n", line.c_str());
  } else {
    std::fprintf(stderr, "\r\033[K%s", line.c_str());
  }
  std::fflush(stderr);
}

}  // namespace referee::cli
