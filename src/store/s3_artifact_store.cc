#include "store/s3_artifact_store.h"

#include <algorithm>
#include <mutex>
#include <utility>
#include <vector>

#include "common/file_util.h"
#include "common/ids.h"
#include "common/json.h"

namespace grove::store {
namespace fs = std::filesystem;

namespace {

class S3ArtifactStore final : public ArtifactStore {
 public:
  S3ArtifactStore(S3ArtifactStoreOptions options, std::unique_ptr<ArtifactStore> cache)
      : options_(std::move(options)), client_(options_.client), cache_(std::move(cache)) {}

  Result<ArtifactRecord> Put(const fs::path& source) override { return Upload(cache_->Put(source)); }
  Result<ArtifactRecord> PutByMove(const fs::path& source) override { return Upload(cache_->PutByMove(source)); }
  Result<ArtifactRecord> PutBytes(std::string_view bytes) override { return Upload(cache_->PutBytes(bytes)); }

  Result<fs::path> LocalPath(const std::string& digest) override {
    if (cache_->Contains(digest)) {
      ASSIGN_OR_RETURN(fs::path path, cache_->LocalPath(digest));
      std::error_code ec;
      fs::last_write_time(path, fs::file_time_type::clock::now(), ec);  // Recently used: evicted last.
      return path;
    }
    ASSIGN_OR_RETURN(ArtifactRecord downloaded, Download(digest));
    ASSIGN_OR_RETURN(fs::path path, cache_->LocalPath(digest));
    Trim(path, downloaded.size_bytes);
    return path;
  }

  // Beside the local copies (cache_dir/derived), outside the size bound.
  fs::path DerivedFolder() const override { return cache_->DerivedFolder(); }
  // The local copies' (downloads write there too).
  std::vector<fs::path> TempFolders() const override { return cache_->TempFolders(); }

  bool Contains(const std::string& digest) override {
    if (cache_->Contains(digest)) return true;
    auto file = client_.Exists(options_.bucket, Key(digest));
    if (file.ok() && *file) return true;
    auto manifest = client_.Exists(options_.bucket, Key(digest) + ".manifest");
    return manifest.ok() && *manifest;
  }

 private:
  std::string Key(const std::string& digest) const {
    return (options_.prefix.empty() ? "" : options_.prefix + "/") + "sha256/" + digest.substr(0, 2) + "/" + digest;
  }

  // Uploads what the cache now holds, unless the bucket has it already (content addressed: same key, same bytes).
  Result<ArtifactRecord> Upload(Result<ArtifactRecord> cached) {
    ASSIGN_OR_RETURN(ArtifactRecord record, std::move(cached));
    ASSIGN_OR_RETURN(fs::path local, cache_->LocalPath(record.digest));
    const std::string key = Key(record.digest);
    if (!record.is_directory) {
      ASSIGN_OR_RETURN(bool present, client_.Exists(options_.bucket, key));
      if (!present) {
        RETURN_IF_ERROR(client_.PutFile(options_.bucket, key, local));
      }
    } else {
      ASSIGN_OR_RETURN(bool present, client_.Exists(options_.bucket, key + ".manifest"));
      if (!present) {
        Json files = Json::array();
        std::error_code ec;
        for (auto it = fs::recursive_directory_iterator(local, ec); !ec && it != fs::recursive_directory_iterator();
             it.increment(ec)) {
          if (!it->is_regular_file()) continue;
          const std::string relative = fs::relative(it->path(), local).generic_string();
          RETURN_IF_ERROR(client_.PutFile(options_.bucket, key + ".d/" + relative, it->path()));
          files.push_back(relative);
        }
        if (ec) return Status::IOError("cannot list " + local.string() + ": " + ec.message());
        RETURN_IF_ERROR(client_.PutBytes(options_.bucket, key + ".manifest", Json{{"files", files}}.dump()));
      }
    }
    record.uri = "s3://" + options_.bucket + "/" + key;
    Trim(local, record.size_bytes);
    return record;
  }

