#include "common/tar_gz.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "common/file_util.h"

namespace grove {
namespace {

TEST(TarGzTest, WhatIsWrittenReadsBackAndTarAgrees) {
  TempDir dir;
  const auto archive = dir.path() / "model.tar.gz";
  std::string big(70000, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>(i * 31 % 251);
  ASSERT_TRUE(WriteTarGz(archive, {{"xgboost-model", big}, {"notes/readme.txt", "hello\n"}}).ok());
  EXPECT_TRUE(IsGzipFile(archive));
  auto members = ReadTarGz(archive);
  ASSERT_TRUE(members.ok()) << members.status().ToString();
  ASSERT_EQ(members->size(), 2u);
  EXPECT_EQ((*members)[0].name, "xgboost-model");
  EXPECT_EQ((*members)[0].bytes, big);
  EXPECT_EQ((*members)[1].name, "notes/readme.txt");
  EXPECT_EQ((*members)[1].bytes, "hello\n");

  // GNU tar reads it, and what GNU tar writes ("./name" members) reads back here.
  const std::string out = (dir.path() / "out").string();
  ASSERT_EQ(std::system(("mkdir -p " + out + " && tar -xzf " + archive.string() + " -C " + out).c_str()), 0);
  EXPECT_EQ(ReadFile(dir.path() / "out" / "notes" / "readme.txt").value(), "hello\n");
  const auto gnu = dir.path() / "gnu.tar.gz";
  ASSERT_EQ(std::system(("cd " + out + " && tar -czf " + gnu.string() + " ./notes/readme.txt").c_str()), 0);
  auto read = ReadTarGz(gnu);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].name, "notes/readme.txt");
}

TEST(TarGzTest, NotAnArchiveIsAClearError) {
  TempDir dir;
  ASSERT_TRUE(WriteFile(dir.path() / "x", std::string(600, 'x')).ok());
  auto read = ReadTarGz(dir.path() / "x");
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("not a tar archive"), std::string::npos) << read.status().message();
  EXPECT_FALSE(IsGzipFile(dir.path() / "x"));
  EXPECT_FALSE(WriteTarGz(dir.path() / "y", {{std::string(101, 'n'), ""}}).ok());
}

}  // namespace
}  // namespace grove
