#pragma once

// The S3 subset's HTTP details apart from routing: Range headers, dates,
// metadata headers, the copy source, and errors as S3 names them.
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "api/http_types.h"
#include "app/object_store.h"
#include "common/clock.h"
#include "common/status.h"
#include "store/object_records.h"

namespace grove::api::s3 {

// A single "bytes=a-b", "bytes=a-" or "bytes=-n" range. nullopt for anything
// else (no header, other units, several ranges, last < first): HTTP lets a
// server then send the whole object, as S3 does.
std::optional<app::ByteRange> ParseRange(std::string_view header);

// RFC 1123 in GMT, as Last-Modified: "Sun, 22 Nov 2026 21:51:33 GMT".
std::string HttpDate(TimeMs t);

// Content-Type and the x-amz-meta-* headers of a request (names lowercased,
// prefix dropped).
app::ObjectContent ContentFromHeaders(const api::HttpHeaders& headers);

// Sets ETag (quoted), Last-Modified, Content-Type (S3's binary/octet-stream
// when none was given), Accept-Ranges and x-amz-meta-* for `object`.
void SetObjectHeaders(const store::ObjectRecord& object, api::HttpResponse* response);

// The x-amz-copy-source header ("/bucket/key" or "bucket/key",
// percent-encoded; a "?versionId=" is ignored). InvalidArgument otherwise.
Result<store::S3Uri> ParseCopySource(std::string_view header);

// What an error is about, named in S3's error body.
struct ErrorSubject {
  ErrorSubject(std::string b = "", std::string k = "", std::string u = "")
      : bucket(std::move(b)), key(std::move(k)), upload_id(std::move(u)) {}

  std::string bucket;
  std::string key;
  std::string upload_id;
};

// An S3 error: `status`, Content-Type application/xml, an <Error> body with
// `code` and `message` (none for HEAD, whose answers carry no body), and an
// x-amz-request-id header.
api::HttpResponse S3ErrorResponse(int status, std::string_view code, std::string_view message,
                                  const ErrorSubject& subject = {}, bool head = false);
// A Status from the use cases as its S3 error: store::ObjectError kinds by
// their S3 names (NoSuchBucket, NoSuchKey, BucketAlreadyOwnedByYou,
// InvalidPart, ...), other InvalidArgument as 400 InvalidArgument, anything
// else 500 InternalError.
api::HttpResponse StatusErrorResponse(const Status& status, const ErrorSubject& subject, bool head = false);

// A fresh id for x-amz-request-id and <RequestId>.
std::string NewRequestId();

}  // namespace grove::api::s3
