#include "pipeline/steps/sandbox.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>

namespace grove::pipeline {

namespace fs = std::filesystem;

std::vector<std::string> SandboxCommand(const std::string& bwrap, const SandboxSpec& spec) {
  std::vector<std::string> cmd = {bwrap, "--die-with-parent", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
                                  "--tmpfs", "/", "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"};
  // /bin, /lib, ...: symbolic links into /usr on merged-/usr systems, folders elsewhere.
  for (const char* top : {"/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"}) {
    std::error_code ec;
    if (fs::is_symlink(top, ec)) {
      cmd.insert(cmd.end(), {"--symlink", fs::read_symlink(top, ec).string(), top});
    } else if (fs::is_directory(top, ec)) {
      cmd.insert(cmd.end(), {"--ro-bind", top, top});
    }
  }
  cmd.insert(cmd.end(), {"--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"});
  struct Bind {
    std::string inside;
    std::string host;
    bool writable;
  };
  std::vector<Bind> binds;
  for (const auto& [host, inside] : spec.binds) binds.push_back({inside, host.string(), true});
  for (const auto& [host, inside] : spec.read_only_binds) binds.push_back({inside, host.string(), false});
  std::stable_sort(binds.begin(), binds.end(), [](const Bind& a, const Bind& b) {
    return std::count(a.inside.begin(), a.inside.end(), '/') < std::count(b.inside.begin(), b.inside.end(), '/');
  });
  for (const Bind& b : binds) cmd.insert(cmd.end(), {b.writable ? "--bind" : "--ro-bind", b.host, b.inside});
  cmd.push_back("--clearenv");
  for (const auto& [name, value] : spec.env) cmd.insert(cmd.end(), {"--setenv", name, value});
  cmd.insert(cmd.end(), {"--chdir", spec.chdir, "--"});
  cmd.insert(cmd.end(), spec.argv.begin(), spec.argv.end());
  return cmd;
}

Result<std::string> FindBwrap() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(std::string(path != nullptr ? path : "") + ":/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    const fs::path candidate = fs::path(dir) / "bwrap";
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return Status::FailedPrecondition(
      "SageMaker Processing steps run their scripts in a bubblewrap sandbox, and bwrap was not found on PATH: "
      "install Debian's bubblewrap package (scripts/setup.sh does)");
}

}  // namespace grove::pipeline
