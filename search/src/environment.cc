#include "referee/search/environment.h"

#include <cctype>
#include <cstdlib>

extern char** environ;

namespace referee::search {

bool LooksSecret(std::string_view name) {
  std::string up;
  for (char c : name) up.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  for (const char* word : {"KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "AUTH",
                           "COOKIE", "SESSION", "PRIVATE"}) {
    if (up.find(word) != std::string::npos) return true;
  }
  for (const char* prefix : {"AWS_", "AZURE_", "GCP_", "GOOGLE_", "OPENAI_", "ANTHROPIC_", "HF_",
                             "GITHUB_", "GH_", "GITLAB_", "SLACK_", "WANDB_"}) {
    if (up.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    size_t eq = kv.find('=');
    if (eq == std::string::npos) continue;
    env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

std::map<std::string, std::string> StripSecretsFromProcess() {
  std::map<std::string, std::string> stripped;
  for (const auto& [name, value] : ProcessEnvironment()) {
    if (!LooksSecret(name)) continue;
    stripped[name] = value;
    unsetenv(name.c_str());
  }
  return stripped;
}

std::map<std::string, std::string> ProposerEnvironment(
    const std::map<std::string, std::string>& process,
    const std::map<std::string, std::string>& stripped, const std::vector<std::string>& allow) {
  std::map<std::string, std::string> env;
  for (const char* name : {"PATH", "HOME", "LANG", "LC_ALL", "TZ", "TERM"}) {
    auto it = process.find(name);
    if (it != process.end()) env[name] = it->second;
  }
  for (const std::string& name : allow) {
    auto it = process.find(name);
    if (it != process.end()) env[name] = it->second;
    it = stripped.find(name);
    if (it != stripped.end()) env[name] = it->second;
  }
  return env;
}

}  // namespace referee::search
