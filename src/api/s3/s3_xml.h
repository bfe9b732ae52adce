#pragma once

// The XML bodies of the S3 subset (rest-xml, as botocore 1.43 reads them; see
// docs/api.md "S3"), and the one request body it reads.
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/multipart_records.h"
#include "store/object_records.h"

namespace grove::api::s3 {

// Escapes & < > " ' for element text.
std::string XmlEscape(std::string_view text);

// What a listing request asked for, echoed in its answer.
struct ListRequest {
  std::string bucket;
  store::ObjectListQuery query;  // prefix, delimiter, max_keys.
  std::string continuation_token;  // V2: as sent (empty: none).
  std::string start_after;         // V2: as sent.
  std::string marker;              // V1: as sent.
  bool v2 = true;
};

// <ListBucketResult> of ListObjectsV2 (or, when !request.v2, ListObjects).
// No <EncodingType>: botocore would then URL-decode keys it never encoded.
std::string ListObjectsXml(const ListRequest& request, const store::ObjectListing& page);
// <ListAllMyBucketsResult>.
std::string ListBucketsXml(const std::vector<store::BucketRecord>& buckets);
std::string InitiateUploadXml(const std::string& bucket, const std::string& key, const std::string& upload_id);
// `etag` unquoted.
std::string CompleteUploadXml(const std::string& location, const std::string& bucket, const std::string& key,
                              const std::string& etag);
std::string CopyObjectXml(const std::string& etag, TimeMs last_modified);
// <Error> with Code, Message, then `fields` (e.g. {"Key", "k"}), then RequestId.
std::string ErrorXml(std::string_view code, std::string_view message,
                     const std::vector<std::pair<std::string, std::string>>& fields, std::string_view request_id);

// The parts of a <CompleteMultipartUpload> body, in the order given.
// InvalidArgument (S3's MalformedXML) when it is not one, or a part lacks its
// PartNumber or ETag.
Result<std::vector<store::CompletedPart>> ParseCompleteUpload(std::string_view xml);

// A DeleteObjects (<Delete>) body: the keys, in order, and whether it is Quiet.
// InvalidArgument (MalformedXML) when it is not one, or names no or over 1,000 keys.
struct DeleteRequest {
  std::vector<std::string> keys;
  bool quiet = false;
};
Result<DeleteRequest> ParseDeleteObjects(std::string_view xml);

// <DeleteResult>: each deleted key (none when quiet), then each failure {key, code, message}.
struct DeleteFailure {
  std::string key;
  std::string code;
  std::string message;
};
std::string DeleteResultXml(const std::vector<std::string>& deleted, const std::vector<DeleteFailure>& failed);

}  // namespace grove::api::s3
