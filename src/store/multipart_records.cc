#include "store/multipart_records.h"

#include <cstdio>

#include "common/md5.h"

namespace grove::store {

namespace {

std::string UploadKind(const std::string& bucket) { return "s3-upload/" + bucket; }
std::string PartKind(const std::string& upload_id) { return "s3-part/" + upload_id; }

std::string PartName(int number) {
  char name[16];
  std::snprintf(name, sizeof(name), "%05d", number);
  return name;
}

std::string Unquoted(const std::string& etag) {
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') return etag.substr(1, etag.size() - 2);
  return etag;
}

}  // namespace

Status WriteUpload(StoreTransaction& txn, const UploadRecord& upload) {
  RETURN_IF_ERROR(CheckObjectKey(upload.key));
  RETURN_IF_ERROR(RequireBucket(txn, upload.bucket).status());
  Json metadata = Json::object();
  for (const auto& [name, value] : upload.metadata) metadata[name] = value;
  Json body = {{"key", upload.key}, {"content_type", upload.content_type}, {"metadata", metadata}};
  return txn.PutResource({UploadKind(upload.bucket), upload.id, body, upload.initiated_at, upload.initiated_at});
}

Result<UploadRecord> RequireUpload(StoreReader& rows, const std::string& bucket, const std::string& key,
                                   const std::string& id) {
  RETURN_IF_ERROR(RequireBucket(rows, bucket).status());
  ASSIGN_OR_RETURN(std::optional<ResourceRecord> found, rows.FindResource(UploadKind(bucket), id));
  if (!found || found->body.value("key", "") != key) {
    return ObjectErrorStatus(ObjectError::kNoSuchUpload, "'" + id + "' for '" + bucket + "/" + key +
                                                             "' (it was never started, or was completed or aborted)");
  }
  UploadRecord upload{id, bucket, key, found->body.value("content_type", ""), {}, found->created_at};
  if (auto it = found->body.find("metadata"); it != found->body.end() && it->is_object()) {
    for (const auto& [name, value] : it->items()) upload.metadata[name] = value.is_string() ? value.get<std::string>() : "";
  }
  return upload;
}

Status WritePart(StoreTransaction& txn, const std::string& bucket, const std::string& key,
                 const std::string& upload_id, const PartRecord& part) {
  if (part.number < 1 || part.number > kMaxPartNumber) {
    return Status::InvalidArgument("part number must be 1-" + std::to_string(kMaxPartNumber) + ", not " +
                                   std::to_string(part.number));
  }
  ASSIGN_OR_RETURN(UploadRecord upload, RequireUpload(txn, bucket, key, upload_id));
  Json body = {{"digest", part.digest}, {"size", part.size}, {"etag", part.etag}};
  return txn.PutResource({PartKind(upload.id), PartName(part.number), body, upload.initiated_at, upload.initiated_at});
}

Result<std::vector<PartRecord>> ListParts(StoreReader& rows, const std::string& upload_id) {
  ASSIGN_OR_RETURN(std::vector<ResourceRecord> found, rows.ListResources(PartKind(upload_id), "", "", 0));
  std::vector<PartRecord> parts;
  for (const ResourceRecord& r : found) {
    parts.push_back({std::stoi(r.name), r.body.value("digest", ""), r.body.value("size", int64_t{0}),
                     r.body.value("etag", "")});
  }
  return parts;
}

Status DeleteUpload(StoreTransaction& txn, const UploadRecord& upload) {
  ASSIGN_OR_RETURN(std::vector<PartRecord> parts, ListParts(txn, upload.id));
  for (const PartRecord& part : parts) RETURN_IF_ERROR(txn.DeleteResource(PartKind(upload.id), PartName(part.number)).status());
  return txn.DeleteResource(UploadKind(upload.bucket), upload.id).status();
}

Result<std::vector<PartRecord>> ChooseParts(const std::vector<PartRecord>& uploaded,
                                            const std::vector<CompletedPart>& requested) {
  if (requested.empty()) return ObjectErrorStatus(ObjectError::kInvalidPart, "a completion must list at least one part");
  std::map<int, const PartRecord*> by_number;
  for (const PartRecord& p : uploaded) by_number[p.number] = &p;
  std::vector<PartRecord> chosen;
  for (size_t i = 0; i < requested.size(); ++i) {
    const CompletedPart& want = requested[i];
    if (i > 0 && want.number <= requested[i - 1].number) {
      return ObjectErrorStatus(ObjectError::kInvalidPartOrder, "part " + std::to_string(want.number) +
                                                                   " follows part " + std::to_string(requested[i - 1].number) +
                                                                   "; list parts in ascending order");
    }
    auto it = by_number.find(want.number);
    if (it == by_number.end()) {
      return ObjectErrorStatus(ObjectError::kInvalidPart, "part " + std::to_string(want.number) + " was not uploaded");
    }
    if (Unquoted(want.etag) != it->second->etag) {
      return ObjectErrorStatus(ObjectError::kInvalidPart, "part " + std::to_string(want.number) + " has ETag \"" +
                                                              it->second->etag + "\", not " + want.etag);
    }
    chosen.push_back(*it->second);
  }
  for (size_t i = 0; i + 1 < chosen.size(); ++i) {
    if (chosen[i].size < kMinPartBytes) {
      return ObjectErrorStatus(ObjectError::kEntityTooSmall,
                               "part " + std::to_string(chosen[i].number) + " has " + std::to_string(chosen[i].size) +
                                   " bytes; every part but the last needs at least 5 MiB");
    }
  }
  return chosen;
}

std::string MultipartEtag(const std::vector<PartRecord>& parts) {
  Md5 h;
  for (const PartRecord& p : parts) h.Update(HexDecodeMd5(p.etag));
  return HexEncode(h.Digest()) + "-" + std::to_string(parts.size());
}

}  // namespace grove::store
