#pragma once

#include <string>
#include <vector>

#include "common/status.h"

namespace grove {

// What a finished child process printed and how it ended.
struct ChildOutput {
  int exit_code = 0;  // 128 + the signal number when a signal ended it.
  std::string out;    // stdout
  std::string err;    // stderr
};

// Runs `argv` (argv[0] looked up on PATH) with the caller's environment and
// no standard input, and waits for it. An error only when it cannot be
// started; a non-zero exit is the caller's to judge. Thread-safe.
Result<ChildOutput> RunChildProcess(const std::vector<std::string>& argv);

}  // namespace grove
