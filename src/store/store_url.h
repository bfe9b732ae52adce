#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "common/status.h"
#include "store/artifact_store.h"
#include "store/metadata_store.h"

namespace grove::store {

// Where a store lives, parsed from its URL. The one place that knows store URLs:
//   sqlite:///abs/path/grove.db   metadata in a SQLite file (or a plain path)
//   file:///abs/path/artifacts    artifacts in a local folder (or a plain path)
//   s3://bucket/prefix            artifacts in an S3-compatible bucket
//   postgresql://user@host:port/db  metadata in PostgreSQL (postgres:// too; store/pg_metadata_store.h)
struct StoreUrl {
  std::string scheme;  // "sqlite", "file", "postgresql", "s3"; empty for a plain path.
  std::string path;    // The local path for sqlite, file and plain paths; else the text after "://".
};

// InvalidArgument for an empty URL, an unknown scheme (naming the known ones),
// or a sqlite/file URL that is not absolute ("sqlite:///abs/path") or names a
// host ("sqlite://host/path"). Plain paths may be relative.
Result<StoreUrl> ParseStoreUrl(const std::string& url);

// Opens (creating and migrating as needed) the metadata store at `url`:
// sqlite:// or a plain path, or postgresql:// (IOError naming the server when
// it cannot be reached). InvalidArgument for a scheme that holds artifacts
// (file://, s3://).
Result<std::unique_ptr<MetadataStore>> OpenMetadataStore(const std::string& url,
                                                         const MetadataStoreOptions& options = {});
struct ArtifactStoreOptions {
  // s3://: the S3 endpoint; empty: AWS's for the region (https://s3.<region>.amazonaws.com; the CLI
  // reads GROVE_S3_ENDPOINT into this). Credentials come from the AWS_* variables.
  std::string s3_endpoint;
  // s3://: the folder for local copies (required), and their size bound (0: none).
  std::filesystem::path cache_dir;
  uint64_t cache_bytes = 0;
};

// Opens (creating as needed) the artifact store at `url`: file:// or a plain
// path, or s3://bucket[/prefix] (store/s3_artifact_store.h). InvalidArgument
// for a scheme that holds metadata (sqlite://, postgresql://), an s3:// URL
// without a bucket or cache folder, or missing credentials.
Result<std::unique_ptr<ArtifactStore>> OpenArtifactStore(const std::string& url,
                                                         const ArtifactStoreOptions& options = {});

}  // namespace grove::store
