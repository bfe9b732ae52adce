#include "common/mapped_file.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "common/file_util.h"

namespace grove {
namespace {

std::string Pattern(size_t size) {
  std::string s(size, '\0');
  for (size_t i = 0; i < size; ++i) s[i] = static_cast<char>('a' + i % 26);
  return s;
}

TEST(MappedFileTest, ReadsSmallFilesIntoAlignedMemory) {
  TempDir dir;
  std::string contents = Pattern(23 * 1024 + 5);
  ASSERT_TRUE(WriteFile(dir.path() / "small", contents).ok());
  Result<std::unique_ptr<MappedFile>> file = MappedFile::Open(dir.path() / "small");
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_FALSE((*file)->mapped());
  EXPECT_EQ((*file)->bytes(), contents);
  EXPECT_EQ(reinterpret_cast<uintptr_t>((*file)->data()) % MappedFile::kAlignment, 0u);
}

TEST(MappedFileTest, MapsFilesFromTheThreshold) {
  TempDir dir;
  std::string contents = Pattern(10000);
  ASSERT_TRUE(WriteFile(dir.path() / "f", contents).ok());
  Result<std::unique_ptr<MappedFile>> file = MappedFile::Open(dir.path() / "f", /*map_from=*/contents.size());
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_TRUE((*file)->mapped());
  EXPECT_EQ((*file)->bytes(), contents);
  EXPECT_EQ(reinterpret_cast<uintptr_t>((*file)->data()) % 4096, 0u);
}

TEST(MappedFileTest, ContentsSurviveTheFileBeingReplaced) {
  TempDir dir;
  for (size_t map_from : {MappedFile::kMapFrom, size_t{1}}) {
    ASSERT_TRUE(WriteFileAtomic(dir.path() / "f", "before").ok());
    Result<std::unique_ptr<MappedFile>> file = MappedFile::Open(dir.path() / "f", map_from);
    ASSERT_TRUE(file.ok());
    ASSERT_TRUE(WriteFileAtomic(dir.path() / "f", "after!").ok());
    EXPECT_EQ((*file)->bytes(), "before") << "map_from " << map_from;
  }
}

TEST(MappedFileTest, EmptyFileGivesAnEmptyView) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.path() / "empty", "").ok());
  Result<std::unique_ptr<MappedFile>> file = MappedFile::Open(dir.path() / "empty");
  ASSERT_TRUE(file.ok());
  EXPECT_TRUE((*file)->bytes().empty());
}

TEST(MappedFileTest, MissingFileAndFolderAreErrorsNamingThePath) {
  TempDir dir;
  Result<std::unique_ptr<MappedFile>> missing = MappedFile::Open(dir.path() / "nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("nope"), std::string::npos);
  Result<std::unique_ptr<MappedFile>> folder = MappedFile::Open(dir.path());
  ASSERT_FALSE(folder.ok());
  EXPECT_EQ(folder.status().code(), StatusCode::kIOError);
  EXPECT_NE(folder.status().message().find(dir.path().string()), std::string::npos);
}

}  // namespace
}  // namespace grove
