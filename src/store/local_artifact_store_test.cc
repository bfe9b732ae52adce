#include "store/local_artifact_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <set>
#include <thread>

#include "common/file_util.h"
#include "common/sha256.h"
#include "store/local_artifact_store_fixture.h"

namespace grove::store {
namespace {

namespace fs = std::filesystem;

bool IsReadOnly(const fs::path& path) {
  fs::perms p = fs::status(path).permissions();
  return (p & (fs::perms::owner_write | fs::perms::group_write | fs::perms::others_write)) == fs::perms::none;
}

TEST_F(LocalArtifactStoreTest, PutFileStoresAReadOnlyCopyAtItsDigest) {
  WriteText(src() / "model.json", "{\"trees\": []}");
  auto record = store_->Put(src() / "model.json");
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  EXPECT_EQ(record->digest, *Sha256File(src() / "model.json"));
  EXPECT_EQ(record->size_bytes, 13);
  EXPECT_FALSE(record->is_directory);
  EXPECT_EQ(record->created_at, clock_.Now());

  auto path = store_->LocalPath(record->digest);
  ASSERT_TRUE(path.ok());
  EXPECT_EQ(*path, fs::absolute(root()) / "sha256" / record->digest.substr(0, 2) / record->digest);
  EXPECT_EQ(record->uri, "file://" + path->string());
  EXPECT_EQ(ReadText(*path), "{\"trees\": []}");
  EXPECT_TRUE(IsReadOnly(*path));
  EXPECT_TRUE(store_->Contains(record->digest));
  EXPECT_EQ(ReadText(src() / "model.json"), "{\"trees\": []}");  // Source untouched.
  EXPECT_TRUE(fs::is_empty(root() / "tmp"));
}

TEST_F(LocalArtifactStoreTest, EqualContentIsStoredOnce) {
  WriteText(src() / "a.txt", "same");
  WriteText(src() / "b.txt", "same");
  auto a = store_->Put(src() / "a.txt");
  auto b = store_->Put(src() / "b.txt");
  auto c = store_->PutBytes("same");
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->digest, b->digest);
  EXPECT_EQ(a->digest, c->digest);
  EXPECT_EQ(StoredEntries(root()).size(), 1u);
  EXPECT_TRUE(fs::is_empty(root() / "tmp"));
}

TEST_F(LocalArtifactStoreTest, PutDirectoryStoresTheTreeUnderItsTreeDigest) {
  fs::path tree = MakeTree("prepared");
  auto record = store_->Put(tree);
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  EXPECT_EQ(record->digest, *Sha256Tree(tree));
  EXPECT_TRUE(record->is_directory);
  EXPECT_EQ(record->size_bytes, 8 + 11);
  fs::path stored = *store_->LocalPath(record->digest);
  EXPECT_EQ(ReadText(stored / "meta" / "schema.json"), "{\"cols\": 2}");
  EXPECT_EQ(CountRegularFiles(stored), 3u);
  EXPECT_TRUE(IsReadOnly(stored / "train.csv"));
  EXPECT_EQ(*Sha256Tree(stored), record->digest);

  auto again = store_->Put(MakeTree("copy"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->digest, record->digest);
  EXPECT_EQ(StoredEntries(root()).size(), 1u);
  EXPECT_TRUE(fs::is_empty(root() / "tmp"));
}

TEST_F(LocalArtifactStoreTest, PutBytesStoresAFile) {
  auto record = store_->PutBytes("log line\n");
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->digest, Sha256::Of("log line\n"));
  EXPECT_EQ(ReadText(*store_->LocalPath(record->digest)), "log line\n");
}

TEST_F(LocalArtifactStoreTest, PutByMoveConsumesFilesAndFolders) {
  WriteText(src() / "out" / "model.json", "m");
  auto file = store_->PutByMove(src() / "out" / "model.json");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_FALSE(fs::exists(src() / "out" / "model.json"));
  EXPECT_EQ(file->digest, Sha256::Of("m"));
  EXPECT_TRUE(IsReadOnly(*store_->LocalPath(file->digest)));

  fs::path tree = MakeTree("moved");
  std::string digest = *Sha256Tree(tree);
  auto dir = store_->PutByMove(tree);
  ASSERT_TRUE(dir.ok()) << dir.status().ToString();
  EXPECT_EQ(dir->digest, digest);
  EXPECT_FALSE(fs::exists(tree));
  EXPECT_EQ(CountRegularFiles(*store_->LocalPath(digest)), 3u);

  // Content already stored: the source is still consumed, and one copy remains.
  auto dup = store_->PutByMove(MakeTree("moved-again"));
  ASSERT_TRUE(dup.ok());
  EXPECT_FALSE(fs::exists(src() / "moved-again"));
  EXPECT_EQ(StoredEntries(root()).size(), 2u);
  EXPECT_TRUE(fs::is_empty(root() / "tmp"));
}

// A tree holding a symlink is copied (the link's target is stored, not the
// link) and then consumed; the link's target outside the tree is left alone.
TEST_F(LocalArtifactStoreTest, PutByMoveCopiesTreesWithSymlinks) {
  fs::path tree = MakeTree("linked");
  WriteText(src() / "outside.txt", "target");
  fs::create_symlink(src() / "outside.txt", tree / "link.txt");
  fs::path plain = MakeTree("plain");  // The same tree with the link's content as a file.
  WriteText(plain / "link.txt", "target");
  std::string digest = *Sha256Tree(plain);
  auto record = store_->PutByMove(tree);
  ASSERT_TRUE(record.ok()) << record.status().ToString();
  EXPECT_EQ(record->digest, digest);
  EXPECT_FALSE(fs::exists(tree));
  EXPECT_EQ(ReadText(src() / "outside.txt"), "target");
  fs::path stored_link = *store_->LocalPath(digest) / "link.txt";
  EXPECT_FALSE(fs::is_symlink(stored_link));
  EXPECT_EQ(ReadText(stored_link), "target");
}

// /dev/shm is usually another file system than the temp folder: the rename
// fails with EXDEV and PutByMove copies instead.
TEST_F(LocalArtifactStoreTest, PutByMoveAcrossFileSystemsCopiesAndConsumes) {
  std::error_code ec;
  if (!fs::is_directory("/dev/shm", ec)) GTEST_SKIP() << "no /dev/shm";
  std::string name = "/dev/shm/grove-store-test-XXXXXX";
  ASSERT_NE(::mkdtemp(name.data()), nullptr);
  fs::path other(name);
  struct stat a {}, b {};
  ::stat(other.c_str(), &a);
  ::stat(root().c_str(), &b);
  if (a.st_dev == b.st_dev) {
    fs::remove_all(other, ec);
    GTEST_SKIP() << "/dev/shm is on the same file system as " << root();
  }
  WriteText(other / "model.json", "far away");
  auto record = store_->PutByMove(other / "model.json");
  EXPECT_TRUE(record.ok()) << record.status().ToString();
  EXPECT_FALSE(fs::exists(other / "model.json"));
  fs::remove_all(other, ec);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(ReadText(*store_->LocalPath(record->digest)), "far away");
  EXPECT_TRUE(fs::is_empty(root() / "tmp"));
}

TEST_F(LocalArtifactStoreTest, UnknownThingsAreNamed) {
  auto missing = store_->Put(src() / "nope.csv");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("nope.csv"), std::string::npos);
  EXPECT_EQ(store_->PutByMove(src() / "nope.csv").status().code(), StatusCode::kNotFound);

