#include "api/s3/s3_wire.h"

#include <charconv>
#include <ctime>

#include "api/request_target.h"
#include "api/s3/s3_xml.h"
#include "common/ascii.h"
#include "common/ids.h"

namespace grove::api::s3 {

namespace {

constexpr std::string_view kMetaPrefix = "x-amz-meta-";

std::optional<int64_t> ParseCount(std::string_view text) {
  int64_t value = 0;
  if (text.empty()) return std::nullopt;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

struct ErrorName {
  store::ObjectError kind;
  int status;
  const char* code;
};

constexpr ErrorName kErrorNames[] = {
    {store::ObjectError::kInvalidBucketName, 400, "InvalidBucketName"},
    {store::ObjectError::kInvalidKey, 400, "InvalidArgument"},
    {store::ObjectError::kNoSuchBucket, 404, "NoSuchBucket"},
    {store::ObjectError::kBucketExists, 409, "BucketAlreadyOwnedByYou"},
    {store::ObjectError::kBucketNotEmpty, 409, "BucketNotEmpty"},
    {store::ObjectError::kNoSuchKey, 404, "NoSuchKey"},
    {store::ObjectError::kNoSuchUpload, 404, "NoSuchUpload"},
    {store::ObjectError::kInvalidPart, 400, "InvalidPart"},
    {store::ObjectError::kInvalidPartOrder, 400, "InvalidPartOrder"},
    {store::ObjectError::kEntityTooSmall, 400, "EntityTooSmall"},
    {store::ObjectError::kReadOnlyBucket, 403, "AccessDenied"},
};

}  // namespace

std::optional<app::ByteRange> ParseRange(std::string_view header) {
  constexpr std::string_view kUnit = "bytes=";
  if (header.substr(0, kUnit.size()) != kUnit) return std::nullopt;
  std::string_view spec = header.substr(kUnit.size());
  size_t dash = spec.find('-');
  if (dash == std::string_view::npos || spec.find(',') != std::string_view::npos) return std::nullopt;
  std::string_view first = spec.substr(0, dash), last = spec.substr(dash + 1);
  app::ByteRange range;
  if (first.empty()) {
    range.suffix = ParseCount(last);
    return range.suffix ? std::optional(range) : std::nullopt;
  }
  auto start = ParseCount(first);
  if (!start) return std::nullopt;
  range.first = *start;
  if (!last.empty()) {
    range.last = ParseCount(last);
    if (!range.last || *range.last < range.first) return std::nullopt;
  }
  return range;
}

std::string HttpDate(TimeMs t) {
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t secs = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof(buf), "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

app::ObjectContent ContentFromHeaders(const api::HttpHeaders& headers) {
  app::ObjectContent content;
  content.content_type = std::string(headers.Get("Content-Type").value_or(""));
  for (const auto& [name, value] : headers.fields()) {
    std::string lower = AsciiLowercase(name);
    if (lower.size() > kMetaPrefix.size() && lower.rfind(kMetaPrefix, 0) == 0) {
      content.metadata[lower.substr(kMetaPrefix.size())] = value;
    }
  }
  return content;
}

void SetObjectHeaders(const store::ObjectRecord& object, api::HttpResponse* response) {
  response->content_type = object.content_type.empty() ? "binary/octet-stream" : object.content_type;
  response->headers.Set("ETag", "\"" + object.etag + "\"");
  response->headers.Set("Last-Modified", HttpDate(object.last_modified));
  response->headers.Set("Accept-Ranges", "bytes");
  for (const auto& [name, value] : object.metadata) response->headers.Set(std::string(kMetaPrefix) + name, value);
}

Result<store::S3Uri> ParseCopySource(std::string_view header) {
  std::string_view source = header.substr(0, header.find('?'));
  if (!source.empty() && source.front() == '/') source.remove_prefix(1);
  ASSIGN_OR_RETURN(std::string decoded, api::PercentDecode(source, false));
  size_t slash = decoded.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == decoded.size()) {
    return Status::InvalidArgument("x-amz-copy-source '" + std::string(header) + "' must be /bucket/key");
  }
  return store::S3Uri{decoded.substr(0, slash), decoded.substr(slash + 1)};
}

api::HttpResponse S3ErrorResponse(int status, std::string_view code, std::string_view message,
                                  const ErrorSubject& subject, bool head) {
  std::vector<std::pair<std::string, std::string>> fields;
  if (!subject.bucket.empty()) fields.emplace_back("BucketName", subject.bucket);
  if (!subject.key.empty()) fields.emplace_back("Key", subject.key);
  if (!subject.upload_id.empty()) fields.emplace_back("UploadId", subject.upload_id);
  std::string request_id = NewRequestId();
  api::HttpResponse response;
  response.status = status;
  response.content_type = "application/xml";
  if (!head) response.body = ErrorXml(code, message, fields, request_id);
  response.headers.Set("x-amz-request-id", request_id);
  return response;
}

api::HttpResponse StatusErrorResponse(const Status& status, const ErrorSubject& subject, bool head) {
  store::ObjectError kind = store::ClassifyObjectError(status);
  for (const ErrorName& name : kErrorNames) {
    if (name.kind == kind) return S3ErrorResponse(name.status, name.code, status.message(), subject, head);
  }
  if (status.code() == StatusCode::kInvalidArgument) {
    return S3ErrorResponse(400, "InvalidArgument", status.message(), subject, head);
  }
  return S3ErrorResponse(500, "InternalError", status.message(), subject, head);
}

std::string NewRequestId() { return NewExecutionId(); }

}  // namespace grove::api::s3
