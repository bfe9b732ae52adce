#include "store/store_url.h"

#include "store/local_artifact_store.h"
#include "store/pg_metadata_store.h"
#include "store/s3_artifact_store.h"

namespace grove::store {

namespace {

constexpr const char* kSqlite = "sqlite";
constexpr const char* kFile = "file";
constexpr const char* kPostgres = "postgresql";
constexpr const char* kS3 = "s3";

constexpr const char* kKnownSchemes = "sqlite://, file://, postgresql://, s3://, or a plain path";

Status WrongKind(const std::string& original, const StoreUrl& url, const std::string& what) {
  return Status::InvalidArgument("'" + original + "' is not a " + what + " store URL (" + url.scheme +
                                 ":// holds " + (what == "metadata" ? "artifacts" : "metadata") + ")");
}

}  // namespace

Result<StoreUrl> ParseStoreUrl(const std::string& url) {
  if (url.empty()) return Status::InvalidArgument("the store URL is empty");
  size_t sep = url.find("://");
  if (sep == std::string::npos) return StoreUrl{"", url};
  StoreUrl parsed{url.substr(0, sep), url.substr(sep + 3)};
  if (parsed.scheme == "postgres") parsed.scheme = kPostgres;
  if (parsed.scheme == kPostgres || parsed.scheme == kS3) return parsed;
  if (parsed.scheme != kSqlite && parsed.scheme != kFile) {
    return Status::InvalidArgument("unknown store URL scheme '" + parsed.scheme + "://' in '" + url +
                                   "'; expected " + kKnownSchemes);
  }
  if (parsed.path.empty() || parsed.path.front() != '/') {
    return Status::InvalidArgument("'" + url + "' is not an absolute " + parsed.scheme + " URL; write " +
                                   parsed.scheme + ":///absolute/path (three slashes; no host)");
  }
  return parsed;
}

Result<std::unique_ptr<MetadataStore>> OpenMetadataStore(const std::string& url,
                                                         const MetadataStoreOptions& options) {
  ASSIGN_OR_RETURN(StoreUrl parsed, ParseStoreUrl(url));
  if (parsed.scheme.empty() || parsed.scheme == kSqlite) return OpenSqliteMetadataStore(parsed.path, options);
  if (parsed.scheme == kPostgres) {
    // libpq reads the whole URL (postgres:// too), with its query parameters.
    ASSIGN_OR_RETURN(std::unique_ptr<PgMetadataStore> store, PgMetadataStore::Open(url, options));
    return std::unique_ptr<MetadataStore>(std::move(store));
  }
  return WrongKind(url, parsed, "metadata");
}

Result<std::unique_ptr<ArtifactStore>> OpenArtifactStore(const std::string& url, const ArtifactStoreOptions& options) {
  ASSIGN_OR_RETURN(StoreUrl parsed, ParseStoreUrl(url));
  if (parsed.scheme.empty() || parsed.scheme == kFile) return OpenLocalArtifactStore(parsed.path);
  if (parsed.scheme != kS3) return WrongKind(url, parsed, "artifact");
  S3ArtifactStoreOptions s3;
  const size_t slash = parsed.path.find('/');
  s3.bucket = parsed.path.substr(0, slash);
  s3.prefix = slash == std::string::npos ? "" : parsed.path.substr(slash + 1);
  if (s3.bucket.empty()) return Status::InvalidArgument("'" + url + "' names no bucket; write s3://bucket/prefix");
  if (options.cache_dir.empty()) return Status::InvalidArgument("'" + url + "': an S3 artifact store needs a cache folder");
  s3.cache_dir = options.cache_dir;
  s3.cache_bytes = options.cache_bytes;
  ASSIGN_OR_RETURN(s3.client.credentials, S3Credentials::FromEnvironment());
  s3.client.endpoint = options.s3_endpoint;
  if (s3.client.endpoint.empty()) s3.client.endpoint = "https://s3." + RegionFromEnvironment() + ".amazonaws.com";
  return OpenS3ArtifactStore(std::move(s3));
}

}  // namespace grove::store
