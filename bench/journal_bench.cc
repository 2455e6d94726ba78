// The journal's write rate (issue 14 item 5, docs/scaling.md): how many evaluations a search
// can journal per second, measured the way the engine writes them. One evaluation is a stage
// row opened `running`, its job id recorded, then the result written with a report blob: three
// single-row commits and one blob. Also: bare single-row commits, and both with
// JournalOptions::durable (fsync per commit).
//   search_journal_bench [N] [DIR]     (N evaluations; DIR on the file system to measure)
#include <stdlib.h>
#include <time.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "referee/base/strings.h"
#include "referee/search/journal.h"

using namespace referee;
using namespace referee::search;

namespace {

double Now() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// A report of the size the harness writes for a quick evaluation (a few KiB of JSON).
std::string Report(int i) {
  std::string s = StrFormat("{\"candidate\": %d, \"samples\": [", i);
  for (int k = 0; k < 200; ++k) s += StrFormat("%s%.9f", k ? ", " : "", 1e-3 + k * 1e-7 + i * 1e-9);
  return s + "]}";
}

int Bench(const std::string& dir, int n, bool durable) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  JournalOptions o;
  o.create = true;
  o.durable = durable;
  Expected<std::unique_ptr<Journal>> j = Journal::Open(dir, o);
  if (!j) {
    std::fprintf(stderr, "journal_bench: %s\n", j.error().ToString().c_str());
    return 1;
  }
  Journal& jr = **j;
  double t0 = Now();
  for (int i = 0; i < n; ++i) {
    StageRecord r;
    r.candidate = 1 + i / 4;
    r.stage = "quick";
    r.started = t0;
    Expected<int64_t> id = jr.AddStage(r);
    if (!id) return 1;
    r.id = *id;
    r.job = StrFormat("%d_%d", 1000 + i / 64, i % 64);
    if (!jr.UpdateStage(r).ok()) return 1;
    Expected<std::string> blob = jr.blobs().Put(Report(i));
    if (!blob) return 1;
    r.report_blob = *blob;
    r.status = "pass";
    r.metric = 1e-3;
    if (!jr.UpdateStage(r).ok()) return 1;
  }
  double eval_s = Now() - t0;
  double t1 = Now();
  for (int i = 0; i < n; ++i) {
    if (!jr.SetMeta("bench", std::to_string(i)).ok()) return 1;
  }
  double row_s = Now() - t1;
  std::printf("journal (%s): %.0f evaluations/s journaled (3 commits + 1 blob each), "
              "%.0f single-row commits/s  [n=%d, %s]\n",
              durable ? "durable, fsync per commit" : "default, synchronous=NORMAL", n / eval_s,
              n / row_s, n, dir.c_str());
  std::filesystem::remove_all(dir, ec);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  int n = argc > 1 ? atoi(argv[1]) : 5000;
  std::string dir = argc > 2 ? argv[2] : "/tmp/referee-journal-bench";
  if (n <= 0) n = 5000;
  if (int rc = Bench(dir, n, false)) return rc;
  return Bench(dir, n / 5 > 0 ? n / 5 : 1, true);
}
