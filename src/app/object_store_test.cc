#include "app/object_store.h"

#include <gtest/gtest.h>

#include "app/app_test_fixture.h"
#include "common/md5.h"
#include "common/sha256.h"

namespace grove::app {
namespace {

using store::ClassifyObjectError;
using store::ObjectError;

class ObjectStoreTest : public testing::AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    objects_ = std::make_unique<ObjectStore>(*home_);
    ASSERT_TRUE(objects_->CreateBucket("data").ok());
  }

  std::string Get(const std::string& key, const std::optional<ByteRange>& range = std::nullopt) {
    auto read = objects_->GetObject("data", key, range);
    EXPECT_TRUE(read.ok()) << read.status().ToString();
    return read.ok() ? read->bytes : "";
  }

  std::unique_ptr<ObjectStore> objects_;
};

TEST_F(ObjectStoreTest, PutGetHeadListAndDeleteShareArtifacts) {
  auto put = objects_->PutObject("data", "in/a.csv", "x,y\n1,2\n", {"text/csv", {{"origin", "test"}}});
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_EQ(put->etag, Md5::HexOf("x,y\n1,2\n"));
  EXPECT_EQ(put->digest, Sha256::Of("x,y\n1,2\n"));
  EXPECT_EQ(Get("in/a.csv"), "x,y\n1,2\n");
  auto head = objects_->HeadObject("data", "in/a.csv");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->size, 8);
  EXPECT_EQ(head->content_type, "text/csv");
  EXPECT_EQ(head->metadata.at("origin"), "test");

  // The same bytes from a file: another key, the same artifact.
  auto file = objects_->PutObjectFile("data", "in/b.csv", Write("b.csv", "x,y\n1,2\n"), {});
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->digest, put->digest);
  EXPECT_EQ(file->etag, put->etag);
  auto listed = objects_->ListObjects("data", {"in/", "", "", 1000});
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->objects.size(), 2u);
  EXPECT_EQ(listed->objects[1].key, "in/b.csv");

  ASSERT_TRUE(objects_->DeleteObject("data", "in/a.csv").ok());
  EXPECT_TRUE(objects_->DeleteObject("data", "in/a.csv").ok());  // Already gone: fine, as S3.
  EXPECT_EQ(ClassifyObjectError(objects_->HeadObject("data", "in/a.csv").status()), ObjectError::kNoSuchKey);
  EXPECT_EQ(Get("in/b.csv"), "x,y\n1,2\n");  // The shared artifact stays.
  EXPECT_EQ(ClassifyObjectError(objects_->DeleteBucket("data")), ObjectError::kBucketNotEmpty);
}

