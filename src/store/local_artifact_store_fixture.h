#pragma once

// The fixture shared by the local_artifact_store*_test.cc files: a store on a
// temp folder and helpers to build sources and inspect the store's folders.
// Test-only.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "common/file_util.h"
#include "store/local_artifact_store.h"

namespace grove::store {

class LocalArtifactStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = Open(); }

  std::unique_ptr<ArtifactStore> Open(LocalArtifactStoreOptions options = {}) {
    options.clock = &clock_;
    auto store = OpenLocalArtifactStore(root(), std::move(options));
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  std::filesystem::path root() const { return dir_.path() / "artifacts"; }
  std::filesystem::path src() const { return dir_.path() / "src"; }

  // A tree of three files in two folders.
  std::filesystem::path MakeTree(const std::string& name) {
    std::filesystem::path tree = src() / name;
    WriteText(tree / "train.csv", "1,2\n3,4\n");
    WriteText(tree / "meta" / "schema.json", "{\"cols\": 2}");
    WriteText(tree / "meta" / "empty.txt", "");
    return tree;
  }

  static void WriteText(const std::filesystem::path& file, const std::string& text) {
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file, std::ios::binary) << text;
  }

  static std::string ReadText(const std::filesystem::path& file) {
    auto text = ReadFile(file);
    return text.ok() ? *text : "<unreadable>";
  }

  // Entries (files or folders) directly in each shard folder under root/sha256.
  static std::vector<std::filesystem::path> StoredEntries(const std::filesystem::path& store_root) {
    std::vector<std::filesystem::path> out;
    for (const auto& shard : std::filesystem::directory_iterator(store_root / "sha256")) {
      for (const auto& entry : std::filesystem::directory_iterator(shard.path())) out.push_back(entry.path());
    }
    return out;
  }

  static size_t CountRegularFiles(const std::filesystem::path& dir) {
    size_t n = 0;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) n += e.is_regular_file() ? 1 : 0;
    return n;
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<ArtifactStore> store_;
};

}  // namespace grove::store
