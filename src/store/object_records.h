#pragma once

// S3-style buckets and objects over the metadata store's resource table, with
// their rules written once for every backend. The bytes of an object are an
// artifact (content-addressed, so equal bytes are stored once); its row holds
// the artifact's digest and what S3 clients see (size, ETag, type, metadata).
//
// Rows (ResourceRecord kind -> name):
//   "s3-bucket"            -> the bucket name; body {}
//   "s3-object/<bucket>"   -> the key; body {digest, size, etag, content_type, metadata};
//                             updated_at is the last-modified time
// Multipart uploads in progress: store/multipart_records.h.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/records.h"
#include "store/store_transaction.h"

namespace grove::store {

inline constexpr const char* kBucketKind = "s3-bucket";
// The kind of the objects of `bucket`: "s3-object/<bucket>".
std::string ObjectKind(std::string_view bucket);

struct BucketRecord {
  std::string name;
  TimeMs created_at = 0;
};

struct ObjectRecord {
  std::string bucket;
  std::string key;
  std::string digest;  // The artifact holding the bytes.
  int64_t size = 0;
  // Unquoted: the MD5 hex of the bytes, or "<md5 of the parts' md5s>-N" after
  // a multipart upload of N parts (MultipartEtag).
  std::string etag;
  std::string content_type;  // Empty: none was given.
  // User metadata: the x-amz-meta-* header names, lowercase, without the prefix.
  std::map<std::string, std::string> metadata;
  TimeMs last_modified = 0;
};

// What an error of this file (and of multipart_records.h) was about, so an
// interface can name it in its own terms (S3's error codes). The messages
// themselves are for people: they say what was wrong and what exists.
enum class ObjectError {
  kOther,              // Not one of these (e.g. an I/O error).
  kInvalidBucketName,  // InvalidArgument
  kInvalidKey,         // InvalidArgument
  kNoSuchBucket,       // NotFound
  kBucketExists,       // AlreadyExists
  kBucketNotEmpty,     // FailedPrecondition
  kNoSuchKey,          // NotFound
  kNoSuchUpload,       // NotFound
  kInvalidPart,        // InvalidArgument: a part not uploaded, or its ETag differs
  kInvalidPartOrder,   // InvalidArgument: part numbers not ascending
  kEntityTooSmall,     // InvalidArgument: a part but the last under 5 MiB
  kReadOnlyBucket,     // FailedPrecondition: a write to kArtifactBucket
};
ObjectError ClassifyObjectError(const Status& status);
// The status of an error of `kind` with `message` (used by multipart_records.cc).
Status ObjectErrorStatus(ObjectError kind, const std::string& message);

// S3's bucket name rule: 3-63 characters of lowercase letters, digits, '.'
// and '-', starting and ending with a letter or digit, no "..".
Status CheckBucketName(std::string_view name);
// 1-1024 bytes of valid UTF-8 (as every text the PostgreSQL store keeps),
// without NUL, without a leading '/', and without a "." or ".." segment
// (between '/' or '\\'), as MinIO asks: keys become file paths where steps
// read a prefix into a folder, and such a key would name a file outside it.
Status CheckObjectKey(std::string_view key);

// The read-only bucket through which every artifact Grove reports (model
// artifacts, evaluation reports, step outputs) can be fetched by S3 URI:
// s3://grove-artifacts/sha256/<digest>. It always exists and lists nothing;
// writes to it are refused (kReadOnlyBucket).
inline constexpr std::string_view kArtifactBucket = "grove-artifacts";
// The key of an artifact in kArtifactBucket.
std::string ArtifactKey(const std::string& digest);
// kReadOnlyBucket for kArtifactBucket, OK for any other bucket.
Status CheckWritable(std::string_view bucket);

// kBucketExists when it exists (S3's BucketAlreadyOwnedByYou: one owner here).
Status CreateBucket(StoreTransaction& txn, const std::string& name, TimeMs now);
// kNoSuchBucket naming the buckets that exist.
Result<BucketRecord> RequireBucket(StoreReader& rows, const std::string& name);
// By name.
Result<std::vector<BucketRecord>> ListBuckets(StoreReader& rows);
// kNoSuchBucket; kBucketNotEmpty while it holds objects.
Status DeleteBucket(StoreTransaction& txn, const std::string& name);

// Inserts or replaces the object's row (its bucket must exist) and records
// `artifact`, the artifact of its bytes, if it is not yet known.
// REQUIRES: artifact.digest == object.digest.
Status WriteObject(StoreTransaction& txn, const ObjectRecord& object, const ArtifactRecord& artifact);
// kNoSuchBucket or kNoSuchKey.
Result<ObjectRecord> RequireObject(StoreReader& rows, const std::string& bucket, const std::string& key);
// kNoSuchBucket; false when there was no such key (not an error, as in S3).
// The artifact stays: other objects or steps may hold the same bytes.
Result<bool> DeleteObject(StoreTransaction& txn, const std::string& bucket, const std::string& key);

struct ObjectListQuery {
  std::string prefix;
  // Keys with `delimiter` after the prefix are rolled up into one common
  // prefix each (up to and including the delimiter). Empty: none.
  std::string delimiter;
  // Start after this key or common prefix: a continuation token (a page's
  // next_token) or S3's start-after. A token naming a common prefix resumes
  // after every key under it.
  std::string after;
  int max_keys = 1000;  // Keys and common prefixes per page, 0-1000.
};

struct ObjectListing {
  std::vector<ObjectRecord> objects;        // In key order (bytes).
  std::vector<std::string> common_prefixes;  // In order.
  bool truncated = false;
  std::string next_token;  // When truncated: the last key or common prefix returned.
};

// One page of the bucket's keys in byte order. kNoSuchBucket;
// InvalidArgument when max_keys is outside 0-1000.
Result<ObjectListing> ListObjects(StoreReader& rows, const std::string& bucket, const ObjectListQuery& query);

// "s3://bucket/key" split into its parts.
struct S3Uri {
  std::string bucket;
  std::string key;
};
// InvalidArgument unless `uri` is s3://<valid bucket>/<valid key>.
Result<S3Uri> ParseS3Uri(std::string_view uri);
// The artifact digest of the object `uri` names (s3://bucket/key), for
// callers outside the S3 interface, e.g. the pipeline materialising a step
// input given as an S3 URI: resolve it here, then ArtifactStore::LocalPath.
// InvalidArgument for a malformed URI; kNoSuchBucket or kNoSuchKey otherwise.
Result<std::string> ResolveS3Uri(StoreReader& rows, std::string_view uri);

}  // namespace grove::store
