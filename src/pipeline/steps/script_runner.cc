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

namespace grove::pipeline {

namespace {

constexpr size_t kTailLines = 15;

// The child side: own process group, output into the pipe, then exec.
[[noreturn]] void ExecChild(const ScriptRequest& request, int out_fd) {
  setpgid(0, 0);
  dup2(out_fd, STDOUT_FILENO);
  dup2(out_fd, STDERR_FILENO);
  for (const auto& [k, v] : request.env) setenv(k.c_str(), v.c_str(), 1);
  std::vector<char*> argv;
  for (const std::string& a : request.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execvp(argv[0], argv.data());
  dprintf(STDERR_FILENO, "cannot run '%s': %s\n", argv[0], std::strerror(errno));
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
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Status::IOError(std::string("pipe: ") + std::strerror(errno));
  pid_t pid = fork();
  if (pid < 0) return Status::IOError(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) ExecChild(request, fds[1]);
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
  return Status::FailedPrecondition("command '" + request.argv[0] + "' " + why +
                                    (text.empty() ? "" : "; last output:" + text));
}

}  // namespace grove::pipeline
