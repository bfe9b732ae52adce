#include "events/folder_watcher.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/file_util.h"

namespace grove::events {
namespace {

// Polls until an event names `path` (or two seconds pass).
bool Sees(FolderWatcher& watcher, const std::filesystem::path& path, FileEvent::Kind kind) {
  for (int i = 0; i < 20; ++i) {
    auto events = watcher.Poll(std::chrono::milliseconds(100));
    if (!events.ok()) return false;
    for (const FileEvent& e : *events) {
      if (e.path == path && e.kind == kind) return true;
    }
  }
  return false;
}

TEST(InotifyWatcherTest, CreatesTheRootAndSeesFilesInFoldersMadeLater) {
  TempDir dir;
  auto watcher = InotifyWatcher::Create();
  ASSERT_TRUE(watcher.ok());
  const std::filesystem::path root = dir.path() / "inbox";
  ASSERT_TRUE((*watcher)->Watch(root.string() + "/").ok());
  EXPECT_TRUE(std::filesystem::is_directory(root));
  std::filesystem::create_directories(root / "training-dataset" / "D1");
  const auto file = root / "training-dataset" / "D1" / "a.csv";
  // The new folders are watched from the first poll that sees them; a file
  // written before that is reported by the scan of the new folder.
  std::ofstream(file) << "x\n";
  EXPECT_TRUE(Sees(**watcher, file, FileEvent::Kind::kWritten));
  const auto moved = root / "training-dataset" / "D1" / "b.csv";
  std::ofstream(dir.path() / "b.tmp") << "y\n";
  std::filesystem::rename(dir.path() / "b.tmp", moved);
  EXPECT_TRUE(Sees(**watcher, moved, FileEvent::Kind::kMovedIn));
}

}  // namespace
}  // namespace grove::events
