#include "pipeline/subprocess_launcher.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>

#include "common/sanitizers.h"

namespace grove::pipeline {

namespace fs = std::filesystem;

namespace {

int64_t SteadyMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

int PidFdOpen(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

// Why a child that wrote no result ended.
std::string ExitReason(int wait_status) {
  if (WIFSIGNALED(wait_status)) {
    int sig = WTERMSIG(wait_status);
    return "the step's process was killed by signal " + std::to_string(sig) + " (" + strsignal(sig) + ")";
  }
  return "the step's process exited with code " + std::to_string(WEXITSTATUS(wait_status)) +
         " without reporting a result";
}

}  // namespace

SubprocessLauncher::SubprocessLauncher(Options options) : options_(std::move(options)), ended_(options_.slots) {
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  reaper_ = std::thread([this] { Reap(); });
}

SubprocessLauncher::~SubprocessLauncher() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    closing_ = true;
    for (auto& [id, child] : children_) ::kill(-child.pid, SIGKILL);
  }
  Poke();
  reaper_.join();
  ::close(wake_fd_);
}

void SubprocessLauncher::Poke() {
  uint64_t one = 1;
  (void)!::write(wake_fd_, &one, sizeof(one));
}

void SubprocessLauncher::Start(StepTask task) {
  ended_.Take(task.slots);
  fs::path dir = options_.work_dir / task.execution_id / task.step->name;
  Child child;
  child.slots = task.slots;
  child.result_path = StepResultPath(options_.work_dir, task);
  child.log_path = StepLogPath(options_.work_dir, task.execution_id, task.step->name);
  std::error_code ec;
  fs::create_directories(dir, ec);
  fs::remove(child.result_path, ec);

  std::vector<std::string> args = StepRunArgv(options_.command, task, child.result_path);
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  int log_fd = ::open(child.log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  pid_t pid = ::fork();
  if (pid == 0) {
    ::setpgid(0, 0);
    if (options_.memory_limit_bytes > 0 && !kShadowMemorySanitizer) {
      struct rlimit limit = {options_.memory_limit_bytes, options_.memory_limit_bytes};
      ::setrlimit(RLIMIT_AS, &limit);
    }
    if (log_fd >= 0) {
      ::dup2(log_fd, STDOUT_FILENO);
      ::dup2(log_fd, STDERR_FILENO);
    }
    ::execv(argv[0], argv.data());
    _exit(127);
  }
  if (log_fd >= 0) ::close(log_fd);
  if (pid < 0) {
    AttemptResult failed;
    failed.task_id = task.id;
    failed.failure_reason = std::string("cannot start the step's process: ") + std::strerror(errno);
    ended_.Push(std::move(failed), task.slots);
    return;
  }
  ::setpgid(pid, pid);  // Also in the parent, so Cancel works before the child gets to it.
  child.pid = pid;
  child.pidfd = PidFdOpen(pid);
  {
    std::lock_guard<std::mutex> lock(mu_);
    children_[task.id] = child;
  }
  Poke();
}

void SubprocessLauncher::Cancel(uint64_t task_id) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = children_.find(task_id);
    if (it == children_.end()) return;
    ::kill(-it->second.pid, SIGTERM);
    it->second.kill_at_ms = SteadyMs() + options_.kill_grace_ms;
  }
  Poke();
}

void SubprocessLauncher::Reap() {
  while (true) {
    std::vector<pollfd> fds = {{wake_fd_, POLLIN, 0}};
    std::vector<uint64_t> ids;
    int timeout = -1;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (closing_ && children_.empty()) return;
      int64_t now = SteadyMs();
      for (auto& [id, child] : children_) {
        if (child.kill_at_ms > 0 && now >= child.kill_at_ms) {
          ::kill(-child.pid, SIGKILL);
          child.kill_at_ms = 0;
        } else if (child.kill_at_ms > 0) {
          int left = static_cast<int>(child.kill_at_ms - now);
          timeout = timeout < 0 ? left : std::min(timeout, left);
        }
        // Without a pidfd (an old kernel), look again every 50 ms.
        if (child.pidfd < 0) timeout = timeout < 0 ? 50 : std::min(timeout, 50);
        fds.push_back({child.pidfd, POLLIN, 0});
        ids.push_back(id);
      }
    }
    ::poll(fds.data(), fds.size(), timeout);
    if (fds[0].revents & POLLIN) {
      uint64_t drained;
      (void)!::read(wake_fd_, &drained, sizeof(drained));
    }
    for (size_t i = 0; i < ids.size(); ++i) {
      Child child;
      {
        std::lock_guard<std::mutex> lock(mu_);
        child = children_[ids[i]];
      }
      int status = 0;
      if (::waitpid(child.pid, &status, WNOHANG) != child.pid) continue;
      {
        std::lock_guard<std::mutex> lock(mu_);
        children_.erase(ids[i]);
      }
      if (child.pidfd >= 0) ::close(child.pidfd);
      Ended(ids[i], child, status);
    }
  }
}

void SubprocessLauncher::Ended(uint64_t task_id, const Child& child, int wait_status) {
  AttemptResult result;
  result.task_id = task_id;
  auto parsed = ReadStepResult(child.result_path, task_id);
  bool clean_exit = WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0;
  if (parsed.ok() && clean_exit) {
    result = std::move(*parsed);
  } else {
    result.failure_reason = ExitReason(wait_status);
    AppendLogLine(child.log_path, result.failure_reason);
  }
  ended_.Push(std::move(result), child.slots);
}

}  // namespace grove::pipeline