  std::string digest = Sha256::Of("never stored");
  auto path = store_->LocalPath(digest);
  EXPECT_EQ(path.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(path.status().message(), "no artifact '" + digest + "' in " + fs::absolute(root()).string());
  EXPECT_FALSE(store_->Contains(digest));
  EXPECT_EQ(store_->LocalPath("../../etc/passwd").status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(store_->Contains("ab"));
}

TEST_F(LocalArtifactStoreTest, StaleTemporariesAreRemovedOnOpen) {
  WriteText(root() / "tmp" / "put-old", "partial");
  WriteText(root() / "tmp" / "dir-old" / "f", "partial");
  WriteText(root() / "tmp" / "put-fresh", "in progress");
  auto two_hours_ago = fs::file_time_type::clock::now() - std::chrono::hours(2);
  fs::last_write_time(root() / "tmp" / "put-old", two_hours_ago);
  fs::last_write_time(root() / "tmp" / "dir-old" / "f", two_hours_ago);
  fs::last_write_time(root() / "tmp" / "dir-old", two_hours_ago);
  store_ = Open();
  EXPECT_FALSE(fs::exists(root() / "tmp" / "put-old"));
  EXPECT_FALSE(fs::exists(root() / "tmp" / "dir-old"));
  EXPECT_TRUE(fs::exists(root() / "tmp" / "put-fresh"));  // Maybe another process's Put.
}

TEST_F(LocalArtifactStoreTest, ConcurrentPutsOfEqualContentEndWithOneCopy) {
  std::string content(3 << 20, 'x');  // Several chunks, so the copies overlap.
  for (int i = 0; i < 8; ++i) WriteText(src() / ("f" + std::to_string(i)), content);
  WriteText(src() / "tree" / "a", content);
  std::vector<std::string> digests(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      auto r = store_->Put(src() / ("f" + std::to_string(i)));
      digests[i] = r.ok() ? r->digest : r.status().ToString();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::set<std::string>(digests.begin(), digests.end()).size(), 1u);
  EXPECT_EQ(digests[0], Sha256::Of(content));
  EXPECT_EQ(ReadText(*store_->LocalPath(digests[0])), content);
  EXPECT_EQ(StoredEntries(root()).size(), 1u);
  EXPECT_TRUE(fs::is_empty(root() / "tmp"));
}

TEST_F(LocalArtifactStoreTest, ConcurrentPutsOfEqualTreesEndWithOneCopy) {
  std::vector<fs::path> trees;
  for (int i = 0; i < 6; ++i) trees.push_back(MakeTree("t" + std::to_string(i)));
  std::vector<std::string> digests(trees.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < trees.size(); ++i) {
    threads.emplace_back([&, i] {
      auto r = store_->Put(trees[i]);
      digests[i] = r.ok() ? r->digest : r.status().ToString();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(std::set<std::string>(digests.begin(), digests.end()).size(), 1u);
  EXPECT_EQ(digests[0], *Sha256Tree(trees[0]));
  ASSERT_EQ(StoredEntries(root()).size(), 1u);
  EXPECT_EQ(CountRegularFiles(root() / "sha256"), 3u);
  EXPECT_TRUE(fs::is_empty(root() / "tmp"));
}

}  // namespace
}  // namespace grove::store
