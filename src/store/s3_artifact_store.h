#pragma once

// Artifacts in an S3-compatible bucket (AWS S3, MinIO, moto, Grove's own S3),
// content-addressed like the local store:
//   s3://<bucket>/<prefix>/sha256/<first two hex>/<digest>              a file
//   s3://<bucket>/<prefix>/sha256/<first two hex>/<digest>.d/<path>     a folder's files,
//   s3://<bucket>/<prefix>/sha256/<first two hex>/<digest>.manifest     then its file list, written last
// so an artifact is present once its object (or manifest) is. Every artifact
// also lives in a local folder, a local artifact store: Put hashes and keeps it
// there before uploading; LocalPath downloads into it once per machine and
// checks the digest of what arrived. The local copies can be bounded in size.
#include <filesystem>
#include <memory>
#include <string>

#include "common/status.h"
#include "store/artifact_store.h"
#include "store/s3_client.h"

namespace grove::store {

struct S3ArtifactStoreOptions {
  S3ClientOptions client;              // Endpoint, region, credentials, retries, part size.
  std::string bucket;
  std::string prefix;                  // Without leading or trailing '/'; may be empty.
  std::filesystem::path cache_dir;     // The local copies.
  bool create_bucket = false;          // Create the bucket when it does not exist (tests, first use).
  // The local copies' size bound (0: none). Past it, the copies used least
  // recently are deleted (the bucket keeps them) down to 90% of it. A model
  // loads from its copy once, so eviction never affects a loaded model.
  uint64_t cache_bytes = 0;
};

Result<std::unique_ptr<ArtifactStore>> OpenS3ArtifactStore(S3ArtifactStoreOptions options);

}  // namespace grove::store
