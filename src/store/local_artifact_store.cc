#include "store/local_artifact_store.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "common/file_util.h"
#include "common/sha256.h"

namespace grove::store {

namespace fs = std::filesystem;

namespace {

// Removes a temporary file or tree on scope exit unless released.
class TempGuard {
 public:
  explicit TempGuard(fs::path path) : path_(std::move(path)) {}
  ~TempGuard() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  void Release() { path_.clear(); }

 private:
  fs::path path_;
};

bool HasSymlinks(const fs::path& dir) {
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; it != end; it.increment(ec)) {
    if (ec || it->is_symlink(ec)) return true;
  }
  return static_cast<bool>(ec);
}

}  // namespace

bool IsSha256Digest(std::string_view digest) {
  if (digest.size() != 64) return false;
  for (char c : digest) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<std::unique_ptr<LocalArtifactStore>> LocalArtifactStore::Open(const fs::path& root,
                                                                     LocalArtifactStoreOptions options) {
  std::error_code ec;
  fs::path absolute = fs::absolute(root, ec).lexically_normal();
  if (ec) return Status::IOError("cannot resolve artifact store folder " + root.string() + ": " + ec.message());
  if (!absolute.has_filename()) absolute = absolute.parent_path();
  if (options.clock == nullptr) options.clock = SystemClock::Default();
  std::unique_ptr<LocalArtifactStore> store(new LocalArtifactStore(absolute, std::move(options)));
  RETURN_IF_ERROR(MakeDirs(store->objects_));
  RETURN_IF_ERROR(MakeDirs(store->temp_));
  store->RemoveStaleTemps();
  return store;
}

LocalArtifactStore::LocalArtifactStore(fs::path root, LocalArtifactStoreOptions options)
    : root_(std::move(root)), objects_(root_ / "sha256"), temp_(root_ / "tmp"), options_(std::move(options)) {}

fs::path LocalArtifactStore::PathOf(const std::string& digest) const {
  return objects_ / digest.substr(0, 2) / digest;
}

Result<ArtifactRecord> LocalArtifactStore::Put(const fs::path& source) {
  std::error_code ec;
  fs::file_status st = fs::status(source, ec);
  if (!fs::exists(st)) return Status::NotFound("no such file or directory: " + source.string());
  if (fs::is_directory(st)) return PutDirectory(source);
  if (!fs::is_regular_file(st)) {
    return Status::InvalidArgument(source.string() + " is neither a regular file nor a directory");
  }
  return PutFile(source);
}

Result<ArtifactRecord> LocalArtifactStore::PutFile(const fs::path& source) {
  int fd = -1;
  ASSIGN_OR_RETURN(fs::path temp, NewTempFile(&fd));
  TempGuard guard(temp);
  auto copied = CopyAndHash(source, fd, temp, ChunkHookFn());
  if (!copied.ok()) {
    ::close(fd);
    return copied.status();
  }
  RETURN_IF_ERROR(SealAndClose(fd, temp));
  Hook("before_publish");
  auto record = Publish(temp, copied->digest, /*is_directory=*/false, copied->size_bytes);
  if (record.ok()) guard.Release();
  return record;
}

Result<ArtifactRecord> LocalArtifactStore::PutBytes(std::string_view bytes) {
  int fd = -1;
  ASSIGN_OR_RETURN(fs::path temp, NewTempFile(&fd));
  TempGuard guard(temp);
  Status written = WriteAll(fd, bytes, temp);
  if (!written.ok()) {
    ::close(fd);
    return written;
  }
  RETURN_IF_ERROR(SealAndClose(fd, temp));
  Hook("before_publish");
  auto record = Publish(temp, Sha256::Of(bytes), /*is_directory=*/false, static_cast<int64_t>(bytes.size()));
  if (record.ok()) guard.Release();
  return record;
}

Result<ArtifactRecord> LocalArtifactStore::PutDirectory(const fs::path& source) {
  ASSIGN_OR_RETURN(fs::path temp, NewTempFolder());
  TempGuard guard(temp);
  ASSIGN_OR_RETURN(int64_t size, CopyTree(source, temp, ChunkHookFn()));
  RETURN_IF_ERROR(SyncFolders(temp));
  ASSIGN_OR_RETURN(std::string digest, Sha256Tree(temp));
  Hook("before_publish");
  auto record = Publish(temp, digest, /*is_directory=*/true, size);
  if (record.ok()) guard.Release();
  return record;
}

Result<ArtifactRecord> LocalArtifactStore::PutByMove(const fs::path& source) {
  std::error_code ec;
  fs::file_status st = fs::symlink_status(source, ec);
  if (!fs::exists(st)) return Status::NotFound("no such file or directory: " + source.string());
  bool is_directory = fs::is_directory(st);
  bool movable = fs::is_regular_file(st) || (is_directory && !HasSymlinks(source));
  if (movable) {
    ASSIGN_OR_RETURN(fs::path holder, NewTempFolder());
    TempGuard guard(holder);
    fs::path moved = holder / "content";
    if (::rename(source.c_str(), moved.c_str()) == 0) {
      auto record = is_directory ? PutMovedDirectory(moved) : PutMovedFile(moved);
      // Give the content back rather than lose it when it could not be stored.
      if (!record.ok() && fs::exists(fs::symlink_status(moved, ec))) ::rename(moved.c_str(), source.c_str());
      return record;
    }
    if (errno != EXDEV) return ErrnoStatus("cannot move", source, errno);
  }
  // Another file system (or symlinks that must not be stored as links): copy, then consume.
  ASSIGN_OR_RETURN(ArtifactRecord record, Put(source));
  fs::remove_all(source, ec);
  return record;
}

Result<ArtifactRecord> LocalArtifactStore::PutMovedFile(const fs::path& moved) {
  int fd = ::open(moved.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open", moved, errno);
  RETURN_IF_ERROR(SealAndClose(fd, moved));
  ASSIGN_OR_RETURN(std::string digest, Sha256File(moved));
  std::error_code ec;
  auto size = static_cast<int64_t>(fs::file_size(moved, ec));
  if (ec) return Status::IOError("cannot stat " + moved.string() + ": " + ec.message());
  Hook("before_publish");
  return Publish(moved, digest, /*is_directory=*/false, size);
}

Result<ArtifactRecord> LocalArtifactStore::PutMovedDirectory(const fs::path& moved) {
  ASSIGN_OR_RETURN(int64_t size, SealTree(moved));
  RETURN_IF_ERROR(SyncFolders(moved));
  ASSIGN_OR_RETURN(std::string digest, Sha256Tree(moved));
  Hook("before_publish");
  return Publish(moved, digest, /*is_directory=*/true, size);
}

Result<ArtifactRecord> LocalArtifactStore::Publish(const fs::path& temp, const std::string& digest, bool is_directory,
                                                   int64_t size_bytes) {
  fs::path final_path = PathOf(digest);
  fs::path shard = final_path.parent_path();
  std::error_code ec;
  if (!fs::exists(shard, ec)) {
    RETURN_IF_ERROR(MakeDirs(shard));
    RETURN_IF_ERROR(SyncPath(objects_));
  }
  bool stored = fs::exists(fs::symlink_status(final_path, ec));
  if (!stored) {
    // A file replaces an equal one atomically; a folder cannot replace a
    // non-empty one (EEXIST/ENOTEMPTY), which means another writer won.
    if (::rename(temp.c_str(), final_path.c_str()) == 0) {
      Hook("published");
      RETURN_IF_ERROR(SyncPath(shard));
    } else if (errno != EEXIST && errno != ENOTEMPTY) {
      return ErrnoStatus("cannot move artifact into place at", final_path, errno);
    }
  }
  fs::remove_all(temp, ec);  // The copy that lost, if any.
  ArtifactRecord record;
  record.digest = digest;
  record.uri = "file://" + final_path.string();
  record.is_directory = is_directory;
  record.size_bytes = size_bytes;
  record.created_at = options_.clock->Now();
  return record;
}

Result<fs::path> LocalArtifactStore::LocalPath(const std::string& digest) {
  if (!IsSha256Digest(digest)) {
    return Status::InvalidArgument("'" + digest + "' is not a SHA-256 digest (64 lowercase hex digits)");
  }
  fs::path path = PathOf(digest);
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(path, ec))) {
    return Status::NotFound("no artifact '" + digest + "' in " + root_.string());
  }
  return path;
}

