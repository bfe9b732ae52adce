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
//   postgresql://... (postgres://), s3://...   recognised, not implemented yet
struct StoreUrl {
  std::string scheme;  // "sqlite", "file", "postgresql", "s3"; empty for a plain path.
  std::string path;    // The local path for sqlite, file and plain paths; else the text after "://".
};

// InvalidArgument for an empty URL, an unknown scheme (naming the known ones),
// or a sqlite/file URL that is not absolute ("sqlite:///abs/path") or names a
// host ("sqlite://host/path"). Plain paths may be relative.
Result<StoreUrl> ParseStoreUrl(const std::string& url);

// Opens (creating and migrating as needed) the metadata store at `url`:
// sqlite:// or a plain path. Unimplemented naming the scheme for postgresql://;
// InvalidArgument for a scheme that holds artifacts (file://, s3://).
Result<std::unique_ptr<MetadataStore>> OpenMetadataStore(const std::string& url,
                                                         const MetadataStoreOptions& options = {});
// Opens (creating as needed) the artifact store at `url`: file:// or a plain
// path. Unimplemented naming the scheme for s3://; InvalidArgument for a scheme
// that holds metadata (sqlite://, postgresql://).
Result<std::unique_ptr<ArtifactStore>> OpenArtifactStore(const std::string& url);

}  // namespace grove::store
