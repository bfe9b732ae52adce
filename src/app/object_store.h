#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/home.h"
#include "common/status.h"
#include "store/multipart_records.h"
#include "store/object_records.h"

namespace grove::app {

// What a writer says about an object besides its bytes.
struct ObjectContent {
  std::string content_type;                     // Empty: none.
  std::map<std::string, std::string> metadata;  // x-amz-meta-* names, lowercase, without the prefix.
};

// A byte range as HTTP states it: [first, last] with `last` open when unset,
// or, when `suffix` is set, the last `suffix` bytes.
struct ByteRange {
  int64_t first = 0;
  std::optional<int64_t> last;
  std::optional<int64_t> suffix;
};

// What GetObject read.
struct ObjectRead {
  store::ObjectRecord object;
  bool ranged = false;         // A range was asked for and satisfied: `bytes` is [first, first + size).
  bool unsatisfiable = false;  // A range was asked for that starts past the end: no bytes were read.
  int64_t first = 0;
  std::string bytes;
};

// The use cases of S3-style buckets and objects over the data folder: object
// bytes are artifacts (content-addressed: equal bytes are stored once), their
// names and S3 attributes rows of the metadata store (store/object_records.h).
// Errors carry store::ObjectError kinds (ClassifyObjectError) where S3 names
// them: NoSuchBucket, NoSuchKey, NoSuchUpload, InvalidPart, ...; IOError when
// bytes cannot be stored or read.
//
// Thread-safe: every method is one or two store transactions; concurrent
// writers of one key end with one of their objects (the last to commit).
class ObjectStore {
 public:
  explicit ObjectStore(Home& home) : home_(home) {}

  Status CreateBucket(const std::string& name);
  Result<std::vector<store::BucketRecord>> ListBuckets();
  Result<store::BucketRecord> HeadBucket(const std::string& name);
  // kBucketNotEmpty while it holds objects.
  Status DeleteBucket(const std::string& name);

  // Stores `bytes` (or the file at `path`, left untouched) as bucket/key,
  // replacing what the key held; the ETag is the bytes' MD5.
  Result<store::ObjectRecord> PutObject(const std::string& bucket, const std::string& key, std::string_view bytes,
                                        const ObjectContent& content);
  Result<store::ObjectRecord> PutObjectFile(const std::string& bucket, const std::string& key,
                                            const std::filesystem::path& path, const ObjectContent& content);
  // The object and its bytes, all or `range` of them (see ObjectRead).
  Result<ObjectRead> GetObject(const std::string& bucket, const std::string& key,
                               const std::optional<ByteRange>& range = std::nullopt);
  Result<store::ObjectRecord> HeadObject(const std::string& bucket, const std::string& key);
  // Copies source to destination (the same artifact: no bytes move), with the
  // source's type and metadata, or `replace` when given (S3's
  // MetadataDirective REPLACE).
  Result<store::ObjectRecord> CopyObject(const std::string& source_bucket, const std::string& source_key,
                                         const std::string& bucket, const std::string& key,
                                         const std::optional<ObjectContent>& replace);
  // OK when the key was already gone (as S3); kNoSuchBucket.
  Status DeleteObject(const std::string& bucket, const std::string& key);
  Result<store::ObjectListing> ListObjects(const std::string& bucket, const store::ObjectListQuery& query);

  // Multipart: initiate, upload parts (any order, in parallel, replacing a
  // number uploaded before), complete (the parts listed, concatenated into one
  // artifact; ETag per store::MultipartEtag) or abort.
  Result<store::UploadRecord> CreateUpload(const std::string& bucket, const std::string& key,
                                           const ObjectContent& content);
  Result<store::PartRecord> UploadPart(const std::string& bucket, const std::string& key, const std::string& upload_id,
                                       int number, std::string_view bytes);
  Result<store::ObjectRecord> CompleteUpload(const std::string& bucket, const std::string& key,
                                             const std::string& upload_id,
                                             const std::vector<store::CompletedPart>& parts);
  Status AbortUpload(const std::string& bucket, const std::string& key, const std::string& upload_id);

 private:
  // The row of `artifact` as bucket/key, last modified now.
  store::ObjectRecord MakeObject(const std::string& bucket, const std::string& key,
                                 const store::ArtifactRecord& artifact, std::string etag,
                                 const ObjectContent& content) const;
  // Records `artifact` as bucket/key with `etag` and `content`.
  Result<store::ObjectRecord> Record(const std::string& bucket, const std::string& key,
                                     const store::ArtifactRecord& artifact, std::string etag,
                                     const ObjectContent& content);
  // Checks the key and that the bucket exists before any bytes are stored.
  Status CheckTarget(const std::string& bucket, const std::string& key);
  // Concatenates the parts' artifacts into one new artifact.
  Result<store::ArtifactRecord> Concatenate(const std::string& upload_id, const std::vector<store::PartRecord>& parts);

  Home& home_;
};

}  // namespace grove::app
