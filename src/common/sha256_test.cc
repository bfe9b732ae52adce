#include "common/sha256.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/file_util.h"

namespace grove {
namespace {

namespace fs = std::filesystem;

void WriteText(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// The digest Sha256Tree promises, computed here from its documented layout
// rather than by calling it: "tree\n", then per file in sorted order
// "<relative path>\0<file digest>\n".
std::string ExpectedTreeDigest(const std::vector<std::pair<std::string, std::string>>& sorted_files) {
  std::string text = "tree\n";
  for (const auto& [name, content] : sorted_files) {
    text += name;
    text += '\0';
    text += Sha256::Of(content) + "\n";
  }
  return Sha256::Of(text);
}

TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256::Of(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256::Of("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256::Of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256::Of(std::string(1'000'000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256Test, IncrementalUpdatesEqualOneShot) {
  Sha256 h;
  h.Update("ab");
  h.Update("");
  h.Update("c");
  EXPECT_EQ(h.HexDigest(), Sha256::Of("abc"));
}

TEST(Sha256Test, FileDigestIsTheDigestOfItsBytes) {
  TempDir dir;
  std::string big;  // Larger than the read buffer, with a NUL inside.
  for (int i = 0; big.size() < 200'000; ++i) big += std::to_string(i) + std::string(1, '\0');
  WriteText(dir.path() / "big", big);
  WriteText(dir.path() / "empty", "");
  EXPECT_EQ(*Sha256File(dir.path() / "big"), Sha256::Of(big));
  EXPECT_EQ(*Sha256File(dir.path() / "empty"), Sha256::Of(""));
  EXPECT_EQ(*Sha256Path(dir.path() / "big"), Sha256::Of(big));
  EXPECT_EQ(Sha256File(dir.path() / "nope").status().code(), StatusCode::kIOError);
  EXPECT_EQ(Sha256Path(dir.path() / "nope").status().code(), StatusCode::kNotFound);
}

class Sha256TreeTest : public ::testing::Test {
 protected:
  // A fresh folder under the test's temp dir holding `files` (path -> content).
  fs::path Tree(const std::string& name, const std::vector<std::pair<std::string, std::string>>& files) {
    fs::path root = dir_.path() / name;
    fs::create_directories(root);
    for (const auto& [path, content] : files) WriteText(root / path, content);
    return root;
  }
  std::string Digest(const fs::path& root) {
    auto digest = Sha256Tree(root);
    EXPECT_TRUE(digest.ok()) << digest.status().ToString();
    return digest.ok() ? *digest : digest.status().ToString();
  }

  TempDir dir_;
};

TEST_F(Sha256TreeTest, DigestFollowsTheDocumentedLayout) {
  fs::path root = Tree("t", {{"b.csv", "2"}, {"a/x.txt", "1"}, {"a/y.txt", ""}});
  EXPECT_EQ(Digest(root), ExpectedTreeDigest({{"a/x.txt", "1"}, {"a/y.txt", ""}, {"b.csv", "2"}}));
  EXPECT_EQ(*Sha256Path(root), Digest(root));
}

TEST_F(Sha256TreeTest, EmptyFolderHasTheDigestOfNoFiles) {
  EXPECT_EQ(Digest(Tree("empty", {})), ExpectedTreeDigest({}));
  EXPECT_NE(Digest(Tree("empty2", {})), Sha256::Of(""));  // Not confused with an empty file.
}

TEST_F(Sha256TreeTest, SameNamesAndContentGiveTheSameDigestWhateverTheWriteOrder) {
  fs::path one = Tree("one", {{"a.txt", "x"}, {"sub/b.txt", "y"}, {"sub/deeper/c.txt", "z"}});
  fs::path two = Tree("two", {{"sub/deeper/c.txt", "z"}, {"sub/b.txt", "y"}, {"a.txt", "x"}});
  EXPECT_EQ(Digest(one), Digest(two));
}

TEST_F(Sha256TreeTest, RenamingAFileChangesTheDigest) {
  fs::path before = Tree("before", {{"train.csv", "1,2\n"}, {"test.csv", "3,4\n"}});
  fs::path after = Tree("after", {{"train.csv", "1,2\n"}, {"tests.csv", "3,4\n"}});
  EXPECT_NE(Digest(before), Digest(after));
}

TEST_F(Sha256TreeTest, SwappingContentBetweenNamesChangesTheDigest) {
  fs::path before = Tree("before", {{"train.csv", "A"}, {"test.csv", "B"}});
  fs::path after = Tree("after", {{"train.csv", "B"}, {"test.csv", "A"}});
  EXPECT_NE(Digest(before), Digest(after));
}

TEST_F(Sha256TreeTest, MovingAFileToAnotherFolderChangesTheDigest) {
  fs::path before = Tree("before", {{"a/model.json", "m"}, {"b/other.txt", "o"}});
  fs::path after = Tree("after", {{"b/model.json", "m"}, {"b/other.txt", "o"}});
  fs::path flat = Tree("flat", {{"model.json", "m"}, {"b/other.txt", "o"}});
  EXPECT_NE(Digest(before), Digest(after));
  EXPECT_NE(Digest(before), Digest(flat));
}

TEST_F(Sha256TreeTest, EditingAFileChangesTheDigest) {
  fs::path before = Tree("before", {{"a/model.json", "m1"}});
  fs::path after = Tree("after", {{"a/model.json", "m2"}});
  EXPECT_NE(Digest(before), Digest(after));
}

TEST_F(Sha256TreeTest, AddingAnEmptyFileChangesTheDigest) {
  fs::path before = Tree("before", {{"a.txt", "x"}});
  fs::path after = Tree("after", {{"a.txt", "x"}, {"_SUCCESS", ""}});
  EXPECT_NE(Digest(before), Digest(after));
}

}  // namespace
}  // namespace grove
