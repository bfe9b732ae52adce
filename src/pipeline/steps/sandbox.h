#pragma once

// A private filesystem view for a script written for a SageMaker container,
// made with bubblewrap (`bwrap`, Debian's bubblewrap) instead of Docker: a
// fresh writable tmpfs as `/`, the system's /usr and /etc mounted read-only
// (with /bin, /lib, ... as on the host), /tmp, /proc and /dev of its own, the
// step's folders bound where the script expects them (/opt/ml/processing/...),
// a clean environment, and `/` as the working directory. The network is the
// host's, so the script reaches Grove's S3 on loopback.

#include <filesystem>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"

namespace grove::pipeline {

struct SandboxSpec {
  // Host folder -> absolute path inside the sandbox; writable.
  std::vector<std::pair<std::filesystem::path, std::string>> binds;
  // Host folder -> absolute path inside the sandbox; read-only.
  std::vector<std::pair<std::filesystem::path, std::string>> read_only_binds;
  std::map<std::string, std::string> env;  // The whole environment inside.
  std::vector<std::string> argv;           // Run inside; argv[0] is looked up on env's PATH.
  std::string chdir = "/";
};

// The bwrap command line that runs `spec`. Binds are mounted parents first,
// so a path inside another bind lands on top of it.
std::vector<std::string> SandboxCommand(const std::string& bwrap, const SandboxSpec& spec);

// The bwrap executable on PATH, or FailedPrecondition saying how to install it.
Result<std::string> FindBwrap();

}  // namespace grove::pipeline
