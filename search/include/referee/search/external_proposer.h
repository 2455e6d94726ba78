// An external proposer: any command (an LLM agent, a script) that reads one JSON request on
// stdin and writes one JSON answer on stdout (search/README.md "Proposer protocol").
//
// It runs in the sandbox's python profile (sandbox.h) with a read-only view: the task at
// /task, the request, the parent's files and the inspirations' files under /proposal; it cannot
// write anywhere but its private /scratch and /tmp, and has no network. Script paths named on
// its command line are bound read-only at their own absolute paths. Its environment is the
// allow-list environment (environment.h). It must answer within `timeout_s`.
//
// sandbox "auto" falls back to a plain child process (same request, the view's host paths,
// the allow-list environment, the timeout) with a warning where the host cannot sandbox;
// "on" refuses; "off" runs plainly (an agent that needs the network to reach its model must
// run unsandboxed: the sandbox has loopback only).
#pragma once

#include <map>
#include <memory>
#include <string>

#include "referee/base/expected.h"
#include "referee/search/proposer.h"

namespace referee::search {

struct ExternalProposerOptions {
  std::string name;     // journal name; default "external"
  std::string command;  // a shell command line
  double timeout_s = 60;
  std::string sandbox = "auto";            // auto | on | off
  std::map<std::string, std::string> env;  // ProposerEnvironment(...)
  std::string work_dir;  // requests and views go to <work_dir>/<seq>/ (removed after)
  size_t max_answer_bytes = 4 << 20;
  double memory_gib = 4;
};

// Errors: a missing work_dir, or sandbox "on" on a host that cannot sandbox.
Expected<std::unique_ptr<Proposer>> MakeExternalProposer(const ExternalProposerOptions& options);

// The command with each argument that names an existing file made absolute; `binds` gets the
// directories holding them (bound read-only into the sandbox). Exposed for tests.
std::string ResolveCommandPaths(const std::string& command, std::vector<std::string>* binds);

}  // namespace referee::search
