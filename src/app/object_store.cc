#include "app/object_store.h"

#include <fstream>

#include "app/artifacts.h"
#include "common/file_util.h"
#include "common/ids.h"
#include "common/md5.h"

namespace grove::app {

namespace fs = std::filesystem;
using store::ReadValue;
using store::StoreReader;
using store::StoreTransaction;
using store::TransactValue;

namespace {

// Resolves `range` against an object of `size` bytes: [first, last] or
// nullopt when unsatisfiable (it starts past the end, or asks for no bytes).
std::optional<std::pair<int64_t, int64_t>> Resolve(const ByteRange& range, int64_t size) {
  if (range.suffix) {
    if (*range.suffix <= 0 || size == 0) return std::nullopt;
    return std::make_pair(std::max<int64_t>(0, size - *range.suffix), size - 1);
  }
  if (range.first >= size) return std::nullopt;
  return std::make_pair(range.first, std::min(range.last.value_or(size - 1), size - 1));
}

}  // namespace

Status ObjectStore::CreateBucket(const std::string& name) {
  TimeMs now = home_.clock()->Now();
  return home_.metadata()->Transact([&](StoreTransaction& t) { return store::CreateBucket(t, name, now); });
}

Result<std::vector<store::BucketRecord>> ObjectStore::ListBuckets() {
  return ReadValue(*home_.metadata(), [](StoreReader& r) { return store::ListBuckets(r); });
}

Result<store::BucketRecord> ObjectStore::HeadBucket(const std::string& name) {
  return ReadValue(*home_.metadata(), [&](StoreReader& r) { return store::RequireBucket(r, name); });
}

Status ObjectStore::DeleteBucket(const std::string& name) {
  return home_.metadata()->Transact([&](StoreTransaction& t) { return store::DeleteBucket(t, name); });
}

Status ObjectStore::CheckTarget(const std::string& bucket, const std::string& key) {
  RETURN_IF_ERROR(store::CheckObjectKey(key));
  RETURN_IF_ERROR(store::CheckWritable(bucket));
  return HeadBucket(bucket).status();
}

store::ObjectRecord ObjectStore::MakeObject(const std::string& bucket, const std::string& key,
                                            const store::ArtifactRecord& artifact, std::string etag,
                                            const ObjectContent& content) const {
  store::ObjectRecord object;
  object.bucket = bucket;
  object.key = key;
  object.digest = artifact.digest;
  object.size = artifact.size_bytes;
  object.etag = std::move(etag);
  object.content_type = content.content_type;
  object.metadata = content.metadata;
  object.last_modified = home_.clock()->Now();
  return object;
}

Result<store::ObjectRecord> ObjectStore::Record(const std::string& bucket, const std::string& key,
                                                const store::ArtifactRecord& artifact, std::string etag,
                                                const ObjectContent& content) {
  store::ObjectRecord object = MakeObject(bucket, key, artifact, std::move(etag), content);
  RETURN_IF_ERROR(home_.metadata()->Transact(
      [&](StoreTransaction& t) { return store::WriteObject(t, object, artifact); }));
  return object;
}

Result<store::ObjectRecord> ObjectStore::PutObject(const std::string& bucket, const std::string& key,
                                                   std::string_view bytes, const ObjectContent& content) {
  RETURN_IF_ERROR(CheckTarget(bucket, key));
  ASSIGN_OR_RETURN(store::ArtifactRecord artifact, home_.artifacts()->PutBytes(bytes));
  return Record(bucket, key, artifact, Md5::HexOf(bytes), content);
}

Result<store::ObjectRecord> ObjectStore::PutObjectFile(const std::string& bucket, const std::string& key,
                                                       const fs::path& path, const ObjectContent& content) {
  RETURN_IF_ERROR(CheckTarget(bucket, key));
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return Status::InvalidArgument(path.string() + " is not a file; an object holds one file's bytes");
  }
  ASSIGN_OR_RETURN(std::string etag, Md5File(path));
  ASSIGN_OR_RETURN(store::ArtifactRecord artifact, home_.artifacts()->Put(path));
  return Record(bucket, key, artifact, etag, content);
}

Result<ObjectRead> ObjectStore::GetObject(const std::string& bucket, const std::string& key,
                                          const std::optional<ByteRange>& range) {
  ObjectRead read;
  ASSIGN_OR_RETURN(read.object, HeadObject(bucket, key));
  int64_t first = 0;
  std::optional<int64_t> length;
  if (range) {
    auto resolved = Resolve(*range, read.object.size);
    if (!resolved) {
      read.unsatisfiable = true;
      return read;
    }
    read.ranged = true;
    first = resolved->first;
    length = resolved->second - resolved->first + 1;
  }
  read.first = first;
  ASSIGN_OR_RETURN(read.bytes, Artifacts(home_).ReadRange(read.object.digest, first, length));
  return read;
}

Result<store::ObjectRecord> ObjectStore::HeadObject(const std::string& bucket, const std::string& key) {
  return ReadValue(*home_.metadata(), [&](StoreReader& r) { return store::RequireObject(r, bucket, key); });
}

