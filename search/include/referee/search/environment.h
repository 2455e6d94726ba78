// Secrets (API keys, tokens, passwords) never reach a candidate or a proposer unless the user
// allow-lists them (issue 19 item 7). Proposers get an allow-list environment: a few harmless
// variables plus the names the user passed with --allow-env (an LLM agent's API key). The
// search process itself drops every secret-looking variable at start, so nothing it spawns
// (harness workers, compilers, the reference) inherits one; harness workers already get an
// explicit environment of their own (harness/src/candidate.cc WorkerEnv).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace referee::search {

// KEY, TOKEN, SECRET, PASSWORD, CREDENTIAL, AUTH, COOKIE, SESSION, PRIVATE in the name (any
// case), or a provider prefix (AWS_, AZURE_, GCP_, GOOGLE_, OPENAI_, ANTHROPIC_, HF_, GITHUB_,
// GH_, GITLAB_, SLACK_, WANDB_).
bool LooksSecret(std::string_view name);

// Removes the secret-looking variables of this process's environment and returns them (name ->
// value), so that allow-listed ones can still be handed to proposers. Call once, early.
std::map<std::string, std::string> StripSecretsFromProcess();

// A proposer's environment: PATH, HOME, LANG, LC_ALL, TZ, TERM from `process` (when set)
// plus each allow-listed name found in `process` or `stripped`.
std::map<std::string, std::string> ProposerEnvironment(
    const std::map<std::string, std::string>& process,
    const std::map<std::string, std::string>& stripped, const std::vector<std::string>& allow);

// This process's environment as a map.
std::map<std::string, std::string> ProcessEnvironment();

}  // namespace referee::search
