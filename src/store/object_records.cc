#include "store/object_records.h"

#include <algorithm>

#include "common/utf8.h"
#include "store/messages.h"

namespace grove::store {

namespace {

struct ErrorForm {
  ObjectError kind;
  StatusCode code;
  const char* prefix;  // Every message of the kind starts with it.
};

constexpr ErrorForm kErrorForms[] = {
    {ObjectError::kInvalidBucketName, StatusCode::kInvalidArgument, "invalid bucket name "},
    {ObjectError::kInvalidKey, StatusCode::kInvalidArgument, "invalid key: "},
    {ObjectError::kNoSuchBucket, StatusCode::kNotFound, "no such bucket "},
    {ObjectError::kBucketExists, StatusCode::kAlreadyExists, "bucket already exists: "},
    {ObjectError::kBucketNotEmpty, StatusCode::kFailedPrecondition, "bucket not empty: "},
    {ObjectError::kNoSuchKey, StatusCode::kNotFound, "no such key "},
    {ObjectError::kNoSuchUpload, StatusCode::kNotFound, "no such multipart upload "},
    {ObjectError::kInvalidPart, StatusCode::kInvalidArgument, "invalid part: "},
    {ObjectError::kInvalidPartOrder, StatusCode::kInvalidArgument, "invalid part order: "},
    {ObjectError::kEntityTooSmall, StatusCode::kInvalidArgument, "part too small: "},
    {ObjectError::kReadOnlyBucket, StatusCode::kFailedPrecondition, "read-only bucket: "},
};

constexpr std::string_view kArtifactKeyPrefix = "sha256/";

}  // namespace

Status CheckWritable(std::string_view bucket) {
  if (bucket != kArtifactBucket) return Status::OK();
  return ObjectErrorStatus(ObjectError::kReadOnlyBucket,
                           "'" + std::string(kArtifactBucket) + "' shows Grove's artifacts by digest and cannot change");
}

namespace {

// The artifact `key` names in the artifacts bucket, as an object.
Result<ObjectRecord> ArtifactObject(StoreReader& rows, const std::string& key) {
  const Status missing = ObjectErrorStatus(ObjectError::kNoSuchKey, "'" + key + "' in bucket '" +
                                                                         std::string(kArtifactBucket) +
                                                                         "' (keys are sha256/<artifact digest>)");
  if (key.rfind(kArtifactKeyPrefix, 0) != 0) return missing;
  ASSIGN_OR_RETURN(std::optional<ArtifactRecord> artifact, rows.FindArtifact(key.substr(kArtifactKeyPrefix.size())));
  if (!artifact || artifact->is_directory) return missing;
  ObjectRecord o;
  o.bucket = std::string(kArtifactBucket);
  o.key = key;
  o.digest = artifact->digest;
  o.size = artifact->size_bytes;
  o.etag = artifact->digest.substr(0, 32);  // Opaque to clients; stable for If-Match.
  o.content_type = "application/octet-stream";
  o.last_modified = artifact->created_at;
  return o;
}

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

Json ObjectBody(const ObjectRecord& o) {
  Json metadata = Json::object();
  for (const auto& [name, value] : o.metadata) metadata[name] = value;
  return {{"digest", o.digest}, {"size", o.size}, {"etag", o.etag}, {"content_type", o.content_type},
          {"metadata", metadata}};
}

ObjectRecord FromRow(const std::string& bucket, const ResourceRecord& row) {
  ObjectRecord o;
  o.bucket = bucket;
  o.key = row.name;
  o.digest = row.body.value("digest", "");
  o.size = row.body.value("size", int64_t{0});
  o.etag = row.body.value("etag", "");
  o.content_type = row.body.value("content_type", "");
  if (auto it = row.body.find("metadata"); it != row.body.end() && it->is_object()) {
    for (const auto& [name, value] : it->items()) o.metadata[name] = value.is_string() ? value.get<std::string>() : "";
  }
  o.last_modified = row.updated_at;
  return o;
}

// The common prefix of `key` under `query` (up to and including the first
// delimiter after the prefix), or "" when the key is not rolled up.
std::string CommonPrefix(std::string_view key, const ObjectListQuery& query) {
  if (query.delimiter.empty() || key.substr(0, query.prefix.size()) != query.prefix) return "";
  size_t at = key.find(query.delimiter, query.prefix.size());
  return at == std::string_view::npos ? "" : std::string(key.substr(0, at + query.delimiter.size()));
}

// A cursor that sorts after every key starting with `prefix`: the prefix and
// U+10FFFF, the highest code point (keys are valid UTF-8, which the PostgreSQL
// store requires of every text, so no byte 0xFF will do). Only a key with that
// noncharacter right after the prefix sorts later.
std::string PastPrefix(const std::string& prefix) { return prefix + "\xf4\x8f\xbf\xbf"; }

}  // namespace

std::string ObjectKind(std::string_view bucket) { return "s3-object/" + std::string(bucket); }

ObjectError ClassifyObjectError(const Status& status) {
  for (const ErrorForm& form : kErrorForms) {
    if (status.code() == form.code && status.message().rfind(form.prefix, 0) == 0) return form.kind;
  }
  return ObjectError::kOther;
}

Status ObjectErrorStatus(ObjectError kind, const std::string& message) {
  for (const ErrorForm& form : kErrorForms) {
    if (form.kind == kind) return Status(form.code, form.prefix + message);
  }
  return Status::Internal(message);
}

Status CheckBucketName(std::string_view name) {
  auto bad = [&](const std::string& why) {
    return ObjectErrorStatus(ObjectError::kInvalidBucketName, "'" + std::string(name.substr(0, 100)) + "': " + why);
  };
  if (name.size() < 3 || name.size() > 63) return bad("it must be 3-63 characters long");
  for (char c : name) {
    if (!IsLowerAlnum(c) && c != '.' && c != '-') {
      return bad("use only lowercase letters, digits, '.' and '-'");
    }
  }
  if (!IsLowerAlnum(name.front()) || !IsLowerAlnum(name.back())) {
    return bad("it must start and end with a lowercase letter or digit");
  }
  if (name.find("..") != std::string_view::npos) return bad("it must not contain '..'");
  return Status::OK();
}

Status CheckObjectKey(std::string_view key) {
  if (key.empty() || key.size() > 1024) {
    return ObjectErrorStatus(ObjectError::kInvalidKey, "a key is 1-1024 bytes, not " + std::to_string(key.size()));
  }
  if (!IsUtf8(key)) return ObjectErrorStatus(ObjectError::kInvalidKey, "a key must be valid UTF-8");
  if (key.find('\0') != std::string_view::npos) {
    return ObjectErrorStatus(ObjectError::kInvalidKey, "a key must not contain a NUL byte");
  }
  if (key.front() == '/') {
    return ObjectErrorStatus(ObjectError::kInvalidKey, "'" + std::string(key.substr(0, 100)) +
                                                           "': a key must not start with '/'");
  }
  size_t begin = 0;
  while (begin <= key.size()) {
    size_t end = key.find_first_of("/\\", begin);
    if (end == std::string_view::npos) end = key.size();
    std::string_view segment = key.substr(begin, end - begin);
    if (segment == "." || segment == "..") {
      return ObjectErrorStatus(ObjectError::kInvalidKey, "'" + std::string(key.substr(0, 100)) +
                                                             "': a key must not have a '" + std::string(segment) +
                                                             "' segment (it would name a path outside its folder)");
    }
    begin = end + 1;
  }
  return Status::OK();
}

std::string ArtifactKey(const std::string& digest) { return std::string(kArtifactKeyPrefix) + digest; }

Status CreateBucket(StoreTransaction& txn, const std::string& name, TimeMs now) {
  RETURN_IF_ERROR(CheckBucketName(name));
  if (name == kArtifactBucket) return ObjectErrorStatus(ObjectError::kBucketExists, "'" + name + "' (Grove's artifacts)");
  ASSIGN_OR_RETURN(std::optional<ResourceRecord> found, txn.FindResource(kBucketKind, name));
  if (found) return ObjectErrorStatus(ObjectError::kBucketExists, "'" + name + "' (you own it)");
  return txn.PutResource({kBucketKind, name, Json::object(), now, now});
}

Result<BucketRecord> RequireBucket(StoreReader& rows, const std::string& name) {
  if (name == kArtifactBucket) return BucketRecord{name, 0};
  ASSIGN_OR_RETURN(std::optional<ResourceRecord> found, rows.FindResource(kBucketKind, name));
  if (found) return BucketRecord{found->name, found->created_at};
  ASSIGN_OR_RETURN(std::vector<BucketRecord> all, ListBuckets(rows));
  std::vector<std::string> names;
  for (const BucketRecord& b : all) names.push_back(b.name);
  return ObjectErrorStatus(ObjectError::kNoSuchBucket, "'" + name + "' (buckets: " + NameList(names) + ")");
}

Result<std::vector<BucketRecord>> ListBuckets(StoreReader& rows) {
  ASSIGN_OR_RETURN(std::vector<ResourceRecord> found, rows.ListResources(kBucketKind, "", "", 0));
  std::vector<BucketRecord> buckets;
  for (const ResourceRecord& r : found) buckets.push_back({r.name, r.created_at});
  buckets.push_back({std::string(kArtifactBucket), 0});
  std::sort(buckets.begin(), buckets.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return buckets;
}

Status DeleteBucket(StoreTransaction& txn, const std::string& name) {
  RETURN_IF_ERROR(CheckWritable(name));
  RETURN_IF_ERROR(RequireBucket(txn, name).status());
  ASSIGN_OR_RETURN(std::vector<ResourceRecord> some, txn.ListResources(ObjectKind(name), "", "", 1));
  if (!some.empty()) {
    return ObjectErrorStatus(ObjectError::kBucketNotEmpty,
                             "'" + name + "' still holds objects (e.g. '" + some[0].name + "'); delete them first");
  }
  return txn.DeleteResource(kBucketKind, name).status();
}

Status WriteObject(StoreTransaction& txn, const ObjectRecord& object, const ArtifactRecord& artifact) {
  RETURN_IF_ERROR(CheckWritable(object.bucket));
  RETURN_IF_ERROR(CheckObjectKey(object.key));
  RETURN_IF_ERROR(RequireBucket(txn, object.bucket).status());
  if (artifact.digest != object.digest) {
    return Status::Internal("object '" + object.key + "' names artifact " + object.digest + ", not " + artifact.digest);
  }
  RETURN_IF_ERROR(txn.InsertArtifact(artifact));
  ASSIGN_OR_RETURN(std::optional<ResourceRecord> old, txn.FindResource(ObjectKind(object.bucket), object.key));
  TimeMs created = old ? old->created_at : object.last_modified;
  return txn.PutResource({ObjectKind(object.bucket), object.key, ObjectBody(object), created, object.last_modified});
}

Result<ObjectRecord> RequireObject(StoreReader& rows, const std::string& bucket, const std::string& key) {
  if (bucket == kArtifactBucket) return ArtifactObject(rows, key);
  ASSIGN_OR_RETURN(std::optional<ResourceRecord> found, rows.FindResource(ObjectKind(bucket), key));
  if (found) return FromRow(bucket, *found);
  RETURN_IF_ERROR(RequireBucket(rows, bucket).status());
  return ObjectErrorStatus(ObjectError::kNoSuchKey, "'" + key + "' in bucket '" + bucket + "'");
}

Result<bool> DeleteObject(StoreTransaction& txn, const std::string& bucket, const std::string& key) {
  RETURN_IF_ERROR(CheckWritable(bucket));
  RETURN_IF_ERROR(RequireBucket(txn, bucket).status());
  return txn.DeleteResource(ObjectKind(bucket), key);
}

Result<ObjectListing> ListObjects(StoreReader& rows, const std::string& bucket, const ObjectListQuery& query) {
  if (query.max_keys < 0 || query.max_keys > 1000) {
    return Status::InvalidArgument("max-keys must be 0-1000, not " + std::to_string(query.max_keys));
  }
  RETURN_IF_ERROR(RequireBucket(rows, bucket).status());
  ObjectListing page;
  const size_t max = static_cast<size_t>(query.max_keys);
  std::string rolled_up = CommonPrefix(query.after, query);  // The token names a common prefix.
  std::string cursor = rolled_up.empty() ? query.after : PastPrefix(rolled_up);
  while (true) {
    ASSIGN_OR_RETURN(std::vector<ResourceRecord> batch,
                     rows.ListResources(ObjectKind(bucket), query.prefix, cursor, query.max_keys + 1));
    if (batch.empty()) return page;
    for (const ResourceRecord& row : batch) {
      std::string common = CommonPrefix(row.name, query);
      if (!common.empty() && common == rolled_up) continue;  // Already listed.
      if (page.objects.size() + page.common_prefixes.size() == max) {
        page.truncated = max > 0;
        return page;
      }
      if (common.empty()) {
        page.objects.push_back(FromRow(bucket, row));
        page.next_token = row.name;
      } else {
        page.common_prefixes.push_back(common);
        page.next_token = rolled_up = common;
      }
    }
    const std::string& last = batch.back().name;
    cursor = !rolled_up.empty() && last.rfind(rolled_up, 0) == 0 ? PastPrefix(rolled_up) : last;
  }
}

Result<S3Uri> ParseS3Uri(std::string_view uri) {
  constexpr std::string_view kScheme = "s3://";
  if (uri.substr(0, kScheme.size()) != kScheme) {
    return Status::InvalidArgument("'" + std::string(uri) + "' is not an S3 URI (s3://bucket/key)");
  }
  std::string_view rest = uri.substr(kScheme.size());
  size_t slash = rest.find('/');
  if (slash == std::string_view::npos) {
    return Status::InvalidArgument("S3 URI '" + std::string(uri) + "' names no key (s3://bucket/key)");
  }
  S3Uri parsed{std::string(rest.substr(0, slash)), std::string(rest.substr(slash + 1))};
  RETURN_IF_ERROR(CheckBucketName(parsed.bucket));
  RETURN_IF_ERROR(CheckObjectKey(parsed.key));
  return parsed;
}

Result<std::string> ResolveS3Uri(StoreReader& rows, std::string_view uri) {
  ASSIGN_OR_RETURN(S3Uri parsed, ParseS3Uri(uri));
  ASSIGN_OR_RETURN(ObjectRecord object, RequireObject(rows, parsed.bucket, parsed.key));
  return object.digest;
}

}  // namespace grove::store
