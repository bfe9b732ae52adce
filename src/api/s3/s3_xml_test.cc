#include "api/s3/s3_xml.h"

#include <gtest/gtest.h>

namespace grove::api::s3 {
namespace {

TEST(S3XmlTest, ListObjectsV2AsBotocoreReadsIt) {
  ListRequest request;
  request.bucket = "pb";
  request.query.prefix = "runs/";
  request.query.delimiter = "/";
  request.query.max_keys = 2;
  store::ObjectListing page;
  store::ObjectRecord o;
  o.key = "runs/a&b <c>.json";
  o.etag = "99914b93";
  o.size = 2;
  o.last_modified = 1'795'384'293'000;
  page.objects.push_back(o);
  page.common_prefixes.push_back("runs/r1/");
  page.truncated = true;
  page.next_token = "runs/r1/";
  EXPECT_EQ(ListObjectsXml(request, page),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>pb</Name>"
            "<Prefix>runs/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><Delimiter>/</Delimiter>"
            "<IsTruncated>true</IsTruncated><Contents><Key>runs/a&amp;b &lt;c&gt;.json</Key>"
            "<LastModified>2026-11-22T21:51:33.000Z</LastModified><ETag>&quot;99914b93&quot;</ETag>"
            "<Size>2</Size><StorageClass>STANDARD</StorageClass></Contents>"
            "<CommonPrefixes><Prefix>runs/r1/</Prefix></CommonPrefixes>"
            "<NextContinuationToken>runs/r1/</NextContinuationToken></ListBucketResult>");
  EXPECT_EQ(ListObjectsXml(request, page).find("EncodingType"), std::string::npos);
  request.v2 = false;
  request.marker = "m";
  std::string v1 = ListObjectsXml(request, page);
  EXPECT_NE(v1.find("<Marker>m</Marker>"), std::string::npos);
  EXPECT_NE(v1.find("<NextMarker>runs/r1/</NextMarker>"), std::string::npos);
  EXPECT_EQ(v1.find("KeyCount"), std::string::npos);
}

TEST(S3XmlTest, ErrorsAndResults) {
  EXPECT_EQ(ErrorXml("NoSuchKey", "no such key 'k'", {{"Key", "k"}}, "r1"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code>"
            "<Message>no such key &apos;k&apos;</Message><Key>k</Key><RequestId>r1</RequestId></Error>");
  EXPECT_NE(InitiateUploadXml("b", "k", "u").find("<UploadId>u</UploadId>"), std::string::npos);
  EXPECT_NE(CompleteUploadXml("/b/k", "b", "k", "abc-2").find("<ETag>&quot;abc-2&quot;</ETag>"), std::string::npos);
  EXPECT_NE(ListBucketsXml({{"b1", 0}}).find("<Bucket><Name>b1</Name><CreationDate>1970-01-01T00:00:00.000Z"),
            std::string::npos);
}

TEST(S3XmlTest, ReadsDeleteObjectsAndWritesItsResult) {
  auto parsed = ParseDeleteObjects(
      "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Object><Key>a &amp; b</Key></Object>"
      "<Object><Key>c</Key><VersionId>1</VersionId></Object><Quiet>true</Quiet></Delete>");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->keys, (std::vector<std::string>{"a & b", "c"}));
  EXPECT_TRUE(parsed->quiet);
  EXPECT_FALSE(ParseDeleteObjects("<Delete></Delete>").ok());
  EXPECT_FALSE(ParseDeleteObjects("<Delete><Object><Size>1</Size></Object></Delete>").ok());
  EXPECT_EQ(DeleteResultXml({"a & b"}, {{"k", "InvalidArgument", "bad <key>"}}),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DeleteResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
            "<Deleted><Key>a &amp; b</Key></Deleted><Error><Key>k</Key><Code>InvalidArgument</Code>"
            "<Message>bad &lt;key&gt;</Message></Error></DeleteResult>");
}

TEST(S3XmlTest, ReadsCompleteMultipartUpload) {
  auto parts = ParseCompleteUpload(
      "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Part><ETag>&quot;aa&quot;</ETag><PartNumber>1</PartNumber></Part>"
      "<Part><ChecksumCRC32>x==</ChecksumCRC32><ETag>\"bb\"</ETag><PartNumber>2</PartNumber></Part>"
      "</CompleteMultipartUpload>");
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].etag, "\"aa\"");
  EXPECT_EQ((*parts)[1].number, 2);
  EXPECT_EQ((*parts)[1].etag, "\"bb\"");
  for (const char* bad : {"<Other/>", "<CompleteMultipartUpload><Part><ETag>x</ETag></Part></CompleteMultipartUpload>",
                          "<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>e</ETag></Part>",
                          "<CompleteMultipartUpload><Part><PartNumber>1</PartNumber>"}) {
    EXPECT_EQ(ParseCompleteUpload(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace grove::api::s3