bool LocalArtifactStore::Contains(const std::string& digest) { return LocalPath(digest).ok(); }

Result<fs::path> LocalArtifactStore::NewTempFile(int* fd) {
  std::string name = (temp_ / "put-XXXXXX").string();
  *fd = ::mkostemp(name.data(), O_CLOEXEC);
  if (*fd < 0) return ErrnoStatus("cannot create a temporary file in", temp_, errno);
  return fs::path(name);
}

Result<fs::path> LocalArtifactStore::NewTempFolder() {
  std::string name = (temp_ / "dir-XXXXXX").string();
  if (::mkdtemp(name.data()) == nullptr) return ErrnoStatus("cannot create a temporary folder in", temp_, errno);
  ::chmod(name.c_str(), 0755);
  return fs::path(name);
}

void LocalArtifactStore::RemoveStaleTemps() {
  auto cutoff = fs::file_time_type::clock::now() - std::chrono::milliseconds(options_.temp_max_age_ms);
  std::error_code ec;
  for (fs::directory_iterator it(temp_, ec), end; it != end; it.increment(ec)) {
    if (ec) break;
    std::error_code remove_ec;
    if (NewestWrite(it->path()) < cutoff) fs::remove_all(it->path(), remove_ec);
  }
}

void LocalArtifactStore::Hook(std::string_view point) const {
  if (options_.test_hook) options_.test_hook(point);
}

ChunkHook LocalArtifactStore::ChunkHookFn() const {
  if (!options_.test_hook) return {};
  return [this] { Hook("chunk_copied"); };
}

Result<std::unique_ptr<ArtifactStore>> OpenLocalArtifactStore(const fs::path& root,
                                                              LocalArtifactStoreOptions options) {
  ASSIGN_OR_RETURN(std::unique_ptr<LocalArtifactStore> store, LocalArtifactStore::Open(root, std::move(options)));
  return std::unique_ptr<ArtifactStore>(std::move(store));
}

Result<std::unique_ptr<ArtifactStore>> OpenLocalArtifactStore(const fs::path& root) {
  return OpenLocalArtifactStore(root, LocalArtifactStoreOptions{});
}

}  // namespace grove::store
