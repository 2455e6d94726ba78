// `referee completion bash|zsh`: a completion script for the shell. It asks the binary itself
// for the commands (`referee --commands`) and each command's options (`referee CMD --help`), so
// it never falls out of step with the flags a build has.
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"
#include "output.h"

namespace referee::cli {
namespace {

constexpr char kBash[] = R"SH(# referee completion for bash: source it, or put it in bash-completion's directory.
_referee() {
  local cur=${COMP_WORDS[COMP_CWORD]} bin=${COMP_WORDS[0]} cmd=${COMP_WORDS[1]}
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "$("$bin" --commands 2>/dev/null)" -- "$cur"))
    return
  fi
  if [[ $cur == -* ]]; then
    local opts
    opts=$("$bin" "$cmd" --help 2>/dev/null | grep -oE -- '(^|[ ,])--?[a-zA-Z][a-zA-Z0-9-]*' | tr -d ' ,')
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -f -- "$cur"))
}
complete -o filenames -o bashdefault -F _referee referee
)SH";

constexpr char kZshPrelude[] = R"SH(# referee completion for zsh (through bashcompinit): source it from ~/.zshrc.
autoload -U +X compinit && compinit
autoload -U +X bashcompinit && bashcompinit
)SH";

}  // namespace

int RunCompletionCommand(int argc, char** argv) {
  std::vector<std::string> shell;
  FlagSet flags("referee completion bash|zsh",
                "Prints a completion script: `source <(referee completion bash)`.");
  flags.Positionals(&shell, "SHELL");
  if (int rc = ParseOrExit(flags, argc, argv, "completion"); rc >= 0) return rc;
  if (shell.size() != 1 || (shell[0] != "bash" && shell[0] != "zsh")) {
    return UsageError(InvalidArgumentError("completion needs one shell: bash or zsh"),
                      "completion");
  }
  std::string script = (shell[0] == "zsh" ? std::string(kZshPrelude) : std::string()) + kBash;
  return WriteOutput(script, "");
}

}  // namespace referee::cli