TEST_F(ObjectStoreTest, MissingBucketsAndBadNamesAreNamed) {
  auto put = objects_->PutObject("nope", "k", "v", {});
  EXPECT_EQ(ClassifyObjectError(put.status()), ObjectError::kNoSuchBucket);
  EXPECT_NE(put.status().message().find("buckets: data"), std::string::npos);
  EXPECT_EQ(ClassifyObjectError(objects_->CreateBucket("Bad_Name")), ObjectError::kInvalidBucketName);
  EXPECT_EQ(ClassifyObjectError(objects_->CreateBucket("data")), ObjectError::kBucketExists);
  EXPECT_EQ(ClassifyObjectError(objects_->GetObject("data", "missing").status()), ObjectError::kNoSuchKey);
  EXPECT_EQ(ClassifyObjectError(objects_->DeleteObject("nope", "k")), ObjectError::kNoSuchBucket);
  EXPECT_EQ(objects_->PutObjectFile("data", "k", dir_.path(), {}).status().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(objects_->CreateBucket("empty").ok());
  EXPECT_TRUE(objects_->DeleteBucket("empty").ok());
  auto buckets = objects_->ListBuckets();
  ASSERT_TRUE(buckets.ok());
  ASSERT_EQ(buckets->size(), 2u) << "data and the read-only grove-artifacts";
  EXPECT_EQ((*buckets)[0].name, "data");
  EXPECT_EQ(ClassifyObjectError(objects_->PutObject("grove-artifacts", "sha256/x", "bytes", {}).status()),
            ObjectError::kReadOnlyBucket);
  EXPECT_EQ(ClassifyObjectError(objects_->CreateUpload("grove-artifacts", "k", {}).status()),
            ObjectError::kReadOnlyBucket);
}

TEST_F(ObjectStoreTest, RangesReadSlicesOrSayUnsatisfiable) {
  ASSERT_TRUE(objects_->PutObject("data", "r", "0123456789", {}).ok());
  EXPECT_EQ(Get("r", ByteRange{2, 4, std::nullopt}), "234");
  EXPECT_EQ(Get("r", ByteRange{7, std::nullopt, std::nullopt}), "789");
  EXPECT_EQ(Get("r", ByteRange{8, 100, std::nullopt}), "89");
  EXPECT_EQ(Get("r", ByteRange{0, std::nullopt, 3}), "789");
  EXPECT_EQ(Get("r", ByteRange{0, std::nullopt, 30}), "0123456789");
  auto slice = objects_->GetObject("data", "r", ByteRange{2, 4, std::nullopt});
  EXPECT_TRUE(slice->ranged);
  EXPECT_EQ(slice->first, 2);
  for (ByteRange bad : {ByteRange{10, std::nullopt, std::nullopt}, ByteRange{0, std::nullopt, 0}}) {
    auto read = objects_->GetObject("data", "r", bad);
    ASSERT_TRUE(read.ok());
    EXPECT_TRUE(read->unsatisfiable);
    EXPECT_TRUE(read->bytes.empty());
  }
}

TEST_F(ObjectStoreTest, CopyKeepsOrReplacesMetadata) {
  ASSERT_TRUE(objects_->PutObject("data", "src", "bytes", {"text/plain", {{"a", "1"}}}).ok());
  ASSERT_TRUE(objects_->CreateBucket("other").ok());
  auto kept = objects_->CopyObject("data", "src", "other", "dst", std::nullopt);
  ASSERT_TRUE(kept.ok()) << kept.status().ToString();
  EXPECT_EQ(kept->content_type, "text/plain");
  EXPECT_EQ(kept->metadata.at("a"), "1");
  EXPECT_EQ(kept->etag, Md5::HexOf("bytes"));
  auto replaced = objects_->CopyObject("data", "src", "data", "dst2", ObjectContent{"application/x", {}});
  ASSERT_TRUE(replaced.ok());
  EXPECT_TRUE(replaced->metadata.empty());
  EXPECT_EQ(objects_->HeadObject("data", "dst2")->content_type, "application/x");
  EXPECT_EQ(ClassifyObjectError(objects_->CopyObject("data", "nope", "data", "x", std::nullopt).status()),
            ObjectError::kNoSuchKey);
}

TEST_F(ObjectStoreTest, MultipartUploadsConcatenatePartsInOrder) {
  auto upload = objects_->CreateUpload("data", "big.bin", {"application/octet-stream", {{"m", "v"}}});
  ASSERT_TRUE(upload.ok()) << upload.status().ToString();
  std::string first(store::kMinPartBytes, 'a');
  first[12345] = 'b';
  auto p2 = objects_->UploadPart("data", "big.bin", upload->id, 2, "tail");
  auto p1 = objects_->UploadPart("data", "big.bin", upload->id, 1, first);
  ASSERT_TRUE(p1.ok() && p2.ok());
  auto done = objects_->CompleteUpload("data", "big.bin", upload->id, {{1, "\"" + p1->etag + "\""}, {2, p2->etag}});
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->size, store::kMinPartBytes + 4);
  EXPECT_EQ(done->etag, store::MultipartEtag({*p1, *p2}));
  EXPECT_EQ(done->metadata.at("m"), "v");
  EXPECT_EQ(Get("big.bin"), first + "tail");
  EXPECT_EQ(Get("big.bin", ByteRange{store::kMinPartBytes - 1, std::nullopt, std::nullopt}), "atail");

  // Completed: the upload is gone.
  auto again = objects_->UploadPart("data", "big.bin", upload->id, 3, "x");
  EXPECT_EQ(ClassifyObjectError(again.status()), ObjectError::kNoSuchUpload);
  auto aborted = objects_->CreateUpload("data", "gone.bin", {});
  ASSERT_TRUE(objects_->UploadPart("data", "gone.bin", aborted->id, 1, "x").ok());
  auto wrong = objects_->CompleteUpload("data", "gone.bin", aborted->id, {{1, "\"0000\""}});
  EXPECT_EQ(ClassifyObjectError(wrong.status()), ObjectError::kInvalidPart);
  ASSERT_TRUE(objects_->AbortUpload("data", "gone.bin", aborted->id).ok());
  EXPECT_EQ(ClassifyObjectError(objects_->AbortUpload("data", "gone.bin", aborted->id)), ObjectError::kNoSuchUpload);
  EXPECT_EQ(ClassifyObjectError(objects_->HeadObject("data", "gone.bin").status()), ObjectError::kNoSuchKey);
}

}  // namespace
}  // namespace grove::app
