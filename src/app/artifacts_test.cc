#include "app/artifacts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "app/app_test_fixture.h"

namespace grove::app {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using testing::kScriptPipeline;

class ArtifactsTest : public testing::AppTest {
 protected:
  // Runs the script pipeline; returns the digest of its `out` directory.
  std::string RunAndGetOutput() {
    store::ExecutionRecord done = Run(Write("p.yaml", kScriptPipeline));
    execution_ = done.id;
    auto steps = Executions(*home_).Steps(done.id);
    return steps.ok() && !steps->empty() ? (*steps)[0].outputs["out"].get<std::string>() : "";
  }
  std::string execution_;
};

TEST_F(ArtifactsTest, ReferencesByDigestInnerPathAndUri) {
  std::string d(64, 'a');
  EXPECT_EQ(Artifacts::ParseRef(d)->digest, d);
  EXPECT_EQ(Artifacts::ParseRef("sha256:" + d)->digest, d);
  auto inner = Artifacts::ParseRef(d + "/sub/n.txt");
  ASSERT_TRUE(inner.ok());
  EXPECT_EQ(inner->inner, "sub/n.txt");
  auto uri = Artifacts::ParseRef("file:///x/artifacts/sha256/aa/" + d + "/hello.txt");
  ASSERT_TRUE(uri.ok()) << uri.status().ToString();
  EXPECT_EQ(uri->digest, d);
  EXPECT_EQ(uri->inner, "hello.txt");
  for (std::string bad : {std::string("abc"), d.substr(1), d + "/../x", std::string("file:///x/y"),
                          d + "/a/../../x", d + "//etc/passwd", d + "/a" + std::string(1, '\0') + "b",
                          std::string("file:///etc/passwd"), "file:///x/sha256/aa/" + d + "/../../y"}) {
    EXPECT_EQ(Artifacts::ParseRef(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST_F(ArtifactsTest, StatShowsFilesAndLineage) {
  std::string out = RunAndGetOutput();
  Artifacts artifacts(*home_);
  auto info = artifacts.Stat(out);
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_TRUE(info->record.is_directory);
  ASSERT_EQ(info->files.size(), 2u);
  EXPECT_EQ(info->files[0].path, "hello.txt");
  EXPECT_EQ(info->files[1].path, "sub/n.txt");
  EXPECT_EQ(info->files[1].size_bytes, 2);
  ASSERT_EQ(info->lineage.size(), 1u);
  EXPECT_EQ(info->lineage[0].role, "output");
  EXPECT_EQ(info->lineage[0].execution_id, execution_);
  EXPECT_EQ(info->lineage[0].step_name, "Write");

  auto by_uri = artifacts.Stat(info->record.uri + "/sub/n.txt");
  ASSERT_TRUE(by_uri.ok()) << by_uri.status().ToString();
  EXPECT_EQ(by_uri->ref.inner, "sub/n.txt");
  EXPECT_EQ(artifacts.Stat(std::string(64, 'b')).status().code(), StatusCode::kNotFound);
}

TEST_F(ArtifactsTest, OpenReadRangeAndDirectories) {
  std::string out = RunAndGetOutput();
  Artifacts artifacts(*home_);
  auto in = artifacts.Open(out + "/hello.txt");
  ASSERT_TRUE(in.ok()) << in.status().ToString();
  std::stringstream text;
  text << (*in)->rdbuf();
  EXPECT_EQ(text.str(), "hello\n");
  EXPECT_EQ(*artifacts.ReadRange(out + "/hello.txt", 1, 3), "ell");
  EXPECT_EQ(*artifacts.ReadRange(out + "/hello.txt", 2, std::nullopt), "llo\n");
  EXPECT_EQ(*artifacts.ReadRange(out + "/hello.txt", 6, 10), "");
  EXPECT_EQ(artifacts.ReadRange(out + "/hello.txt", 7, 1).status().code(), StatusCode::kInvalidArgument);

  auto dir = artifacts.Open(out);
  EXPECT_EQ(dir.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(dir.status().message(), HasSubstr("is a directory"));
  EXPECT_THAT(dir.status().message(), HasSubstr("hello.txt, sub/n.txt"));
  auto missing = artifacts.Open(out + "/nope.txt");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("hello.txt"));
}

TEST_F(ArtifactsTest, CopiesAreWritableAndGoIntoExistingDirectories) {
  std::string out = RunAndGetOutput();
  Artifacts artifacts(*home_);
  fs::path dest = dir_.path() / "copies";
  ASSERT_TRUE(MakeDirs(dest).ok());
  auto file = artifacts.CopyTo(out + "/hello.txt", dest);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(*file, dest / "hello.txt");
  EXPECT_TRUE(WriteFile(*file, "mine").ok());  // Writable.
  ASSERT_TRUE(artifacts.CopyTo(out + "/hello.txt", *file).ok());  // Replaces a file, as cp does.
  EXPECT_EQ(ReadFile(*file).value(), "hello\n");

  auto tree = artifacts.CopyTo(out, dest / "tree");
  ASSERT_TRUE(tree.ok()) << tree.status().ToString();
  EXPECT_EQ(ReadFile(dest / "tree" / "sub" / "n.txt").value(), "7\n");
  auto inside = artifacts.CopyTo(out, dest / "tree");  // An existing directory: into it, named by digest.
  ASSERT_TRUE(inside.ok()) << inside.status().ToString();
  EXPECT_EQ(*inside, dest / "tree" / out);
  EXPECT_EQ(artifacts.CopyTo(out, dest / "tree").status().code(), StatusCode::kAlreadyExists);
}

}  // namespace
}  // namespace grove::app
