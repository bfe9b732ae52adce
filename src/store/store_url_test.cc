#include "store/store_url.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "common/file_util.h"

namespace grove::store {
namespace {

TEST(StoreUrlTest, ParsesSchemesAndPlainPaths) {
  auto sqlite = ParseStoreUrl("sqlite:///var/lib/grove/grove.db");
  ASSERT_TRUE(sqlite.ok()) << sqlite.status().ToString();
  EXPECT_EQ(sqlite->scheme, "sqlite");
  EXPECT_EQ(sqlite->path, "/var/lib/grove/grove.db");
  auto file = ParseStoreUrl("file:///var/lib/grove/artifacts");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->scheme, "file");
  EXPECT_EQ(file->path, "/var/lib/grove/artifacts");
  auto plain = ParseStoreUrl(".grove/grove.db");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->scheme, "");
  EXPECT_EQ(plain->path, ".grove/grove.db");
  EXPECT_EQ(ParseStoreUrl("postgresql://grove@db:5432/grove")->scheme, "postgresql");
  EXPECT_EQ(ParseStoreUrl("postgres://db/grove")->scheme, "postgresql");
  EXPECT_EQ(ParseStoreUrl("s3://bucket/prefix")->path, "bucket/prefix");
}

TEST(StoreUrlTest, RejectsEmptyUnknownAndRelativeUrls) {
  EXPECT_EQ(ParseStoreUrl("").status().code(), StatusCode::kInvalidArgument);
  Status unknown = ParseStoreUrl("mysql://db/grove").status();
  EXPECT_EQ(unknown.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.message().find("unknown store URL scheme 'mysql://'"), std::string::npos) << unknown.message();
  EXPECT_NE(unknown.message().find("sqlite://"), std::string::npos) << unknown.message();
  for (const char* url : {"sqlite://grove.db", "sqlite://host/grove.db", "file://", "sqlite://"}) {
    Status s = ParseStoreUrl(url).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << url;
    EXPECT_NE(s.message().find(":///absolute/path"), std::string::npos) << s.message();
  }
}

TEST(StoreUrlTest, OpensSqliteAndLocalStoresByUrlOrPath) {
  TempDir dir;
  auto by_url = OpenMetadataStore("sqlite://" + (dir.path() / "a" / "grove.db").string());
  ASSERT_TRUE(by_url.ok()) << by_url.status().ToString();
  ASSERT_TRUE((*by_url)->PutDefinition({"p", 0, "", "steps: []", "", 0}, "").ok());
  auto by_path = OpenMetadataStore((dir.path() / "a" / "grove.db").string());
  ASSERT_TRUE(by_path.ok()) << by_path.status().ToString();
  EXPECT_EQ((*by_path)->GetPipeline("p")->latest_version, 1);  // The same file.

  auto artifacts = OpenArtifactStore("file://" + (dir.path() / "artifacts").string());
  ASSERT_TRUE(artifacts.ok()) << artifacts.status().ToString();
  auto put = (*artifacts)->PutBytes("hello");
  ASSERT_TRUE(put.ok());
  auto again = OpenArtifactStore((dir.path() / "artifacts").string());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE((*again)->Contains(put->digest));
}

TEST(StoreUrlTest, AnUnreachablePostgresqlServerIsNamedWithoutItsPassword) {
  Status pg = OpenMetadataStore("postgresql://grove:s3cret@127.0.0.1:1/grove?connect_timeout=2").status();
  EXPECT_EQ(pg.code(), StatusCode::kIOError);
  EXPECT_NE(pg.message().find("cannot connect to metadata store postgresql://grove:***@127.0.0.1:1/grove"),
            std::string::npos)
      << pg.message();
  EXPECT_EQ(pg.message().find("s3cret"), std::string::npos) << pg.message();
}

TEST(StoreUrlTest, AnS3StoreNeedsABucketACacheAndCredentials) {
  ArtifactStoreOptions options;
  Status no_cache = OpenArtifactStore("s3://bucket/artifacts", options).status();
  EXPECT_EQ(no_cache.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_cache.message().find("cache folder"), std::string::npos) << no_cache.message();
  options.cache_dir = "/tmp/unused-s3-cache";
  EXPECT_EQ(OpenArtifactStore("s3:///artifacts", options).status().code(), StatusCode::kInvalidArgument);
  const char* saved = std::getenv("AWS_ACCESS_KEY_ID");
  std::string kept = saved ? saved : "";
  unsetenv("AWS_ACCESS_KEY_ID");
  Status no_key = OpenArtifactStore("s3://bucket/artifacts", options).status();
  if (saved) setenv("AWS_ACCESS_KEY_ID", kept.c_str(), 1);
  EXPECT_EQ(no_key.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_key.message().find("AWS_ACCESS_KEY_ID"), std::string::npos) << no_key.message();
}

TEST(StoreUrlTest, AStoreOfTheOtherKindIsRefused) {
  Status artifacts_as_metadata = OpenMetadataStore("s3://bucket/x").status();
  EXPECT_EQ(artifacts_as_metadata.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(artifacts_as_metadata.message().find("is not a metadata store URL"), std::string::npos);
  EXPECT_EQ(OpenMetadataStore("file:///tmp/x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenArtifactStore("sqlite:///tmp/grove.db").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(OpenArtifactStore("postgresql://db/grove").status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace grove::store
