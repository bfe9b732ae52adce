#include "pipeline/steps/script_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>

extern char** environ;

namespace grove::pipeline {

namespace {

constexpr size_t kTailLines = 15;

// The inherited environment with `overrides` applied, as "K=V" strings.
std::vector<std::string> BuildEnvironment(const std::map<std::string, std::string>& overrides) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry = *e;
    if (!overrides.count(entry.substr(0, entry.find('=')))) env.push_back(std::move(entry));
  }
  for (const auto& [k, v] : overrides) env.push_back(k + "=" + v);
  return env;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// The child side: own process group, output into the pipe, then exec. Only
// async-signal-safe calls here: the parent has other threads.
[[noreturn]] void ExecChild(char** argv, char** envp, int out_fd) {
  setpgid(0, 0);
  dup2(out_fd, STDOUT_FILENO);
  dup2(out_fd, STDERR_FILENO);
  execvpe(argv[0], argv, envp);
  const char msg[] = "cannot run the command: exec failed\n";
  ssize_t ignored = write(STDERR_FILENO, msg, sizeof(msg) - 1);
  (void)ignored;
  _exit(127);
}

class LineSplitter {
 public:
  LineSplitter(const ScriptRequest& request, std::deque<std::string>* tail) : request_(request), tail_(tail) {}
  void Feed(const char* data, size_t n) {
    pending_.append(data, n);
    size_t pos;
    while ((pos = pending_.find('\n')) != std::string::npos) {
      Emit(pending_.substr(0, pos));
      pending_.erase(0, pos + 1);
    }
  }
  void Flush() {
    if (!pending_.empty()) Emit(pending_);
    pending_.clear();
  }

 private:
  void Emit(const std::string& line) {
    if (request_.log) request_.log(line);
    tail_->push_back(line);
    if (tail_->size() > kTailLines) tail_->pop_front();
  }
  const ScriptRequest& request_;
  std::deque<std::string>* tail_;
  std::string pending_;
};

}  // namespace

Status RunScript(const ScriptRequest& request) {
  if (request.argv.empty()) return Status::InvalidArgument("empty command");
  std::vector<std::string> args = request.argv;
  std::vector<std::string> env = BuildEnvironment(request.env);
  std::vector<char*> argv = Pointers(args);
  std::vector<char*> envp = Pointers(env);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Status::IOError(std::string("pipe: ") + std::strerror(errno));
  pid_t pid = fork();
  if (pid < 0) return Status::IOError(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) ExecChild(argv.data(), envp.data(), fds[1]);
  close(fds[1]);
  setpgid(pid, pid);

  std::deque<std::string> tail;
  LineSplitter lines(request, &tail);
  bool signalled = false;
  auto kill_at = std::chrono::steady_clock::time_point::max();
  char buf[4096];
  while (true) {
    pollfd p{fds[0], POLLIN, 0};
    int r = poll(&p, 1, 50);
    if (r > 0) {
      ssize_t n = read(fds[0], buf, sizeof(buf));
      if (n > 0) {
        lines.Feed(buf, static_cast<size_t>(n));
        continue;
      }
      if (n == 0) break;  // Every writer closed: the command ended.
    }
    if (request.stop && request.stop->load() && !signalled) {
      kill(-pid, SIGTERM);
      signalled = true;
      kill_at = std::chrono::steady_clock::now() + std::chrono::milliseconds(request.kill_grace_ms);
    }
    if (std::chrono::steady_clock::now() >= kill_at) kill(-pid, SIGKILL);
  }
  close(fds[0]);
  lines.Flush();
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (signalled) return Status::Cancelled("stopped on request");
  if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0) return Status::OK();
  std::string why = WIFEXITED(wstatus) ? "exited with status " + std::to_string(WEXITSTATUS(wstatus))
                                       : "was killed by signal " + std::to_string(WTERMSIG(wstatus));
  std::string text;
  for (const std::string& l : tail) text += "\n  " + l;
  return Status::FailedPrecondition("command '" + (request.name.empty() ? request.argv[0] : request.name) + "' " + why +
                                    (text.empty() ? "" : "; last output:" + text));
}

}  // namespace grove::pipeline