Result<store::ObjectRecord> ObjectStore::CopyObject(const std::string& source_bucket, const std::string& source_key,
                                                    const std::string& bucket, const std::string& key,
                                                    const std::optional<ObjectContent>& replace) {
  ASSIGN_OR_RETURN(store::ObjectRecord source, HeadObject(source_bucket, source_key));
  ASSIGN_OR_RETURN(store::ArtifactRecord artifact, home_.metadata()->GetArtifact(source.digest));
  ObjectContent content = replace ? *replace : ObjectContent{source.content_type, source.metadata};
  return Record(bucket, key, artifact, source.etag, content);
}

Status ObjectStore::DeleteObject(const std::string& bucket, const std::string& key) {
  return home_.metadata()->Transact(
      [&](StoreTransaction& t) { return store::DeleteObject(t, bucket, key).status(); });
}

Result<store::ObjectListing> ObjectStore::ListObjects(const std::string& bucket,
                                                      const store::ObjectListQuery& query) {
  return ReadValue(*home_.metadata(), [&](StoreReader& r) { return store::ListObjects(r, bucket, query); });
}

Result<store::UploadRecord> ObjectStore::CreateUpload(const std::string& bucket, const std::string& key,
                                                      const ObjectContent& content) {
  RETURN_IF_ERROR(store::CheckWritable(bucket));
  store::UploadRecord upload{NewExecutionId() + NewExecutionId(), bucket, key, content.content_type,
                             content.metadata, home_.clock()->Now()};
  RETURN_IF_ERROR(home_.metadata()->Transact([&](StoreTransaction& t) { return store::WriteUpload(t, upload); }));
  return upload;
}

Result<store::PartRecord> ObjectStore::UploadPart(const std::string& bucket, const std::string& key,
                                                  const std::string& upload_id, int number, std::string_view bytes) {
  RETURN_IF_ERROR(ReadValue(*home_.metadata(), [&](StoreReader& r) {
                    return store::RequireUpload(r, bucket, key, upload_id);
                  }).status());
  ASSIGN_OR_RETURN(store::ArtifactRecord artifact, home_.artifacts()->PutBytes(bytes));
  store::PartRecord part{number, artifact.digest, artifact.size_bytes, Md5::HexOf(bytes)};
  RETURN_IF_ERROR(home_.metadata()->Transact(
      [&](StoreTransaction& t) { return store::WritePart(t, bucket, key, upload_id, part); }));
  return part;
}

Result<store::ArtifactRecord> ObjectStore::Concatenate(const std::string& upload_id,
                                                       const std::vector<store::PartRecord>& parts) {
  fs::path staging = home_.work() / "s3-uploads";
  RETURN_IF_ERROR(MakeDirs(staging));
  fs::path joined = staging / upload_id;
  {
    std::ofstream out(joined, std::ios::binary | std::ios::trunc);
    if (!out) return ErrnoStatus("cannot create", joined, errno);
    for (const store::PartRecord& part : parts) {
      ASSIGN_OR_RETURN(fs::path path, home_.artifacts()->LocalPath(part.digest));
      std::ifstream in(path, std::ios::binary);
      if (!in || !(out << in.rdbuf())) return ErrnoStatus("cannot append part to", joined, errno);
    }
    out.close();
    if (!out) return ErrnoStatus("cannot write", joined, errno);
  }
  return home_.artifacts()->PutByMove(joined);
}

Result<store::ObjectRecord> ObjectStore::CompleteUpload(const std::string& bucket, const std::string& key,
                                                        const std::string& upload_id,
                                                        const std::vector<store::CompletedPart>& requested) {
  store::UploadRecord upload;
  std::vector<store::PartRecord> uploaded;
  RETURN_IF_ERROR(home_.metadata()->Read([&](StoreReader& r) -> Status {
    ASSIGN_OR_RETURN(upload, store::RequireUpload(r, bucket, key, upload_id));
    ASSIGN_OR_RETURN(uploaded, store::ListParts(r, upload_id));
    return Status::OK();
  }));
  ASSIGN_OR_RETURN(std::vector<store::PartRecord> parts, store::ChooseParts(uploaded, requested));
  ASSIGN_OR_RETURN(store::ArtifactRecord artifact, Concatenate(upload_id, parts));
  store::ObjectRecord object = MakeObject(bucket, key, artifact, store::MultipartEtag(parts),
                                          ObjectContent{upload.content_type, upload.metadata});
  RETURN_IF_ERROR(home_.metadata()->Transact([&](StoreTransaction& t) {
    RETURN_IF_ERROR(store::RequireUpload(t, bucket, key, upload_id).status());  // Not completed meanwhile.
    RETURN_IF_ERROR(store::WriteObject(t, object, artifact));
    return store::DeleteUpload(t, upload);
  }));
  return object;
}

Status ObjectStore::AbortUpload(const std::string& bucket, const std::string& key, const std::string& upload_id) {
  return home_.metadata()->Transact([&](StoreTransaction& t) {
    ASSIGN_OR_RETURN(store::UploadRecord upload, store::RequireUpload(t, bucket, key, upload_id));
    return store::DeleteUpload(t, upload);
  });
}

}  // namespace grove::app
