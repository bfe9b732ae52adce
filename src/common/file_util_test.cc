#include "common/file_util.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>

namespace grove {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> Names(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(FileUtilTest, WriteFileAtomicLeavesOnlyTheFile) {
  TempDir dir;
  fs::path path = dir.path() / "nested" / "report.json";  // Parents are created.
  ASSERT_TRUE(WriteFileAtomic(path, "{\"a\": 1}").ok());
  EXPECT_EQ(*ReadFile(path), "{\"a\": 1}");
  EXPECT_EQ(Names(path.parent_path()), std::vector<std::string>{"report.json"});  // No temporary left.
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

// The mode is open's, not a chmod after: even with umask 0 the file is never
// readable by others, and an existing file is left alone.
TEST(FileUtilTest, CreatePrivateFileIs0600WhateverTheUmask) {
  TempDir dir;
  const mode_t old_umask = ::umask(0);
  Status created = CreatePrivateFile(dir.path() / "secrets.db");
  ::umask(old_umask);
  ASSERT_TRUE(created.ok()) << created.ToString();
  struct stat st {};
  ASSERT_EQ(::stat((dir.path() / "secrets.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_TRUE(WriteFile(dir.path() / "kept", "data").ok());
  ASSERT_TRUE(CreatePrivateFile(dir.path() / "kept").ok());
  EXPECT_EQ(*ReadFile(dir.path() / "kept"), "data");
  EXPECT_EQ(CreatePrivateFile(dir.path() / "no" / "such" / "folder").code(), StatusCode::kIOError);
}

TEST(FileUtilTest, WriteFileAtomicReplacesTheWholeFile) {
  TempDir dir;
  fs::path path = dir.path() / "state.txt";
  ASSERT_TRUE(WriteFileAtomic(path, std::string(10'000, 'x')).ok());
  ASSERT_TRUE(WriteFileAtomic(path, "short").ok());
  EXPECT_EQ(*ReadFile(path), "short");
  ASSERT_TRUE(WriteFileAtomic(path, "").ok());
  EXPECT_EQ(*ReadFile(path), "");
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"state.txt"});
}

TEST(FileUtilTest, WriteFileAtomicIntoAFileIsAnIOErrorAndLeavesNothing) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.path() / "plain", "x").ok());
  Status s = WriteFileAtomic(dir.path() / "plain" / "child.txt", "y");
  EXPECT_EQ(s.code(), StatusCode::kIOError);
  EXPECT_NE(s.message().find("plain"), std::string::npos) << s.message();
  EXPECT_EQ(Names(dir.path()), std::vector<std::string>{"plain"});
}

TEST(FileUtilTest, WriteFileTruncatesAndReadFileReadsBinary) {
  TempDir dir;
  fs::path path = dir.path() / "bytes";
  std::string binary("a\0b\r\nc", 6);
  ASSERT_TRUE(WriteFile(path, std::string(100, 'z')).ok());
  ASSERT_TRUE(WriteFile(path, binary).ok());
  EXPECT_EQ(*ReadFile(path), binary);
}

TEST(FileUtilTest, ReadFileFromReadsAPieceAndNothingPastTheEnd) {
  TempDir dir;
  fs::path path = dir.path() / "log";
  ASSERT_TRUE(WriteFile(path, "line 1\nline 2\n").ok());
  EXPECT_EQ(*ReadFileFrom(path, 0, 100), "line 1\nline 2\n");
  EXPECT_EQ(*ReadFileFrom(path, 7, 100), "line 2\n");
  EXPECT_EQ(*ReadFileFrom(path, 7, 4), "line");
  EXPECT_EQ(*ReadFileFrom(path, 14, 100), "");  // At the end.
  EXPECT_EQ(*ReadFileFrom(path, 99, 100), "");  // Past it: the file may grow there.
  EXPECT_EQ(ReadFileFrom(dir.path() / "nope", 0, 1).status().code(), StatusCode::kNotFound);
}

TEST(FileUtilTest, MissingFilesAreNamed) {
  TempDir dir;
  auto missing = ReadFile(dir.path() / "nope.csv");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("nope.csv"), std::string::npos);
  EXPECT_EQ(WriteFile(dir.path() / "no" / "such" / "dir", "x").code(), StatusCode::kIOError);
  EXPECT_EQ(SyncPath(dir.path() / "nope").code(), StatusCode::kIOError);
  EXPECT_EQ(ErrnoStatus("cannot open", "/x", ENOENT).message(), "cannot open /x: No such file or directory");
}

TEST(FileUtilTest, MakeDirsIsIdempotentAndSyncPathTakesFoldersAndFiles) {
  TempDir dir;
  fs::path deep = dir.path() / "a" / "b" / "c";
  ASSERT_TRUE(MakeDirs(deep).ok());
  ASSERT_TRUE(MakeDirs(deep).ok());
  EXPECT_TRUE(fs::is_directory(deep));
  ASSERT_TRUE(WriteFile(deep / "f", "x").ok());
  EXPECT_TRUE(SyncPath(deep).ok());
  EXPECT_TRUE(SyncPath(deep / "f").ok());
  EXPECT_EQ(MakeDirs(deep / "f" / "g").code(), StatusCode::kIOError);
}

TEST(FileUtilTest, TempDirIsFreshAndRemovedWithItsContent) {
  fs::path kept;
  {
    TempDir a, b;
    EXPECT_NE(a.path(), b.path());
    EXPECT_TRUE(fs::is_directory(a.path()));
    EXPECT_TRUE(fs::is_empty(a.path()));
    ASSERT_TRUE(WriteFile(a.path() / "x", "1").ok());
    ASSERT_TRUE(MakeDirs(a.path() / "sub" / "deeper").ok());
    kept = a.path();
  }
  EXPECT_FALSE(fs::exists(kept));
}

}  // namespace
}  // namespace grove
