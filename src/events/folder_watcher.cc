#include "events/folder_watcher.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace grove::events {

namespace {

constexpr uint32_t kFolderMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY | IN_ONLYDIR;

std::string Errno() { return std::strerror(errno); }

}  // namespace

Result<std::unique_ptr<InotifyWatcher>> InotifyWatcher::Create() {
  int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return Status::IOError("inotify_init1: " + Errno());
  return std::unique_ptr<InotifyWatcher>(new InotifyWatcher(fd));
}

InotifyWatcher::~InotifyWatcher() { close(fd_); }

Status InotifyWatcher::AddTree(const std::filesystem::path& root, const std::filesystem::path& dir, bool report,
                               std::vector<FileEvent>* out) {
  int wd = inotify_add_watch(fd_, dir.c_str(), kFolderMask);
  if (wd < 0) return Status::IOError("watching " + dir.string() + ": " + Errno());
  folders_[wd] = {root, dir};
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_directory(type_ec)) {
      RETURN_IF_ERROR(AddTree(root, it->path(), report, out));
    } else if (report && it->is_regular_file(type_ec)) {
      out->push_back({FileEvent::Kind::kWritten, root, it->path()});
    }
  }
  return Status::OK();
}

Status InotifyWatcher::Watch(const std::filesystem::path& given) {
  std::error_code ec;
  std::filesystem::path root = std::filesystem::absolute(given, ec).lexically_normal();
  if (!root.empty() && root.filename().empty()) root = root.parent_path();  // "inbox/" -> "inbox".
  std::filesystem::create_directories(root, ec);
  if (ec) return Status::IOError("creating watched folder " + root.string() + ": " + ec.message());
  if (!std::filesystem::is_directory(root)) return Status::InvalidArgument(root.string() + " is not a folder");
  return AddTree(root, root, false, nullptr);
}

Result<std::vector<FileEvent>> InotifyWatcher::Poll(std::chrono::milliseconds timeout) {
  std::vector<FileEvent> out;
  pollfd pfd{fd_, POLLIN, 0};
  int ready = poll(&pfd, 1, static_cast<int>(timeout.count()));
  if (ready < 0 && errno != EINTR) return Status::IOError("poll on inotify: " + Errno());
  if (ready <= 0) return out;
  alignas(inotify_event) char buffer[64 * 1024];
  while (true) {
    ssize_t n = read(fd_, buffer, sizeof(buffer));
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) break;
    if (n < 0) return Status::IOError("reading inotify events: " + Errno());
    if (n == 0) break;
    for (ssize_t at = 0; at < n;) {
      const auto* e = reinterpret_cast<const inotify_event*>(buffer + at);
      at += static_cast<ssize_t>(sizeof(inotify_event) + e->len);
      if (e->mask & IN_Q_OVERFLOW) {
        for (const auto& [wd, folder] : folders_) {
          if (folder.dir == folder.root) out.push_back({FileEvent::Kind::kRescan, folder.root, {}});
        }
        continue;
      }
      if (e->mask & IN_IGNORED) {
        folders_.erase(e->wd);
        continue;
      }
      auto folder = folders_.find(e->wd);
      if (folder == folders_.end() || e->len == 0) continue;
      const Folder where = folder->second;  // AddTree below may rehash folders_.
      std::filesystem::path path = where.dir / e->name;
      if (e->mask & IN_ISDIR) {
        if (e->mask & (IN_CREATE | IN_MOVED_TO)) {
          Status s = AddTree(where.root, path, true, &out);
          if (!s.ok() && std::filesystem::exists(path)) return s;
        }
        continue;
      }
      out.push_back({(e->mask & IN_MOVED_TO) ? FileEvent::Kind::kMovedIn : FileEvent::Kind::kWritten, where.root,
                     path});
    }
  }
  return out;
}

}  // namespace grove::events
