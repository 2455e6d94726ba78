// `referee eval` and `referee compare`: flags -> JudgeConfig -> Judge -> report (issue #12).
#include <malloc.h>

#include <string>
#include <vector>

#include "commands.h"
#include "judge_flags.h"
#include "output.h"
#include "referee/base/json.h"
#include "referee/harness/judge.h"
#ifdef REFEREE_HAVE_SEARCH
#include "referee/search/html_report.h"  // the page scaffolding the search report shares
#endif
#include "rule_set_stamp.h"
#include "terminal.h"

namespace referee::cli {
namespace {

using harness::Candidate;
using harness::Judge;
using harness::Task;

constexpr char kEvalDescription[] =
    "Evaluates a candidate against a task directory (definition.json, or a KernelBench .py).\n"
    "Candidates: a Python module (.py: run(...) or KernelBench ModelNew), a shared library\n"
    "(.so, referee/abi/referee_kernel.h), CUDA C++ (.cu, referee_run_gpu or the LibTorch entry\n"
    "point; --device cuda), C++ with the LibTorch entry point (.cc/.cpp), or an SOL-ExecBench\n"
    "solution.json (or a directory holding one; C++ solutions with binding torch: --device cuda).\n"
    "A directory of SOL-ExecBench problems: referee dataset.\n"
    "Exit 0 PASS, 1 FAIL, 2 input error.";
constexpr char kCompareDescription[] =
    "Paired, interleaved comparison of two candidates on the task's first workload:\n"
    "B faster / same / slower / undecided. Exit 0 when both are valid, 1 otherwise.";

Json ArgvJson(int argc, char** argv) {
  Json a = Json::array({"referee"});
  for (int i = 0; i < argc; ++i) a.push_back(argv[i]);
  return a;
}

// Every call allocates fresh input, output and reference buffers of the tensors' size. glibc
// serves those (> 128 KiB) with mmap and returns them on free, so each call page-faults its
// buffers in again (a sixth of the parent's time per call for 1M-element tensors); kept in the
// heap they are reused. Process-wide, so the binary sets it, not the library.
void KeepLargeBuffersInHeap() {
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
}

Expected<Candidate> LoadCandidate(const Judge& judge, const std::string& path) {
  REFEREE_ASSIGN_OR_RETURN(Candidate c, harness::ResolveCandidate(path));
  REFEREE_RETURN_IF_ERROR(judge.Prepare(c));
  return c;
}

}  // namespace

int RunEvalCommand(int argc, char** argv) {
  KeepLargeBuffersInHeap();
  std::string task_dir, candidate_path, output, format = "text", color = "auto";
  JudgeFlags jf;
  FlagSet flags("referee eval --task DIR --candidate PATH [options]", kEvalDescription);
  AddColorFlag(flags, &color);
  flags.String("--task", &task_dir, "DIR", "the task directory (or KernelBench problem file)")
      .String("--candidate", &candidate_path, "PATH", "the candidate")
      .String("-o,--output", &output, "FILE", "write the report to FILE instead of stdout");
  std::vector<std::string> formats = {"text", "json", "sarif"};
#ifdef REFEREE_HAVE_SEARCH
  formats.push_back("html");
#endif
  AddFormatFlag(flags, &format, formats);
  AddJudgeFlags(flags, &jf);
  if (int rc = ParseOrExit(flags, argc, argv, "eval"); rc >= 0) return rc;
  if (task_dir.empty() || candidate_path.empty()) {
    return UsageError(InvalidArgumentError("eval needs --task and --candidate"), "eval");
  }
#ifdef REFEREE_HAVE_SEARCH
  // Before the evaluation, not after it: a build without the plotting library says so at once.
  if (Status html = search::HtmlReportsAvailable(); format == "html" && !html.ok()) {
    return InputError(html);
  }
#endif
  ProgressLine progress(UseColor(color, 2));
  Expected<std::unique_ptr<Judge>> judge =
      MakeJudge(jf, [&progress](const harness::EvalProgress& p) { progress.Update(p); });
  if (!judge) return InputError(judge.error());
  Expected<Task> task = harness::LoadTask(task_dir);
  if (!task) return InputError(task.error());
  Expected<Candidate> candidate = LoadCandidate(**judge, candidate_path);
  if (!candidate) return InputError(candidate.error());
  Expected<harness::EvalReport> r = (*judge)->Evaluate(*task, *candidate);
  if (!r) return InputError(r.error());
  r->rule_set_hash = BundledRuleSetStamp();
  std::string text;
  if (format == "text") {
    text = harness::FormatReport(*r);
#ifdef REFEREE_HAVE_SEARCH
  } else if (format == "html") {
    Json j = harness::ReportToJson(*r);
    j["argv"] = ArgvJson(argc, argv);
    Expected<std::string> html = search::EvalReportHtml(j);
    if (!html) return InputError(html.error());
    text = *html;
#endif
  } else {
    Json j = format == "json" ? harness::ReportToJson(*r)
                              : harness::ReportToSarif(*r, candidate_path);
    if (format == "json") j["argv"] = ArgvJson(argc, argv);
    text = DumpJson(j) + "\n";
  }
  int rc = WriteOutput(text, output);
  return rc != kExitClean ? rc : r->passed ? kExitClean : kExitRejected;
}

int RunCompareCommand(int argc, char** argv) {
  KeepLargeBuffersInHeap();
  std::string task_dir, output, format = "text";
  std::vector<std::string> paths;
  JudgeFlags jf;
  FlagSet flags("referee compare --task DIR A B [options]", kCompareDescription);
  flags.String("--task", &task_dir, "DIR", "the task directory")
      .String("-o,--output", &output, "FILE", "write the report to FILE instead of stdout")
      .Positionals(&paths, "A B");
  AddFormatFlag(flags, &format, {"text", "json", "sarif"});
  AddJudgeFlags(flags, &jf);
  if (int rc = ParseOrExit(flags, argc, argv, "compare"); rc >= 0) return rc;
  if (task_dir.empty() || paths.size() != 2) {
    return UsageError(InvalidArgumentError("compare needs --task and two candidates"),
                      "compare");
  }
  Expected<std::unique_ptr<Judge>> judge = MakeJudge(jf);
  if (!judge) return InputError(judge.error());
  Expected<Task> task = harness::LoadTask(task_dir);
  if (!task) return InputError(task.error());
  Expected<Candidate> a = LoadCandidate(**judge, paths[0]);
  if (!a) return InputError(a.error());
  Expected<Candidate> b = LoadCandidate(**judge, paths[1]);
  if (!b) return InputError(b.error());
  Expected<harness::CompareReport> r = (*judge)->Compare(*task, *a, *b);
  if (!r) return InputError(r.error());
  std::string text;
  if (format == "text") {
    text = harness::FormatCompare(*r);
  } else {
    Json j = format == "json" ? harness::CompareToJson(*r)
                              : harness::CompareToSarif(*r, paths[0], paths[1]);
    if (format == "json") j["argv"] = ArgvJson(argc, argv);
    text = DumpJson(j) + "\n";
  }
  int rc = WriteOutput(text, output);
  return rc != kExitClean ? rc : r->valid ? kExitClean : kExitRejected;
}

}  // namespace referee::cli
