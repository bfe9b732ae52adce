#pragma once

#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"

namespace grove::events {

// Something that happened to a file under a watched root.
struct FileEvent {
  enum class Kind {
    kWritten,  // Created, written or closed after writing: it counts once its size is stable.
    kMovedIn,  // Renamed into place: complete now.
    kRescan,   // Events were lost (the kernel's queue overflowed): rescan `root`.
  };
  Kind kind = Kind::kWritten;
  std::filesystem::path root;
  std::filesystem::path path;  // Absolute; empty for kRescan.
};

// Watches folders recursively, subfolders created later included, behind an
// interface so the trigger runner's tests drive a fake.
// Thread safety: one thread calls Watch and Poll.
class FolderWatcher {
 public:
  virtual ~FolderWatcher() = default;
  // Watches `root` (made absolute; created when missing) and every folder
  // under it. Files already there are not reported (the runner rescans).
  virtual Status Watch(const std::filesystem::path& root) = 0;
  // Waits at most `timeout` for events and returns them (empty after a
  // timeout). Files in a folder created or moved in after Watch are reported
  // as kWritten as the folder is first seen, so none is missed.
  virtual Result<std::vector<FileEvent>> Poll(std::chrono::milliseconds timeout) = 0;
};

// The Linux watcher: inotify, one watch per folder (IN_CLOSE_WRITE,
// IN_MOVED_TO, IN_CREATE, IN_MODIFY).
class InotifyWatcher : public FolderWatcher {
 public:
  static Result<std::unique_ptr<InotifyWatcher>> Create();
  ~InotifyWatcher() override;
  InotifyWatcher(const InotifyWatcher&) = delete;
  InotifyWatcher& operator=(const InotifyWatcher&) = delete;

  Status Watch(const std::filesystem::path& root) override;
  Result<std::vector<FileEvent>> Poll(std::chrono::milliseconds timeout) override;

 private:
  explicit InotifyWatcher(int fd) : fd_(fd) {}
  // Watches `dir` and its subfolders; with `report`, adds their files to `out` as kWritten.
  Status AddTree(const std::filesystem::path& root, const std::filesystem::path& dir, bool report,
                 std::vector<FileEvent>* out);

  int fd_;
  struct Folder {
    std::filesystem::path root;
    std::filesystem::path dir;
  };
  std::map<int, Folder> folders_;  // By watch descriptor.
};

// A watcher for tests: Poll returns what Push queued. Thread-safe.
class FakeFolderWatcher : public FolderWatcher {
 public:
  Status Watch(const std::filesystem::path& root) override {
    std::lock_guard<std::mutex> lock(mu_);
    roots_.push_back(root);
    return Status::OK();
  }
  Result<std::vector<FileEvent>> Poll(std::chrono::milliseconds) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<FileEvent> out(events_.begin(), events_.end());
    events_.clear();
    return out;
  }
  void Push(FileEvent event) {
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back(std::move(event));
  }
  std::vector<std::filesystem::path> roots() {
    std::lock_guard<std::mutex> lock(mu_);
    return roots_;
  }

 private:
  std::mutex mu_;
  std::deque<FileEvent> events_;
  std::vector<std::filesystem::path> roots_;
};

}  // namespace grove::events
