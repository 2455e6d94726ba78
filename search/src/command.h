// Child processes for the executors (private to search/): a tool run to completion with its
// output captured (sbatch, squeue, scancel), and a worker started in the background.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "referee/base/expected.h"

namespace referee::search {

struct CommandOutput {
  int exit_code = 0;  // 128 + N for signal N
  std::string out, err;
};

// Runs argv[0] from PATH with stdin from /dev/null; output capped at 1 MiB per stream.
Expected<CommandOutput> RunCommand(const std::vector<std::string>& argv);

// Starts argv[0] in the background with `env` added to this process's environment, stdout
// and stderr appended to `log`; the caller waits for it (waitpid).
Expected<pid_t> SpawnWorker(const std::vector<std::string>& argv,
                            const std::map<std::string, std::string>& env,
                            const std::string& log);

}  // namespace referee::search
