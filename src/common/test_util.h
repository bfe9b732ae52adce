#pragma once

// Helpers for tests that wait on other threads or processes: deadline polling
// instead of fixed sleeps and wall-clock assertions. Test-only: included by
// *_test.cc files, never by the library.
#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>

namespace grove {

// Polls `condition` every few milliseconds until it holds (true) or `timeout`
// passes (false). The timeout is a generous bound for a slow, loaded machine,
// not a performance assertion.
template <typename Condition>
bool WaitUntil(Condition condition, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

// True when process `pid` has ended: it no longer exists, or it is a zombie
// whose parent (often init, for an orphan) has not reaped it yet.
inline bool ProcessGone(pid_t pid) {
  if (::kill(pid, 0) != 0) return true;
  // read(2), not a stream: reading the stat of a process that is exiting fails
  // with ESRCH, which libstdc++'s filebuf throws.
  int fd = ::open(("/proc/" + std::to_string(pid) + "/stat").c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return true;
  char buffer[512];
  ssize_t n = ::read(fd, buffer, sizeof(buffer));
  ::close(fd);
  if (n <= 0) return true;
  const std::string text(buffer, static_cast<size_t>(n));
  size_t paren = text.rfind(')');  // "pid (comm) S ...": comm may hold spaces.
  return paren == std::string::npos || paren + 2 >= text.size() || text[paren + 2] == 'Z' ||
         text[paren + 2] == 'X';
}

}  // namespace grove
