#include "tests/grove_cli.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/file_util.h"

namespace grove::testing {

namespace fs = std::filesystem;

fs::path SourceDir() { return GROVE_SOURCE_DIR; }

Json StepsByName(const fs::path& home, const std::string& execution_id) {
  CommandResult r = RunGrove(home, {"execution", "steps", execution_id, "--json"});
  Json by_name = Json::object();
  if (r.exit_code != 0) return by_name;
  for (const Json& s : r.json()) by_name[s["step"].get<std::string>()] = s;
  return by_name;
}

namespace {

[[noreturn]] void ExecGrove(const fs::path& home, const std::vector<std::string>& args, int out_fd, int err_fd) {
  dup2(out_fd, STDOUT_FILENO);
  dup2(err_fd, STDERR_FILENO);
  if (chdir(SourceDir().c_str()) != 0) _exit(126);
  setenv("GROVE_HOME", home.c_str(), 1);
  std::vector<char*> argv;
  std::string binary = GROVE_BINARY;
  argv.push_back(binary.data());
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execv(binary.c_str(), argv.data());
  _exit(127);
}

}  // namespace

int StartGrove(const fs::path& home, const std::vector<std::string>& args, const fs::path& out_file) {
  int fd = open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = fork();
  if (pid == 0) ExecGrove(home, args, fd, fd);
  close(fd);
  return pid;
}

int WaitGrove(int pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

CommandResult RunGrove(const fs::path& home, const std::vector<std::string>& args) {
  TempDir tmp;
  fs::path out = tmp.path() / "out", err = tmp.path() / "err";
  int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = fork();
  if (pid == 0) ExecGrove(home, args, out_fd, err_fd);
  close(out_fd);
  close(err_fd);
  CommandResult result;
  result.exit_code = WaitGrove(pid);
  result.out = ReadFile(out).value();
  result.err = ReadFile(err).value();
  return result;
}

}  // namespace grove::testing