  // Deletes the least recently used local copies, never `keep`, once they pass the bound. The copies are
  // listed only when what this process added since the last listing may have taken them past it (other
  // processes' copies are counted at the next listing).
  void Trim(const fs::path& keep, int64_t added) {
    if (options_.cache_bytes == 0) return;
    std::lock_guard<std::mutex> lock(trim_mu_);
    unlisted_bytes_ += static_cast<uint64_t>(std::max<int64_t>(added, 0));
    if (listed_ && listed_bytes_ + unlisted_bytes_ <= options_.cache_bytes) return;
    struct Copy {
      fs::path path;
      fs::file_time_type used;
      uint64_t bytes = 0;
    };
    std::vector<Copy> copies;
    uint64_t total = 0;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(options_.cache_dir / "sha256", ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it.depth() != 1) continue;  // sha256/<ab>/<digest>
      Copy copy{it->path(), fs::last_write_time(it->path(), ec), 0};
      if (it->is_directory()) {
        it.disable_recursion_pending();
        for (auto& file : fs::recursive_directory_iterator(it->path(), ec)) {
          if (file.is_regular_file()) copy.bytes += file.file_size(ec);
        }
      } else {
        copy.bytes = it->file_size(ec);
      }
      total += copy.bytes;
      copies.push_back(std::move(copy));
    }
    listed_ = true;
    unlisted_bytes_ = 0;
    listed_bytes_ = total;
    if (total <= options_.cache_bytes) return;
    std::sort(copies.begin(), copies.end(), [](const Copy& a, const Copy& b) { return a.used < b.used; });
    const uint64_t target = options_.cache_bytes / 10 * 9;
    for (const Copy& copy : copies) {
      if (total <= target) break;
      if (copy.path == keep) continue;
      fs::remove_all(copy.path, ec);
      if (!ec) total -= copy.bytes;
    }
    listed_bytes_ = total;
  }

  // Fetches the artifact into the cache and checks that its content has the digest it is stored under.
  Result<ArtifactRecord> Download(const std::string& digest) {
    if (digest.size() != 64 || digest.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return Status::InvalidArgument("not an artifact digest: '" + digest + "'");
    }
    // Under the local store's temporary folder, with a random name: a download cut short by a crash is garbage
    // that the store removes when it opens (once stale) and grove doctor reports, like an unfinished Put.
    const fs::path temp = cache_->TempFolders().front() / ("download-" + digest + "." + NewExecutionId());
    const std::string key = Key(digest);
    Status got = client_.GetToFile(options_.bucket, key, temp);
    if (got.code() == StatusCode::kNotFound) {
      Result<std::string> manifest = client_.GetBytes(options_.bucket, key + ".manifest");
      if (!manifest.ok()) {
        if (manifest.status().code() == StatusCode::kNotFound) {
          return Status::NotFound("no artifact " + digest + " in s3://" + options_.bucket + "/" + options_.prefix);
        }
        return manifest.status();
      }
      const Json list = Json::parse(*manifest, nullptr, /*allow_exceptions=*/false);
      if (!list.is_object() || !list.contains("files") || !list["files"].is_array()) {
        return Status::IOError("artifact " + digest + ": unreadable manifest");
      }
      got = Status::OK();
      for (const Json& file : list["files"]) {
        const std::string relative = file.is_string() ? file.get<std::string>() : "";
        if (relative.empty() || relative.find("..") != std::string::npos || relative.front() == '/') {
          got = Status::IOError("artifact " + digest + ": bad path in its manifest");
          break;
        }
        got = MakeDirs((temp / relative).parent_path());
        if (got.ok()) got = client_.GetToFile(options_.bucket, key + ".d/" + relative, temp / relative);
        if (!got.ok()) break;
      }
    }
    std::error_code ec;
    if (!got.ok()) {
      fs::remove_all(temp, ec);
      return got;
    }
    Result<ArtifactRecord> stored = cache_->PutByMove(temp);
    fs::remove_all(temp, ec);
    if (!stored.ok()) return stored.status();
    if (stored->digest != digest) {
      return Status::IOError("artifact " + digest + " downloaded from S3 has digest " + stored->digest +
                             ": the object is corrupt");
    }
    return stored;
  }

  S3ArtifactStoreOptions options_;
  S3Client client_;
  std::unique_ptr<ArtifactStore> cache_;
  std::mutex trim_mu_;
  bool listed_ = false;          // Guarded by trim_mu_, as are the two below.
  uint64_t listed_bytes_ = 0;    // The copies' size at the last listing, after eviction.
  uint64_t unlisted_bytes_ = 0;  // What this process added since.
};

}  // namespace

Result<std::unique_ptr<ArtifactStore>> OpenS3ArtifactStore(S3ArtifactStoreOptions options) {
  if (options.bucket.empty()) return Status::InvalidArgument("S3 artifact store: no bucket");
  while (!options.prefix.empty() && options.prefix.back() == '/') options.prefix.pop_back();
  while (!options.prefix.empty() && options.prefix.front() == '/') options.prefix.erase(options.prefix.begin());
  ASSIGN_OR_RETURN(std::unique_ptr<ArtifactStore> cache, OpenLocalArtifactStore(options.cache_dir));
  if (options.create_bucket) {
    S3Client client(options.client);
    RETURN_IF_ERROR(client.CreateBucket(options.bucket));
  }
  return std::unique_ptr<ArtifactStore>(new S3ArtifactStore(std::move(options), std::move(cache)));
}

}  // namespace grove::store
