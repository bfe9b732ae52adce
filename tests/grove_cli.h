#pragma once

// Runs the real grove binary for end-to-end tests.

#include <filesystem>
#include <string>
#include <vector>

#include "common/json.h"

namespace grove::testing {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
  Json json() const { return Json::parse(out); }
};

// Runs `grove <args>` with GROVE_HOME=`home`, in the source tree (so the
// examples' relative data paths work), and waits for it.
CommandResult RunGrove(const std::filesystem::path& home, const std::vector<std::string>& args);

// Starts `grove <args>` in the background; returns its pid.
int StartGrove(const std::filesystem::path& home, const std::vector<std::string>& args,
               const std::filesystem::path& out_file);
// Waits for a background grove; returns its exit code.
int WaitGrove(int pid);

std::filesystem::path SourceDir();

// `grove execution steps ID --json` as an object keyed by step name.
Json StepsByName(const std::filesystem::path& home, const std::string& execution_id);

}  // namespace grove::testing
