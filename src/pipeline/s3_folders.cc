#include "pipeline/s3_folders.h"

#include <set>

#include "common/md5.h"
#include "store/object_records.h"

namespace grove::pipeline {

namespace fs = std::filesystem;

Status DownloadS3Prefix(store::MetadataStore& metadata, store::ArtifactStore& artifacts, const std::string& uri,
                        const fs::path& dir) {
  ASSIGN_OR_RETURN(store::S3Uri where, store::ParseS3Uri(uri));
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IOError("cannot create " + dir.string() + ": " + ec.message());
  if (where.bucket == store::kArtifactBucket) {  // One artifact by digest.
    ASSIGN_OR_RETURN(std::string digest, store::ReadValue(metadata, [&](store::StoreReader& rows) {
                       return store::ResolveS3Uri(rows, uri);
                     }));
    ASSIGN_OR_RETURN(fs::path source, artifacts.LocalPath(digest));
    const std::string name = fs::path(where.key).filename().string();
    fs::copy(source, dir / name, fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
    if (ec) return Status::IOError("cannot copy " + uri + " to " + dir.string() + ": " + ec.message());
    return Status::OK();
  }
  // The prefix's folder part: keys below it keep their path after it.
  const size_t slash = where.key.rfind('/');
  const std::string base = slash == std::string::npos ? "" : where.key.substr(0, slash + 1);
  store::ObjectListQuery query;
  query.prefix = where.key;
  size_t copied = 0;
  while (true) {
    ASSIGN_OR_RETURN(store::ObjectListing page, store::ReadValue(metadata, [&](store::StoreReader& rows) {
                       return store::ListObjects(rows, where.bucket, query);
                     }));
    for (const store::ObjectRecord& object : page.objects) {
      // "p/run.py" for itself -> run.py; "p/data" or "p/data/" for "p/data/x.csv" -> x.csv; "p/data" for
      // its sibling "p/data.csv" -> data.csv.
      const std::string& key = object.key;
      std::string relative;
      if (key == where.key) {
        relative = fs::path(key).filename().string();
      } else if (where.key.empty() || where.key.back() == '/') {
        relative = key.substr(where.key.size());
      } else if (key[where.key.size()] == '/') {
        relative = key.substr(where.key.size() + 1);
      } else {
        relative = key.substr(base.size());
      }
      const fs::path target = dir / relative;
      if (relative.empty() || relative.front() == '/' || fs::path(relative).lexically_normal().string().rfind("..", 0) == 0) {
        return Status::InvalidArgument("object key '" + object.key + "' cannot be a file name below " + uri);
      }
      ASSIGN_OR_RETURN(fs::path source, artifacts.LocalPath(object.digest));
      fs::create_directories(target.parent_path(), ec);
      if (!ec) fs::copy_file(source, target, fs::copy_options::overwrite_existing, ec);
      if (ec) return Status::IOError("cannot copy s3://" + where.bucket + "/" + object.key + ": " + ec.message());
      ++copied;
    }
    if (!page.truncated) break;
    query.after = page.next_token;
  }
  if (copied == 0) return Status::NotFound("no object in Grove's S3 under " + uri);
  return Status::OK();
}

Result<Json> StoreFileAsObject(store::ArtifactStore& artifacts, const fs::path& file, const std::string& uri) {
  ASSIGN_OR_RETURN(store::S3Uri where, store::ParseS3Uri(uri));
  RETURN_IF_ERROR(store::CheckWritable(where.bucket));
  ASSIGN_OR_RETURN(std::string etag, Md5File(file));
  ASSIGN_OR_RETURN(store::ArtifactRecord record, artifacts.Put(file));
  return Json{{"bucket", where.bucket}, {"key", where.key}, {"digest", record.digest},
              {"size", record.size_bytes}, {"etag", etag}, {"uri", record.uri}};
}

Result<Json> StoreFolderAsObjects(store::ArtifactStore& artifacts, const fs::path& dir, const std::string& uri_prefix) {
  std::string prefix = uri_prefix;
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  Json objects = Json::array();
  std::error_code ec;
  std::set<fs::path> files;  // Sorted, so the objects' order does not depend on the file system.
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file()) files.insert(it->path());
  }
  if (ec) return Status::IOError("cannot list " + dir.string() + ": " + ec.message());
  for (const fs::path& file : files) {
    ASSIGN_OR_RETURN(Json object, StoreFileAsObject(artifacts, file, prefix + "/" +
                                                                          file.lexically_relative(dir).generic_string()));
    objects.push_back(std::move(object));
  }
  return objects;
}

Status RecordObjects(store::StoreTransaction& txn, const Json& objects, TimeMs now) {
  std::set<std::string> buckets;
  for (const Json& o : objects) {
    const std::string bucket = o.at("bucket").get<std::string>();
    if (buckets.insert(bucket).second) {
      Status created = store::CreateBucket(txn, bucket, now);
      if (!created.ok() && store::ClassifyObjectError(created) != store::ObjectError::kBucketExists) return created;
    }
    store::ObjectRecord object;
    object.bucket = bucket;
    object.key = o.at("key").get<std::string>();
    object.digest = o.at("digest").get<std::string>();
    object.size = o.at("size").get<int64_t>();
    object.etag = o.at("etag").get<std::string>();
    object.last_modified = now;
    store::ArtifactRecord artifact;
    artifact.digest = object.digest;
    artifact.uri = o.value("uri", "");
    artifact.size_bytes = object.size;
    artifact.created_at = now;
    RETURN_IF_ERROR(store::WriteObject(txn, object, artifact));
  }
  return Status::OK();
}

}  // namespace grove::pipeline
