#include "api/s3/s3_routes.h"

#include <charconv>
#include <memory>

#include "api/s3/s3_wire.h"
#include "api/s3/s3_xml.h"

namespace grove::api::s3 {

namespace {

using api::HttpRequest;
using api::HttpResponse;

HttpResponse XmlResponse(int status, std::string body) {
  HttpResponse response = api::TextResponse(status, std::move(body), "application/xml");
  response.headers.Set("x-amz-request-id", NewRequestId());
  return response;
}

HttpResponse Empty(int status) {
  HttpResponse response;
  response.status = status;
  response.content_type.clear();
  response.headers.Set("x-amz-request-id", NewRequestId());
  return response;
}

// The answer to a stored PutObject or UploadPart: 200 with the quoted ETag.
HttpResponse Stored(const std::string& etag) {
  HttpResponse response = Empty(200);
  response.headers.Set("ETag", "\"" + etag + "\"");
  return response;
}

std::optional<int> ParseInt(std::string_view text) {
  int value = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string Query(const HttpRequest& request, std::string_view name) {
  return std::string(request.QueryParam(name).value_or(""));
}

// S3 sub-resources this subset does not serve; a request naming one gets 501
// rather than an answer to another operation (e.g. GET ?acl the object's bytes).
constexpr std::string_view kUnsupported[] = {
    "accelerate", "acl", "analytics", "attributes", "cors", "delete", "encryption", "intelligent-tiering",
    "inventory", "legal-hold", "lifecycle", "logging", "metrics", "notification", "object-lock",
    "ownershipControls", "policy", "policyStatus", "publicAccessBlock", "replication", "requestPayment",
    "restore", "retention", "select", "tagging", "torrent", "versioning", "versions", "website"};

std::optional<HttpResponse> Unsupported(const HttpRequest& request) {
  for (const auto& [name, value] : request.query) {
    for (std::string_view unsupported : kUnsupported) {
      if (name != unsupported) continue;
      if (name == "delete" && request.method == "POST" && request.PathParam("key").empty()) continue;  // DeleteObjects
      return S3ErrorResponse(501, "NotImplemented",
                             "Grove's S3 subset does not implement ?" + name + " (see docs/api.md, \"S3\")", {},
                             request.method == "HEAD");
    }
  }
  if (request.method == "GET" && request.QueryParam("uploads") && request.PathParam("key").empty()) {
    return S3ErrorResponse(501, "NotImplemented", "ListMultipartUploads is not implemented");
  }
  return std::nullopt;
}

// The handlers of every S3 operation, sharing the object store and the
// reserved bucket names. Thread-safe: no state of its own changes.
class S3Api {
 public:
  S3Api(app::ObjectStore* objects, std::set<std::string> reserved)
      : objects_(objects), reserved_(std::move(reserved)) {}

  HttpResponse ListBuckets(const HttpRequest&) {
    auto buckets = objects_->ListBuckets();
    if (!buckets.ok()) return StatusErrorResponse(buckets.status(), {});
    return XmlResponse(200, ListBucketsXml(*buckets));
  }

  HttpResponse CreateBucket(const HttpRequest& request) {
    std::string bucket(request.PathParam("bucket"));
    if (reserved_.count(bucket) > 0) {
      return S3ErrorResponse(400, "InvalidBucketName",
                             "bucket name '" + bucket + "' is reserved: Grove's own routes start with /" + bucket,
                             {bucket});
    }
    if (Status s = objects_->CreateBucket(bucket); !s.ok()) return StatusErrorResponse(s, {bucket});
    HttpResponse response = Empty(200);
    response.headers.Set("Location", "/" + bucket);
    return response;
  }

  HttpResponse HeadBucket(const HttpRequest& request) {
    std::string bucket(request.PathParam("bucket"));
    auto found = objects_->HeadBucket(bucket);
    if (!found.ok()) return StatusErrorResponse(found.status(), {bucket}, /*head=*/true);
    return Empty(200);
  }

  HttpResponse DeleteBucket(const HttpRequest& request) {
    std::string bucket(request.PathParam("bucket"));
    if (Status s = objects_->DeleteBucket(bucket); !s.ok()) return StatusErrorResponse(s, {bucket});
    return Empty(204);
  }

  HttpResponse ListObjects(const HttpRequest& request) {
    ListRequest list;
    list.bucket = std::string(request.PathParam("bucket"));
    if (request.QueryParam("location")) return Location(list.bucket);
    list.v2 = Query(request, "list-type") == "2";
    list.query.prefix = Query(request, "prefix");
    list.query.delimiter = Query(request, "delimiter");
    if (auto max = request.QueryParam("max-keys")) {
      auto parsed = ParseInt(*max);
      if (!parsed || *parsed < 0) {
        return S3ErrorResponse(400, "InvalidArgument", "max-keys must be a number from 0, not '" + std::string(*max) + "'",
                               {list.bucket});
      }
      list.query.max_keys = std::min(*parsed, 1000);  // S3 caps it too.
    }
    list.continuation_token = Query(request, "continuation-token");
    list.start_after = Query(request, "start-after");
    list.marker = Query(request, "marker");
    if (list.v2) {
      list.query.after = list.continuation_token.empty() ? list.start_after : list.continuation_token;
    } else {
      list.query.after = list.marker;
    }
    auto page = objects_->ListObjects(list.bucket, list.query);
    if (!page.ok()) return StatusErrorResponse(page.status(), {list.bucket});
    return XmlResponse(200, ListObjectsXml(list, *page));
  }

  HttpResponse Put(const HttpRequest& request) {
    if (request.QueryParam("uploadId") || request.QueryParam("partNumber")) return UploadPart(request);
    if (request.headers.Has("x-amz-copy-source")) return CopyObject(request);
    ErrorSubject subject = Subject(request);
    auto put = objects_->PutObject(subject.bucket, subject.key, request.body, ContentFromHeaders(request.headers));
    return put.ok() ? Stored(put->etag) : StatusErrorResponse(put.status(), subject);
  }

  HttpResponse Get(const HttpRequest& request) {
    ErrorSubject subject = Subject(request);
    std::optional<app::ByteRange> range;
    if (auto header = request.headers.Get("Range")) range = ParseRange(*header);
    auto read = objects_->GetObject(subject.bucket, subject.key, range);
    if (!read.ok()) return StatusErrorResponse(read.status(), subject);
    if (auto failed = CheckIfMatch(request, read->object, subject)) return *failed;
    if (read->unsatisfiable) {
      HttpResponse response = S3ErrorResponse(416, "InvalidRange", "the requested range is not satisfiable", subject);
      response.headers.Set("Content-Range", "bytes */" + std::to_string(read->object.size));
      return response;
    }
    HttpResponse response = Empty(read->ranged ? 206 : 200);
    SetObjectHeaders(read->object, &response);
    if (read->ranged) {
      int64_t last = read->first + static_cast<int64_t>(read->bytes.size()) - 1;
      response.headers.Set("Content-Range", "bytes " + std::to_string(read->first) + "-" + std::to_string(last) +
                                                "/" + std::to_string(read->object.size));
    }
    response.body = std::move(read->bytes);
    return response;
  }

  HttpResponse Head(const HttpRequest& request) {
    ErrorSubject subject = Subject(request);
    auto object = objects_->HeadObject(subject.bucket, subject.key);
    if (!object.ok()) return StatusErrorResponse(object.status(), subject, /*head=*/true);
    if (auto failed = CheckIfMatch(request, *object, subject)) {
      failed->body.clear();
      return *failed;
    }
    HttpResponse response = Empty(200);
    SetObjectHeaders(*object, &response);
    response.head_content_length = static_cast<uint64_t>(object->size);
    return response;
  }

  HttpResponse Delete(const HttpRequest& request) {
    ErrorSubject subject = Subject(request);
    if (request.QueryParam("uploadId")) {
      subject.upload_id = Query(request, "uploadId");
      Status s = objects_->AbortUpload(subject.bucket, subject.key, subject.upload_id);
      return s.ok() ? Empty(204) : StatusErrorResponse(s, subject);
    }
    Status s = objects_->DeleteObject(subject.bucket, subject.key);
    return s.ok() ? Empty(204) : StatusErrorResponse(s, subject);
  }

  // DeleteObjects: POST /{bucket}?delete with a <Delete> body. A key that is
  // not there counts as deleted, as in S3.
  HttpResponse PostBucket(const HttpRequest& request) {
    ErrorSubject subject = Subject(request);
    if (!request.QueryParam("delete")) {
      return S3ErrorResponse(501, "NotImplemented", "POST on a bucket takes ?delete (DeleteObjects)", subject);
    }
    auto parsed = ParseDeleteObjects(request.body);
    if (!parsed.ok()) return S3ErrorResponse(400, "MalformedXML", parsed.status().message(), subject);
    if (auto bucket = objects_->HeadBucket(subject.bucket); !bucket.ok()) {
      return StatusErrorResponse(bucket.status(), subject);
    }
    std::vector<std::string> deleted;
    std::vector<DeleteFailure> failed;
    for (const std::string& key : parsed->keys) {
      Status s = objects_->DeleteObject(subject.bucket, key);
      if (s.ok()) {
        if (!parsed->quiet) deleted.push_back(key);
      } else {
        failed.push_back({key, s.code() == StatusCode::kInvalidArgument ? "InvalidArgument" : "InternalError",
                          s.message()});
      }
    }
    return XmlResponse(200, DeleteResultXml(deleted, failed));
  }

  HttpResponse Post(const HttpRequest& request) {
    ErrorSubject subject = Subject(request);
    if (request.QueryParam("uploads")) {
      auto upload = objects_->CreateUpload(subject.bucket, subject.key, ContentFromHeaders(request.headers));
      if (!upload.ok()) return StatusErrorResponse(upload.status(), subject);
      return XmlResponse(200, InitiateUploadXml(subject.bucket, subject.key, upload->id));
    }
    if (!request.QueryParam("uploadId")) {
      return S3ErrorResponse(501, "NotImplemented", "POST on an object takes ?uploads or ?uploadId=", subject);
    }
    subject.upload_id = Query(request, "uploadId");
    auto parts = ParseCompleteUpload(request.body);
    if (!parts.ok()) return S3ErrorResponse(400, "MalformedXML", parts.status().message(), subject);
    auto done = objects_->CompleteUpload(subject.bucket, subject.key, subject.upload_id, *parts);
    if (!done.ok()) return StatusErrorResponse(done.status(), subject);
    return XmlResponse(200, CompleteUploadXml("/" + subject.bucket + "/" + subject.key, subject.bucket, subject.key,
                                              done->etag));
  }

 private:
  // GetBucketLocation: every bucket is in us-east-1, which S3 names by an empty constraint.
  HttpResponse Location(const std::string& bucket) {
    auto found = objects_->HeadBucket(bucket);
    if (!found.ok()) return StatusErrorResponse(found.status(), {bucket});
    return XmlResponse(200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint "
                            "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>");
  }

  static ErrorSubject Subject(const HttpRequest& request) {
    return {std::string(request.PathParam("bucket")), std::string(request.PathParam("key")), ""};
  }

  // 412 when If-Match names another ETag (download_file sends the HEAD's).
  static std::optional<HttpResponse> CheckIfMatch(const HttpRequest& request, const store::ObjectRecord& object,
                                                  const ErrorSubject& subject) {
    auto want = request.headers.Get("If-Match");
    if (!want || *want == "*" || *want == "\"" + object.etag + "\"" || *want == object.etag) return std::nullopt;
    return S3ErrorResponse(412, "PreconditionFailed", "the object's ETag is \"" + object.etag + "\", not " +
                                                          std::string(*want), subject);
  }

  HttpResponse UploadPart(const HttpRequest& request) {
    ErrorSubject subject = Subject(request);
    subject.upload_id = Query(request, "uploadId");
    auto number = ParseInt(request.QueryParam("partNumber").value_or(""));
    if (!number) return S3ErrorResponse(400, "InvalidArgument", "partNumber must be a number from 1 to 10000", subject);
    auto part = objects_->UploadPart(subject.bucket, subject.key, subject.upload_id, *number, request.body);
    return part.ok() ? Stored(part->etag) : StatusErrorResponse(part.status(), subject);
  }

  HttpResponse CopyObject(const HttpRequest& request) {
    ErrorSubject subject = Subject(request);
    auto source = ParseCopySource(*request.headers.Get("x-amz-copy-source"));
    if (!source.ok()) return StatusErrorResponse(source.status(), subject);
    std::optional<app::ObjectContent> replace;
    if (request.headers.Get("x-amz-metadata-directive").value_or("COPY") == "REPLACE") {
      replace = ContentFromHeaders(request.headers);
    }
    auto copied = objects_->CopyObject(source->bucket, source->key, subject.bucket, subject.key, replace);
    if (!copied.ok()) {
      bool source_missing = store::ClassifyObjectError(copied.status()) == store::ObjectError::kNoSuchKey;
      return StatusErrorResponse(copied.status(), source_missing ? ErrorSubject{source->bucket, source->key, ""} : subject);
    }
    return XmlResponse(200, CopyObjectXml(copied->etag, copied->last_modified));
  }

  app::ObjectStore* objects_;
  const std::set<std::string> reserved_;
};

}  // namespace

std::set<std::string> ReservedBucketNames(const api::Router& router) {
  std::set<std::string> reserved;
  for (const std::string& rule : router.Describe()) {
    std::string_view pattern = std::string_view(rule).substr(rule.find(' ') + 1);
    std::string_view first = pattern.substr(1, pattern.find('/', 1) - 1);
    if (!first.empty() && first.front() != '{') reserved.emplace(first);
  }
  return reserved;
}

Status AddS3Routes(api::Router* router, app::ObjectStore* objects) {
  auto api = std::make_shared<S3Api>(objects, ReservedBucketNames(*router));
  auto bind = [api](HttpResponse (S3Api::*method)(const HttpRequest&)) {
    return [api, method](const HttpRequest& request) {
      if (auto unsupported = Unsupported(request)) return *unsupported;
      return ((*api).*method)(request);
    };
  };
  RETURN_IF_ERROR(router->Add("GET", "/", bind(&S3Api::ListBuckets)));
  RETURN_IF_ERROR(router->Add("PUT", "/{bucket}", bind(&S3Api::CreateBucket)));
  RETURN_IF_ERROR(router->Add("HEAD", "/{bucket}", bind(&S3Api::HeadBucket)));
  RETURN_IF_ERROR(router->Add("DELETE", "/{bucket}", bind(&S3Api::DeleteBucket)));
  RETURN_IF_ERROR(router->Add("GET", "/{bucket}", bind(&S3Api::ListObjects)));
  RETURN_IF_ERROR(router->Add("POST", "/{bucket}", bind(&S3Api::PostBucket)));
  RETURN_IF_ERROR(router->Add("PUT", "/{bucket}/{key...}", bind(&S3Api::Put), kMaxUploadBytes));
  RETURN_IF_ERROR(router->Add("GET", "/{bucket}/{key...}", bind(&S3Api::Get)));
  RETURN_IF_ERROR(router->Add("HEAD", "/{bucket}/{key...}", bind(&S3Api::Head)));
  RETURN_IF_ERROR(router->Add("DELETE", "/{bucket}/{key...}", bind(&S3Api::Delete)));
  return router->Add("POST", "/{bucket}/{key...}", bind(&S3Api::Post), kMaxUploadBytes);
}

}  // namespace grove::api::s3
