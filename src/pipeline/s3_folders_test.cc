#include "pipeline/s3_folders.h"

#include <gtest/gtest.h>

#include "common/file_util.h"
#include "store/object_records.h"
#include "store/sqlite_metadata_store.h"

namespace grove::pipeline {
namespace {

namespace fs = std::filesystem;

class S3FoldersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    metadata_ = std::move(store::OpenSqliteMetadataStore((dir_.path() / "grove.db").string()).value());
    artifacts_ = std::move(store::OpenLocalArtifactStore(dir_.path() / "artifacts").value());
  }

  // Writes files under a folder, stores them as objects under `uri` and records them.
  void Put(const std::string& uri, const std::map<std::string, std::string>& files) {
    const fs::path src = dir_.path() / ("src" + std::to_string(puts_++));
    for (const auto& [name, bytes] : files) {
      fs::create_directories((src / name).parent_path());
      ASSERT_TRUE(WriteFile(src / name, bytes).ok());
    }
    auto objects = StoreFolderAsObjects(*artifacts_, src, uri);
    ASSERT_TRUE(objects.ok()) << objects.status().ToString();
    ASSERT_TRUE(metadata_->Transact([&](store::StoreTransaction& t) { return RecordObjects(t, *objects, 1000); }).ok());
  }

  fs::path Download(const std::string& uri, Status* status = nullptr) {
    const fs::path out = dir_.path() / ("out" + std::to_string(puts_++));
    Status s = DownloadS3Prefix(*metadata_, *artifacts_, uri, out);
    if (status != nullptr) *status = s;
    else EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  TempDir dir_;
  int puts_ = 0;
  std::unique_ptr<store::MetadataStore> metadata_;
  std::unique_ptr<store::ArtifactStore> artifacts_;
};

TEST_F(S3FoldersTest, OutputsBecomeObjectsInTheirBucketWhichIsCreated) {
  Put("s3://jobs/run/train/", {{"train.csv", "1,2\n"}, {"parts/b.csv", "3,4\n"}});
  auto object = store::ReadValue(*metadata_, [](store::StoreReader& r) {
    return store::RequireObject(r, "jobs", "run/train/parts/b.csv");
  });
  ASSERT_TRUE(object.ok()) << object.status().ToString();
  EXPECT_EQ(object->size, 4);
  EXPECT_EQ(object->etag, "60d044caa59c7a6f32cddeed9d9b514e") << "S3's ETag: the MD5 of the bytes";
}

TEST_F(S3FoldersTest, APrefixDownloadsAsSageMakersS3PrefixDoes) {
  Put("s3://jobs/run/train", {{"train.csv", "1,2\n"}, {"parts/b.csv", "3,4\n"}});
  Put("s3://jobs/run", {{"train.json", "{}"}});
  Put("s3://jobs/code", {{"run.py", "print(1)"}});

  fs::path folder = Download("s3://jobs/run/train");  // A folder: its files keep their paths below it.
  EXPECT_EQ(ReadFile(folder / "train.csv").value(), "1,2\n");
  EXPECT_EQ(ReadFile(folder / "parts" / "b.csv").value(), "3,4\n");
  EXPECT_TRUE(fs::exists(folder / "train.json")) << "a sibling sharing the prefix comes too, as in SageMaker";

  fs::path one = Download("s3://jobs/code/run.py");  // One object: its base name.
  EXPECT_EQ(ReadFile(one / "run.py").value(), "print(1)");

  Status missing;
  Download("s3://jobs/nothing-here", &missing);
  EXPECT_EQ(missing.message(), "no object in Grove's S3 under s3://jobs/nothing-here");
  Download("s3://no-bucket/x", &missing);
  EXPECT_NE(missing.message().find("no such bucket 'no-bucket'"), std::string::npos) << missing.message();
}

TEST_F(S3FoldersTest, TheArtifactBucketIsReadOnly) {
  const fs::path src = dir_.path() / "f";
  fs::create_directories(src);
  ASSERT_TRUE(WriteFile(src / "a", "x").ok());
  auto refused = StoreFolderAsObjects(*artifacts_, src, "s3://grove-artifacts/x");
  EXPECT_FALSE(refused.ok());
}

}  // namespace
}  // namespace grove::pipeline
