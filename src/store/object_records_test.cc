#include "store/object_records.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/md5.h"
#include "store/metadata_store.h"
#include "store/multipart_records.h"
#include "store/store_test_fixture.h"

namespace grove::store {
namespace {

// Buckets, objects, listings and multipart uploads over every backend's rows.
template <typename Backend>
class ObjectRecordsTest : public StoreTest<Backend> {
 protected:
  void SetUp() override {
    StoreTest<Backend>::SetUp();
    ASSERT_TRUE(this->Transact([&](StoreTransaction& t) { return CreateBucket(t, "bkt", 100); }).ok());
  }

  Status Put(const std::string& key, const std::string& bytes = "x", TimeMs at = 500) {
    ObjectRecord o;
    o.bucket = "bkt";
    o.key = key;
    o.digest = FakeDigest(bytes);
    o.size = static_cast<int64_t>(bytes.size());
    o.etag = Md5::HexOf(bytes);
    o.last_modified = at;
    ArtifactRecord a = FakeArtifact(bytes);
    return this->Transact([&](StoreTransaction& t) { return WriteObject(t, o, a); });
  }

  // A page rendered as "key,key,prefix/|token" ('*' after the token when truncated).
  std::string Page(const ObjectListQuery& query) {
    auto page = this->Read([&](StoreReader& r) { return ListObjects(r, "bkt", query); });
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    if (!page.ok()) return "";
    std::string out;
    for (const ObjectRecord& o : page->objects) out += o.key + ",";
    for (const std::string& p : page->common_prefixes) out += p + ",";
    if (page->truncated) out += "|" + page->next_token;
    return out;
  }
};
TYPED_TEST_SUITE(ObjectRecordsTest, StoreBackends, BackendNames);

TEST(ObjectNamesTest, BucketNamesFollowS3) {
  for (const std::string& good : std::vector<std::string>{"abc", "my-bucket.2", "0ab", std::string(63, 'a')}) {
    EXPECT_TRUE(CheckBucketName(good).ok()) << good;
  }
  for (const std::string& bad :
       std::vector<std::string>{"ab", std::string(64, 'a'), "My-Bucket", "a_b", "-ab", "ab.", "a..b"}) {
    Status s = CheckBucketName(bad);
    EXPECT_EQ(ClassifyObjectError(s), ObjectError::kInvalidBucketName) << bad;
  }
  EXPECT_TRUE(CheckObjectKey("runs/a b+c/é.json").ok());
  EXPECT_EQ(ClassifyObjectError(CheckObjectKey("")), ObjectError::kInvalidKey);
  EXPECT_EQ(ClassifyObjectError(CheckObjectKey(std::string(1025, 'k'))), ObjectError::kInvalidKey);
  EXPECT_EQ(ClassifyObjectError(CheckObjectKey("bad\xff")), ObjectError::kInvalidKey);
  EXPECT_EQ(ClassifyObjectError(CheckObjectKey("\xc0\xaf")), ObjectError::kInvalidKey);  // Overlong '/'.
  // Keys that would name a file outside a folder they are read into.
  for (std::string_view bad : std::initializer_list<std::string_view>{
           "../x", "a/../../x", "a/..", "..", "./a", "a/./b", "..\\..\\x", "a\\..", "/etc/passwd",
           std::string_view("a\0b", 3)}) {
    Status status = CheckObjectKey(bad);
    EXPECT_EQ(ClassifyObjectError(status), ObjectError::kInvalidKey) << bad;
  }
  EXPECT_THAT(CheckObjectKey("a/../b").message(), ::testing::HasSubstr("'..' segment"));
  // Dots inside a segment, a backslash alone, and empty segments are plain key text.
  for (std::string_view good :
       std::initializer_list<std::string_view>{"a..b/c", "...", "a/.hidden", "dir\\file.txt", "a//b", "a/"}) {
    EXPECT_TRUE(CheckObjectKey(good).ok()) << good;
  }
  EXPECT_EQ(ClassifyObjectError(Status::NotFound("no such bucket in the context")), ObjectError::kNoSuchBucket);
  EXPECT_EQ(ClassifyObjectError(Status::IOError("no such bucket ")), ObjectError::kOther);
}

TYPED_TEST(ObjectRecordsTest, BucketsAreCreatedListedAndDeletedWhenEmpty) {
  Status again = this->Transact([](StoreTransaction& t) { return CreateBucket(t, "bkt", 1); });
  EXPECT_EQ(ClassifyObjectError(again), ObjectError::kBucketExists);
  ASSERT_TRUE(this->Transact([](StoreTransaction& t) { return CreateBucket(t, "a-bucket", 2); }).ok());
  auto buckets = this->Read([](StoreReader& r) { return ListBuckets(r); });
  ASSERT_TRUE(buckets.ok());
  ASSERT_EQ(buckets->size(), 3u);
  EXPECT_EQ((*buckets)[0].name, "a-bucket");
  EXPECT_EQ((*buckets)[1].created_at, 100);
  EXPECT_EQ((*buckets)[2].name, kArtifactBucket);

  auto missing = this->Read([](StoreReader& r) { return RequireBucket(r, "nope"); });
  EXPECT_EQ(ClassifyObjectError(missing.status()), ObjectError::kNoSuchBucket);
  EXPECT_NE(missing.status().message().find("buckets: a-bucket, b"), std::string::npos);

  ASSERT_TRUE(this->Put("k").ok());
  Status full = this->Transact([](StoreTransaction& t) { return DeleteBucket(t, "bkt"); });
  EXPECT_EQ(ClassifyObjectError(full), ObjectError::kBucketNotEmpty);
  ASSERT_TRUE(this->Transact([](StoreTransaction& t) { return DeleteObject(t, "bkt", "k"); }).ok());
  EXPECT_TRUE(this->Transact([](StoreTransaction& t) { return DeleteBucket(t, "bkt"); }).ok());
  EXPECT_EQ(ClassifyObjectError(this->Transact([](StoreTransaction& t) { return DeleteBucket(t, "bkt"); })),
            ObjectError::kNoSuchBucket);
}

TYPED_TEST(ObjectRecordsTest, TheArtifactsBucketShowsEveryFileArtifactReadOnly) {
  ArtifactRecord report = FakeArtifact("{\"mse\": 4.2}");
  ASSERT_TRUE(this->Transact([&](StoreTransaction& t) { return t.InsertArtifact(report); }).ok());
  const std::string uri = "s3://grove-artifacts/" + ArtifactKey(report.digest);
  auto resolved = this->Read([&](StoreReader& r) { return ResolveS3Uri(r, uri); });
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_EQ(*resolved, report.digest);
  auto object = this->Read([&](StoreReader& r) { return RequireObject(r, "grove-artifacts", ArtifactKey(report.digest)); });
  ASSERT_TRUE(object.ok());
  EXPECT_EQ(object->size, report.size_bytes);
  EXPECT_FALSE(object->etag.empty());

  auto missing = this->Read([](StoreReader& r) { return RequireObject(r, "grove-artifacts", "sha256/0000"); });
  EXPECT_EQ(ClassifyObjectError(missing.status()), ObjectError::kNoSuchKey);
  auto not_a_digest = this->Read([](StoreReader& r) { return RequireObject(r, "grove-artifacts", "models/x"); });
  EXPECT_EQ(ClassifyObjectError(not_a_digest.status()), ObjectError::kNoSuchKey);
  EXPECT_TRUE(this->Read([](StoreReader& r) { return RequireBucket(r, "grove-artifacts"); }).ok());

  ObjectRecord overwrite = *object;
  Status write = this->Transact([&](StoreTransaction& t) { return WriteObject(t, overwrite, report); });
  EXPECT_EQ(ClassifyObjectError(write), ObjectError::kReadOnlyBucket);
  EXPECT_EQ(ClassifyObjectError(this->Transact([&](StoreTransaction& t) {
              return DeleteObject(t, "grove-artifacts", ArtifactKey(report.digest)).status();
            })),
            ObjectError::kReadOnlyBucket);
  EXPECT_EQ(ClassifyObjectError(this->Transact([](StoreTransaction& t) { return CreateBucket(t, "grove-artifacts", 1); })),
            ObjectError::kBucketExists);
}

TYPED_TEST(ObjectRecordsTest, ObjectsRoundTripAndRecordTheirArtifact) {
  ObjectRecord o;
  o.bucket = "bkt";
  o.key = "data/in put+1.csv";
  o.digest = FakeDigest("abc");
  o.size = 3;
  o.etag = Md5::HexOf("abc");
  o.content_type = "text/csv";
  o.metadata = Json{{"owner", "ana"}};
  o.last_modified = 700;
  ASSERT_TRUE(this->Transact([&](StoreTransaction& t) { return WriteObject(t, o, FakeArtifact("abc")); }).ok());
  auto found = this->Read([&](StoreReader& r) { return RequireObject(r, "bkt", o.key); });
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->digest, o.digest);
  EXPECT_EQ(found->size, 3);
  EXPECT_EQ(found->etag, "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(found->content_type, "text/csv");
  EXPECT_EQ(found->metadata.at("owner"), "ana");
  EXPECT_EQ(found->last_modified, 700);
  EXPECT_TRUE(this->store_->GetArtifact(o.digest).ok());

  auto digest = this->Read([&](StoreReader& r) { return ResolveS3Uri(r, "s3://bkt/data/in put+1.csv"); });
  ASSERT_TRUE(digest.ok()) << digest.status().ToString();
  EXPECT_EQ(*digest, o.digest);
  auto bad_uri = this->Read([](StoreReader& r) { return ResolveS3Uri(r, "s3://bkt"); });
  EXPECT_EQ(bad_uri.status().code(), StatusCode::kInvalidArgument);

  auto no_key = this->Read([](StoreReader& r) { return RequireObject(r, "bkt", "nope"); });
  EXPECT_EQ(ClassifyObjectError(no_key.status()), ObjectError::kNoSuchKey);
  auto no_bucket = this->Read([](StoreReader& r) { return RequireObject(r, "zz-top", "k"); });
  EXPECT_EQ(ClassifyObjectError(no_bucket.status()), ObjectError::kNoSuchBucket);
  o.bucket = "zz-top";
  Status orphan = this->Transact([&](StoreTransaction& t) { return WriteObject(t, o, FakeArtifact("abc")); });
  EXPECT_EQ(ClassifyObjectError(orphan), ObjectError::kNoSuchBucket);

  auto deleted = this->Transact([&](StoreTransaction& t) { return DeleteObject(t, "bkt", "data/in put+1.csv"); });
  ASSERT_TRUE(deleted.ok());
  EXPECT_TRUE(*deleted);
  deleted = this->Transact([&](StoreTransaction& t) { return DeleteObject(t, "bkt", "data/in put+1.csv"); });
  EXPECT_FALSE(*deleted);
}

TYPED_TEST(ObjectRecordsTest, ListsPagesWithCommonPrefixes) {
  for (const char* key : {"a.txt", "runs/r0/m.json", "runs/r0/n.json", "runs/r1/m.json", "runs/r2/m.json",
                          "runs/top.json", "z"}) {
    ASSERT_TRUE(this->Put(key).ok());
  }
  EXPECT_EQ(this->Page({}), "a.txt,runs/r0/m.json,runs/r0/n.json,runs/r1/m.json,runs/r2/m.json,runs/top.json,z,");
  EXPECT_EQ(this->Page({"", "/", "", 1000}), "a.txt,z,runs/,");
  EXPECT_EQ(this->Page({"runs/", "/", "", 1000}), "runs/top.json,runs/r0/,runs/r1/,runs/r2/,");
  // Pages of two: a token naming a common prefix resumes after all its keys.
  EXPECT_EQ(this->Page({"runs/", "/", "", 2}), "runs/r0/,runs/r1/,|runs/r1/");
  EXPECT_EQ(this->Page({"runs/", "/", "runs/r1/", 2}), "runs/top.json,runs/r2/,");
  EXPECT_EQ(this->Page({"", "", "", 3}), "a.txt,runs/r0/m.json,runs/r0/n.json,|runs/r0/n.json");
  EXPECT_EQ(this->Page({"", "", "runs/r0/n.json", 3}), "runs/r1/m.json,runs/r2/m.json,runs/top.json,|runs/top.json");
  EXPECT_EQ(this->Page({"", "", "runs/top.json", 3}), "z,");
  EXPECT_EQ(this->Page({"", "", "", 0}), "");
  EXPECT_EQ(this->Page({"nothing/", "/", "", 10}), "");
  auto too_many = this->Read([](StoreReader& r) { return ListObjects(r, "bkt", {"", "", "", 1001}); });
  EXPECT_EQ(too_many.status().code(), StatusCode::kInvalidArgument);
  auto no_bucket = this->Read([](StoreReader& r) { return ListObjects(r, "nope", {}); });
  EXPECT_EQ(ClassifyObjectError(no_bucket.status()), ObjectError::kNoSuchBucket);
}

TYPED_TEST(ObjectRecordsTest, MultipartUploadsKeepPartsAndCheckCompletions) {
  UploadRecord upload{"u1", "bkt", "big.bin", "application/octet-stream", {{"k", "v"}}, 900};
  ASSERT_TRUE(this->Transact([&](StoreTransaction& t) { return WriteUpload(t, upload); }).ok());
  const std::string big(kMinPartBytes, 'p');
  const std::vector<std::pair<int, std::string>> bytes = {{2, "tail"}, {1, big}};
  for (const auto& [number, data] : bytes) {
    PartRecord part{number, FakeDigest(data), static_cast<int64_t>(data.size()), Md5::HexOf(data)};
    ASSERT_TRUE(this->Transact([&](StoreTransaction& t) { return WritePart(t, "bkt", "big.bin", "u1", part); }).ok());
  }
  PartRecord bad{0, "d", 1, "e"};
  EXPECT_EQ(this->Transact([&](StoreTransaction& t) { return WritePart(t, "bkt", "big.bin", "u1", bad); }).code(),
            StatusCode::kInvalidArgument);
  bad.number = 3;
  Status other_key = this->Transact([&](StoreTransaction& t) { return WritePart(t, "bkt", "other", "u1", bad); });
  EXPECT_EQ(ClassifyObjectError(other_key), ObjectError::kNoSuchUpload);

  auto found = this->Read([](StoreReader& r) { return RequireUpload(r, "bkt", "big.bin", "u1"); });
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->metadata.at("k"), "v");
  auto parts = this->Read([](StoreReader& r) { return ListParts(r, "u1"); });
  ASSERT_TRUE(parts.ok());
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].number, 1);

  std::string e1 = Md5::HexOf(big), e2 = Md5::HexOf("tail");
  auto chosen = ChooseParts(*parts, {{1, "\"" + e1 + "\""}, {2, e2}});
  ASSERT_TRUE(chosen.ok()) << chosen.status().ToString();
  EXPECT_EQ(MultipartEtag(*chosen), Md5::HexOf(HexDecodeMd5(e1) + HexDecodeMd5(e2)) + "-2");
  EXPECT_EQ(ClassifyObjectError(ChooseParts(*parts, {{2, e2}, {1, e1}}).status()), ObjectError::kInvalidPartOrder);
  EXPECT_EQ(ClassifyObjectError(ChooseParts(*parts, {{1, e2}}).status()), ObjectError::kInvalidPart);
  EXPECT_EQ(ClassifyObjectError(ChooseParts(*parts, {{1, e1}, {3, e2}}).status()), ObjectError::kInvalidPart);
  EXPECT_EQ(ClassifyObjectError(ChooseParts(*parts, {}).status()), ObjectError::kInvalidPart);
  EXPECT_EQ(ClassifyObjectError(ChooseParts(*parts, {{2, e2}}).status()), ObjectError::kOther);  // Last may be small.
  std::vector<PartRecord> small = {{1, "d", 10, e2}, {2, "d", 10, e2}};
  EXPECT_EQ(ClassifyObjectError(ChooseParts(small, {{1, e2}, {2, e2}}).status()), ObjectError::kEntityTooSmall);

  ASSERT_TRUE(this->Transact([&](StoreTransaction& t) { return DeleteUpload(t, *found); }).ok());
  auto gone = this->Read([](StoreReader& r) { return RequireUpload(r, "bkt", "big.bin", "u1"); });
  EXPECT_EQ(ClassifyObjectError(gone.status()), ObjectError::kNoSuchUpload);
  parts = this->Read([](StoreReader& r) { return ListParts(r, "u1"); });
  EXPECT_TRUE(parts->empty());
}

}  // namespace
}  // namespace grove::store
