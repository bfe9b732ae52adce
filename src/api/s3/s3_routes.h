#pragma once

// The S3 subset, path-style (boto3 and the aws cli with --endpoint-url), over
// app::ObjectStore. Entry of the s3/ subsystem; docs/api.md "S3" is the user's
// view of it.
#include <cstddef>
#include <set>
#include <string>

#include "api/router.h"
#include "app/object_store.h"
#include "common/status.h"

namespace grove::api::s3 {

// Largest body of one PutObject or UploadPart request, held in memory while
// it is stored: 256 MiB. S3's own limits are 5 GiB per PUT and per part;
// boto3 and the aws cli send files of 8 MiB or more as 8 MiB parts, so they
// never come near it. Other routes keep the server's limit.
inline constexpr size_t kMaxUploadBytes = size_t{256} << 20;

// Adds the S3 routes, last, to `router`:
//   GET    /                    ListBuckets
//   PUT    /{bucket}            CreateBucket      HEAD /{bucket}  HeadBucket
//   DELETE /{bucket}            DeleteBucket      GET  /{bucket}  ListObjectsV2 (list-type=2) or ListObjects
//   PUT    /{bucket}/{key...}   PutObject, CopyObject (x-amz-copy-source), UploadPart (?uploadId&partNumber)
//   GET    /{bucket}/{key...}   GetObject (Range, If-Match)   HEAD: HeadObject
//   DELETE /{bucket}/{key...}   DeleteObject, AbortMultipartUpload (?uploadId)
//   POST   /{bucket}/{key...}   CreateMultipartUpload (?uploads), CompleteMultipartUpload (?uploadId)
// REQUIRES: every other route is already added, so Grove's own routes win;
// the first segments of their patterns ("api", "endpoints", "metrics",
// "ping", ...) become reserved bucket names that CreateBucket refuses.
// Signatures are not checked (any SigV4 Authorization is accepted).
// `objects` must outlive the router.
Status AddS3Routes(api::Router* router, app::ObjectStore* objects);

// The first literal segments of the router's patterns: the bucket names its
// routes would shadow.
std::set<std::string> ReservedBucketNames(const api::Router& router);

}  // namespace grove::api::s3
