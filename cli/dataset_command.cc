// `referee dataset DIR`: every problem of an SOL-ExecBench dataset evaluated by one command
// (issue 17 item 3). The layout is the one scripts/run_dataset.py of NVIDIA/SOL-ExecBench walks:
// DIR is one problem (definition.json + workload.jsonl) or a root whose category directories
// (L1/, L2/, Quant/, ...) hold one directory per problem; a problem's solution is a file in its
// own directory (--solution-name, as run_dataset.py), else its only solution*.json or
// solution.py, else its reference (run_dataset.py's identity solution). One problem's bad input
// is one located error line and an ERROR row; the others are still evaluated.
#include <malloc.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "commands.h"
#include "judge_flags.h"
#include "output.h"
#include "referee/base/clock.h"
#include "referee/base/file.h"
#include "referee/base/json.h"
#include "referee/base/strings.h"
#include "referee/harness/judge.h"
#include "rule_set_stamp.h"

namespace referee::cli {
namespace {

namespace fs = std::filesystem;
using harness::Candidate;
using harness::Judge;
using harness::Task;

constexpr char kDescription[] =
    "Evaluates every problem of an SOL-ExecBench dataset (the layout of its\n"
    "scripts/run_dataset.py): DIR is one problem directory (definition.json +\n"
    "workload.jsonl) or a root of category directories (L1/, L2/, ...) of problems.\n"
    "Each problem's solution: --solution-name FILE in its directory, else its only\n"
    "solution*.json or solution.py, else its reference. Prints one row per problem\n"
    "(verdict, SOL score per workload and their mean, seconds) and writes each JSON\n"
    "report under --reports. Exit 0 all passed, 1 a problem failed, 2 a problem's input\n"
    "was bad (every other problem is still evaluated).";

struct Problem {
  fs::path dir;
  std::string label;  // its path under DIR ("L1/rmsnorm"), or its name for a single problem
};

bool IsProblemDir(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "definition.json", ec);
}

std::vector<fs::path> SortedSubdirs(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    if (e.is_directory(ec)) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// DIR itself, or its problems one and two levels down (categories, then problems), sorted.
std::vector<Problem> DiscoverProblems(const fs::path& root,
                                      const std::vector<std::string>& categories, int limit) {
  std::vector<Problem> out;
  if (IsProblemDir(root)) {
    std::error_code ec;
    fs::path full = fs::absolute(root, ec).lexically_normal();  // "DIR/." names DIR
    if (!full.has_filename()) full = full.parent_path();
    return {Problem{root, full.filename().string()}};
  }
  for (const fs::path& sub : SortedSubdirs(root)) {
    std::string name = sub.filename().string();
    if (!categories.empty() &&
        std::find(categories.begin(), categories.end(), name) == categories.end()) {
      continue;
    }
    if (IsProblemDir(sub)) {
      out.push_back(Problem{sub, name});
      continue;
    }
    for (const fs::path& p : SortedSubdirs(sub)) {
      if (IsProblemDir(p)) out.push_back(Problem{p, name + "/" + p.filename().string()});
    }
  }
  if (limit > 0 && out.size() > static_cast<size_t>(limit)) out.resize(limit);
  return out;
}

// The solution files a problem directory holds: solution*.json and solution.py.
std::vector<fs::path> SolutionFiles(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
    std::string name = e.path().filename().string();
    if ((StartsWith(name, "solution") && EndsWith(name, ".json")) || name == "solution.py") {
      out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A solution.py is wrapped as run_dataset.py wraps it: `run`, destination-passing style when
// its last parameter is named like the last output.
Expected<Candidate> CandidateFromFile(const fs::path& file) {
  REFEREE_ASSIGN_OR_RETURN(Candidate c, harness::ResolveCandidate(file.string()));
  if (EndsWith(file.string(), ".py")) c.dps_from_signature = true;
  return c;
}

Expected<Candidate> ProblemCandidate(const Problem& p, const Task& task,
                                     const std::string& solution_name) {
  if (!solution_name.empty()) {
    fs::path file = p.dir / solution_name;
    std::error_code ec;
    if (!fs::exists(file, ec)) {
      return NotFoundError("no solution '" + solution_name + "' in the problem directory",
                           {file.string(), 0, 0});
    }
    return CandidateFromFile(file);
  }
  std::vector<fs::path> files = SolutionFiles(p.dir);
  if (files.size() == 1) return CandidateFromFile(files[0]);
  if (files.empty()) return harness::ReferenceAsCandidate(task);
  std::string names;
  for (const fs::path& f : files) names += (names.empty() ? "" : ", ") + f.filename().string();
  return InvalidArgumentError("several solutions (" + names + "); pick one with --solution-name",
                              {p.dir.string(), 0, 0});
}

struct Row {
  std::string label;
  std::string verdict;  // PASS, FAIL <check>, ERROR
  std::vector<std::optional<double>> scores;
  double seconds = 0;
};

std::optional<double> MeanScore(const Row& r) {
  double sum = 0;
  int n = 0;
  for (const std::optional<double>& s : r.scores) {
    if (!s) return std::nullopt;  // a workload without a score: no mean of the others
    sum += *s;
    ++n;
  }
  if (n == 0) return std::nullopt;
  return sum / n;
}

std::string ScoreText(const std::optional<double>& s) {
  return s ? StrFormat("%.3f", *s) : std::string("-");
}

// The table is printed a row at a time, as each problem finishes (a dataset runs for hours).
int LabelWidth(const std::vector<Problem>& problems) {
  size_t width = 7;
  for (const Problem& p : problems) width = std::max(width, p.label.size());
  return static_cast<int>(width);
}

void PrintHeader(int width) {
  std::printf("%-*s  %-24s %8s %8s  %s\n", width, "problem", "verdict", "mean_sol", "seconds",
              "sol per workload");
  std::fflush(stdout);
}

void PrintRow(const Row& r, int width) {
  std::string per;
  for (const std::optional<double>& s : r.scores) per += (per.empty() ? "" : " ") + ScoreText(s);
  std::printf("%-*s  %-24s %8s %8.1f  %s\n", width, r.label.c_str(), r.verdict.c_str(),
              ScoreText(MeanScore(r)).c_str(), r.seconds, per.c_str());
  std::fflush(stdout);
}

// The report of one problem, written to REPORTS/<label>.json.
Status WriteReport(const fs::path& reports, const Problem& p, const Json& j) {
  fs::path file = reports / (p.label + ".json");
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  if (ec) return InternalError("cannot create: " + ec.message(), {file.parent_path().string()});
  return WriteFile(file.string(), DumpJson(j) + "\n");
}

struct DatasetFlags {
  std::string solution_name, reports = "referee-reports";
  std::vector<std::string> categories;
  int limit = 0;
};

// One problem: its task, its solution, the evaluation; a bad input is the row's ERROR and one
// located line on stderr.
Row EvaluateProblem(const Judge& judge, const Problem& p, const DatasetFlags& f) {
  Row row{p.label, "ERROR", {}, 0};
  double t0 = MonotonicSeconds();
  auto fail = [&](const Status& s) {
    InputError(s);
    row.seconds = MonotonicSeconds() - t0;
    return row;
  };
  Expected<Task> task = harness::LoadTask(p.dir.string());
  if (!task) return fail(task.error());
  Expected<Candidate> candidate = ProblemCandidate(p, *task, f.solution_name);
  if (!candidate) return fail(candidate.error());
  if (Status built = judge.Prepare(*candidate); !built.ok()) {
    std::error_code ec;  // Evaluate removes it; a candidate that never ran is removed here
    if (!candidate->scratch_dir.empty()) fs::remove_all(candidate->scratch_dir, ec);
    return fail(built);
  }
  Expected<harness::EvalReport> r = judge.Evaluate(*task, *candidate);
  if (!r) return fail(r.error().loc().empty() ? r.error().WithLoc({p.dir.string()}) : r.error());
  r->rule_set_hash = BundledRuleSetStamp();
  row.seconds = MonotonicSeconds() - t0;
  row.verdict = r->passed ? "PASS" : "FAIL " + r->failure.check;
  for (const harness::WorkloadResult& w : r->workloads) row.scores.push_back(w.sol_score);
  Json j = harness::ReportToJson(*r);
  j["problem"] = p.label;
  if (Status s = WriteReport(f.reports, p, j); !s.ok()) InputError(s);
  return row;
}

}  // namespace

int RunDatasetCommand(int argc, char** argv) {
  mallopt(M_MMAP_THRESHOLD, 1 << 30);  // as eval: per-call buffers stay in the heap
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  DatasetFlags f;
  std::vector<std::string> dirs;
  JudgeFlags jf;
  FlagSet flags("referee dataset DIR [options]", kDescription);
  flags.String("--solution-name", &f.solution_name, "FILE",
               "the solution file in each problem directory (solution.json, solution.py, ...)")
      .Repeated("--category", &f.categories, "NAME", "only this category directory")
      .Int("--limit", &f.limit, 1, 1 << 30, "N", "at most N problems")
      .String("--reports", &f.reports, "DIR",
              "where each problem's JSON report goes, as DIR/<category>/<problem>.json "
              "(default referee-reports)")
      .Positionals(&dirs, "DIR");
  AddJudgeFlags(flags, &jf);
  if (int rc = ParseOrExit(flags, argc, argv, "dataset"); rc >= 0) return rc;
  if (dirs.size() != 1) {
    return UsageError(InvalidArgumentError("dataset needs one directory"), "dataset");
  }
  std::error_code ec;
  if (!fs::is_directory(dirs[0], ec)) {
    return InputError(NotFoundError("not a directory", {dirs[0], 0, 0}));
  }
  std::vector<Problem> problems = DiscoverProblems(dirs[0], f.categories, f.limit);
  if (problems.empty()) {
    return InputError(NotFoundError("no problem directories (definition.json) here or in its "
                                    "category directories", {dirs[0], 0, 0}));
  }
  Expected<std::unique_ptr<Judge>> judge = MakeJudge(jf);
  if (!judge) return InputError(judge.error());
  int width = LabelWidth(problems);
  PrintHeader(width);
  int passed = 0, failed = 0, errors = 0;
  for (const Problem& p : problems) {
    Row r = EvaluateProblem(**judge, p, f);
    PrintRow(r, width);
    (r.verdict == "PASS" ? passed : r.verdict == "ERROR" ? errors : failed) += 1;
  }
  std::printf("total: %zu problems, %d passed, %d failed, %d errors\n", problems.size(), passed,
              failed, errors);
  return errors > 0 ? kExitInputError : failed > 0 ? kExitRejected : kExitClean;
}

}  // namespace referee::cli
