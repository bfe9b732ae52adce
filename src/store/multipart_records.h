#pragma once

// S3 multipart uploads in progress, over the resource table (the rules of
// buckets and objects: object_records.h). A part's bytes are an artifact;
// completing an upload concatenates the chosen parts into the object's
// artifact (app/object_store.h does the bytes) and drops these rows.
//
// Rows (ResourceRecord kind -> name):
//   "s3-upload/<bucket>"   -> the upload id; body {key, content_type, metadata}
//   "s3-part/<upload id>"  -> the part number, zero-padded to 5 digits (so
//                             byte order is number order); body {digest, size, etag}

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/object_records.h"
#include "store/store_transaction.h"

namespace grove::store {

// S3's limits: part numbers 1-10000; every part but the last at least 5 MiB.
inline constexpr int kMaxPartNumber = 10000;
inline constexpr int64_t kMinPartBytes = 5 * 1024 * 1024;

struct UploadRecord {
  std::string id;
  std::string bucket;
  std::string key;
  std::string content_type;
  std::map<std::string, std::string> metadata;
  TimeMs initiated_at = 0;
};

struct PartRecord {
  int number = 0;
  std::string digest;  // The artifact of the part's bytes.
  int64_t size = 0;
  std::string etag;  // Unquoted MD5 hex of the part's bytes.
};

// A part as the completing client lists it.
struct CompletedPart {
  int number = 0;
  std::string etag;  // Quoted or not.
};

// Records a new upload (its bucket must exist; upload.id must be new and unique).
Status WriteUpload(StoreTransaction& txn, const UploadRecord& upload);
// The upload `id` of bucket/key: kNoSuchBucket or kNoSuchUpload.
Result<UploadRecord> RequireUpload(StoreReader& rows, const std::string& bucket, const std::string& key,
                                   const std::string& id);
// Records (or replaces) a part of `upload_id`, which must be in progress.
// InvalidArgument for a part number outside 1-10000.
Status WritePart(StoreTransaction& txn, const std::string& bucket, const std::string& key,
                 const std::string& upload_id, const PartRecord& part);
// The parts uploaded so far, by number.
Result<std::vector<PartRecord>> ListParts(StoreReader& rows, const std::string& upload_id);
// Drops the upload and its parts' rows (their artifacts stay).
Status DeleteUpload(StoreTransaction& txn, const UploadRecord& upload);

// The parts a completion names, checked against those uploaded: at least one,
// ascending numbers (kInvalidPartOrder), each uploaded with that ETag
// (kInvalidPart), each but the last at least kMinPartBytes (kEntityTooSmall).
Result<std::vector<PartRecord>> ChooseParts(const std::vector<PartRecord>& uploaded,
                                            const std::vector<CompletedPart>& requested);
// S3's ETag of a multipart object: the MD5 hex of the concatenated raw MD5s
// of `parts`, then "-<number of parts>".
std::string MultipartEtag(const std::vector<PartRecord>& parts);

}  // namespace grove::store
