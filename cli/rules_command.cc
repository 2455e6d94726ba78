// `referee rules list|test|lint|explain`: the rule set loaded through an AuditGate, rendered by
// rules/ and analyzers/ (issue #12).
#include <cstdio>
#include <string>
#include <vector>

#include "audit_flags.h"
#include "commands.h"
#include "output.h"
#include "referee/analyzers/audit.h"
#include "referee/base/log.h"
#include "referee/base/strings.h"
#include "referee/rules/catalogue.h"
#include "referee/rules/incident.h"
#include "referee/rules/lint.h"

namespace referee::cli {
namespace {

constexpr char kDescription[] =
    "  list          id, category, severity, languages and title of each rule\n"
    "  test [DIR]    run each rule on its annotated test source (default: bundled rules)\n"
    "  lint [DIR]    check rule files, their patterns and their test sources\n"
    "  explain ID    a rule's title, message, rationale, references and pattern\n"
    "  new --from-report REPORT.json [--out DIR] [--id ID] [--category C] [--source FILE]\n"
    "                a rejected evaluation's report as a rule skeleton and its annotated test\n"
    "                source (docs/rules.md: rules grow from incidents)";

void PrintRuleErrors(const analyzers::AuditGate& gate) {
  for (const Status& s : gate.rule_errors()) std::fprintf(stderr, "%s\n", s.ToString().c_str());
}

int List(const analyzers::AuditGate& gate, const std::string& format) {
  PrintRuleErrors(gate);
  std::string text = format == "json" ? DumpJson(rules::RuleListJson(gate.rules())) + "\n"
                                      : rules::FormatRuleList(gate.rules());
  int rc = WriteOutput(text, "");
  return rc != kExitClean ? rc : gate.rule_errors().empty() ? kExitClean : kExitInputError;
}

int Explain(const analyzers::AuditGate& gate, const std::string& id) {
  const rules::Rule* r = gate.rules().Find(id);
  if (r == nullptr) {
    const rules::Rule* near = rules::ClosestRule(gate.rules(), id);
    return UsageError(InvalidArgumentError(
                          near ? StrFormat("unknown rule '%s'; did you mean '%s'?", id.c_str(),
                                           near->id.c_str())
                               : StrFormat("unknown rule '%s'", id.c_str())),
                      "rules");
  }
  return WriteOutput(rules::FormatRuleExplanation(*r), "");
}

int Test(const analyzers::AuditGate& gate, const AuditFlags& af) {
  int counts[3] = {0, 0, 0};  // passed, failed, skipped
  for (const analyzers::RuleTestOutcome& o :
       analyzers::RunRuleTests(gate.rules(), gate.analyzers(), gate.rule_errors(), af.jobs)) {
    std::fputs(analyzers::FormatRuleTestOutcome(o, af.verbosity).c_str(), stdout);
    ++counts[!o.skipped.empty() ? 2 : o.result.passed() ? 0 : 1];
  }
  std::printf("%zu rules: %d passed, %d failed, %d skipped\n", gate.rules().rules.size(),
              counts[0], counts[1], counts[2]);
  if (!gate.rule_errors().empty()) {
    PrintRuleErrors(gate);
    return kExitInputError;
  }
  return counts[1] > 0 ? kExitRejected : kExitClean;
}

// Every problem counts: malformed rule files, patterns that do not compile, lint findings.
int Lint(const analyzers::AuditGate& gate, const AuditFlags& af) {
  PrintRuleErrors(gate);
  std::vector<Status> problems = rules::LintRules(gate.rules());
  for (const Status& s : problems) std::fprintf(stderr, "%s\n", s.ToString().c_str());
  if (af.verbosity >= 1) {
    std::fprintf(stderr, "referee: %zu rules, %zu problems\n", gate.rules().rules.size(),
                 problems.size() + gate.rule_errors().size());
  }
  if (!gate.rule_errors().empty()) return kExitInputError;
  return problems.empty() ? kExitClean : kExitRejected;
}

// The files are the maintainer's to finish: `rules test OUT` fails until the pattern is written.
int New(const std::string& report, const rules::IncidentRuleOptions& options) {
  if (report.empty()) {
    return UsageError(InvalidArgumentError("rules new needs --from-report REPORT.json"), "rules");
  }
  Expected<rules::IncidentRuleFiles> files = rules::WriteRuleFromReport(report, options);
  if (!files) return InputError(files.error());
  std::printf("wrote %s\nwrote %s\nnext: write the pattern, move the ruleid line onto the "
              "offending line, add an honest look-alike under ok:, then\n  referee rules test %s\n",
              files->rule_path.c_str(), files->test_path.c_str(), options.out_dir.c_str());
  return kExitClean;
}

}  // namespace

int RunRulesCommand(int argc, char** argv) {
  AuditFlags af;
  std::string format = "text";
  std::vector<std::string> args;
  std::string from_report;
  rules::IncidentRuleOptions incident;
  FlagSet flags("referee rules list|test [DIR]|lint [DIR]|explain ID|new --from-report R [options]",
                kDescription);
  AddFormatFlag(flags, &format, {"text", "json"});
  flags.Positionals(&args, "SUBCOMMAND");
  AddAuditFlags(flags, &af, /*with_fail_on=*/false);
  flags.String("--from-report", &from_report, "REPORT.json", "new: the rejected evaluation")
      .String("--out", &incident.out_dir, "DIR", "new: where to write the rule (default .)")
      .String("--id", &incident.id, "ID", "new: the rule id (default incident-CHECK-FILE)")
      .String("--category", &incident.category, "CATEGORY",
              "new: the rule category (default: from the check)")
      .String("--source", &incident.source, "FILE",
              "new: the offending file, where the candidate is a directory");
  if (int rc = ParseOrExit(flags, argc, argv, "rules"); rc >= 0) return rc;
  SetLogVerbosity(af.verbosity);
  if (args.empty()) {
    return UsageError(InvalidArgumentError("rules needs a subcommand: list, test, lint, explain or new"),
                      "rules");
  }
  std::string sub = args[0];
  args.erase(args.begin());
  if (sub == "new") {
    if (!args.empty()) return UsageError(InvalidArgumentError("rules new takes no arguments"), "rules");
    return New(from_report, incident);
  }
  bool takes_dir = sub == "test" || sub == "lint";
  if (sub != "list" && sub != "explain" && !takes_dir) {
    return UsageError(InvalidArgumentError("unknown rules subcommand '" + sub +
                                           "' (expected list, test, lint, explain or new)"),
                      "rules");
  }
  size_t max_args = sub == "list" ? 0 : 1;
  if (args.size() > max_args || (sub == "explain" && args.empty())) {
    return UsageError(InvalidArgumentError("usage: referee rules " +
                                           (sub == "explain" ? std::string("explain ID")
                                            : takes_dir      ? sub + " [DIR]"
                                                             : std::string("list"))),
                      "rules");
  }
  if (format == "json" && sub != "list") {
    return UsageError(InvalidArgumentError("--format json is for 'rules list'"), "rules");
  }
  bool own_dir = takes_dir && !args.empty();
  Expected<std::unique_ptr<analyzers::AuditGate>> gate =
      MakeAuditGate(af, own_dir ? &args : nullptr);
  if (!gate) return InputError(gate.error());
  if (sub == "list") return List(**gate, format);
  if (sub == "explain") return Explain(**gate, args[0]);
  if (sub == "test") return Test(**gate, af);
  return Lint(**gate, af);
}

}  // namespace referee::cli
