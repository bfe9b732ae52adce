#include "app/artifacts.h"

#include <algorithm>
#include <fstream>

#include "common/file_util.h"
#include "store/local_artifact_store.h"

namespace grove::app {

namespace fs = std::filesystem;

namespace {

Status BadRef(std::string_view text) {
  return Status::InvalidArgument("'" + std::string(text) +
                                 "' is not an artifact: expected a sha256 digest (64 hex digits, as `grove execution "
                                 "outputs` prints them), optionally /<file> inside it, or an artifact URI");
}

// The files of a directory tree, relative and sorted.
std::vector<ArtifactFile> ListFiles(const fs::path& root) {
  std::vector<ArtifactFile> files;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    files.push_back({fs::relative(it->path(), root).generic_string(), static_cast<int64_t>(it->file_size())});
  }
  std::sort(files.begin(), files.end(), [](const ArtifactFile& a, const ArtifactFile& b) { return a.path < b.path; });
  return files;
}

std::string FileList(const fs::path& root) {
  std::string list;
  for (const ArtifactFile& f : ListFiles(root)) list += (list.empty() ? "" : ", ") + f.path;
  return list.empty() ? "none" : list;
}

// Artifacts are stored read-only; a copy handed to a user is theirs to change.
void MakeOwnerWritable(const fs::path& path) {
  std::error_code ec;
  fs::permissions(path, fs::perms::owner_write, fs::perm_options::add, ec);
  if (!fs::is_directory(path, ec)) return;
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
    fs::permissions(it->path(), fs::perms::owner_write, fs::perm_options::add, ec);
  }
}

}  // namespace

Result<ArtifactRef> Artifacts::ParseRef(std::string_view text) {
  std::string_view path = text;
  if (size_t scheme = path.find("://"); scheme != std::string_view::npos) {
    // A URI: the digest is the path component that follows ".../sha256/<2 hex>/".
    size_t at = path.find("/sha256/", scheme + 3);
    if (at == std::string_view::npos || path.size() < at + 11) return BadRef(text);
    path = path.substr(at + 11);  // "/sha256/" + "ab/".
  } else if (path.substr(0, 7) == "sha256:") {
    path.remove_prefix(7);
  }
  ArtifactRef ref;
  size_t slash = path.find('/');
  ref.digest = std::string(path.substr(0, slash));
  if (!store::IsSha256Digest(ref.digest)) return BadRef(text);
  if (slash != std::string_view::npos) {
    ref.inner = std::string(path.substr(slash + 1));
    if (ref.inner.find('\0') != std::string::npos) {
      return Status::InvalidArgument("'" + ref.digest + "/...': a file name inside an artifact cannot hold a NUL byte");
    }
    while (!ref.inner.empty() && ref.inner.back() == '/') ref.inner.pop_back();
    fs::path inner = fs::path(ref.inner).lexically_normal();
    if (inner.is_absolute() || (!inner.empty() && *inner.begin() == "..")) return BadRef(text);
  }
  return ref;
}

Result<fs::path> Artifacts::Locate(const ArtifactRef& ref) {
  Result<fs::path> root = home_.artifacts()->LocalPath(ref.digest);
  if (!root.ok()) {
    if (root.status().code() == StatusCode::kNotFound) return Status::NotFound("no artifact '" + ref.digest + "'");
    return root.status();
  }
  if (ref.inner.empty()) return root;
  std::error_code ec;
  if (!fs::is_directory(*root, ec)) {
    return Status::NotFound("artifact " + ref.digest + " is a file, so it has no '" + ref.inner + "' inside");
  }
  fs::path inner = *root / ref.inner;
  if (!fs::exists(inner, ec)) {
    return Status::NotFound("artifact " + ref.digest + " has no '" + ref.inner + "' (files: " + FileList(*root) + ")");
  }
  return inner;
}

Result<fs::path> Artifacts::LocateFile(std::string_view text) {
  ASSIGN_OR_RETURN(ArtifactRef ref, ParseRef(text));
  ASSIGN_OR_RETURN(fs::path path, Locate(ref));
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    std::string name = ref.digest + (ref.inner.empty() ? "" : "/" + ref.inner);
    return Status::InvalidArgument(name + " is a directory: name a file in it as " + name + "/<file> (files: " +
                                   FileList(path) + ")");
  }
  return path;
}

Result<ArtifactInfo> Artifacts::Stat(std::string_view text) {
  ArtifactInfo info;
  ASSIGN_OR_RETURN(info.ref, ParseRef(text));
  ASSIGN_OR_RETURN(fs::path path, Locate(info.ref));
  Result<store::ArtifactRecord> record = home_.metadata()->GetArtifact(info.ref.digest);
  if (record.ok()) {
    info.record = *record;
    ASSIGN_OR_RETURN(info.lineage, home_.metadata()->ListArtifactLinks(info.ref.digest));
  } else if (record.status().code() == StatusCode::kNotFound) {
    // Stored but never recorded (e.g. written by hand): the bytes, no lineage.
    fs::path root = *home_.artifacts()->LocalPath(info.ref.digest);
    std::error_code ec;
    info.record.digest = info.ref.digest;
    info.record.uri = "file://" + root.string();
    info.record.is_directory = fs::is_directory(root, ec);
    info.record.size_bytes = info.record.is_directory ? 0 : static_cast<int64_t>(fs::file_size(root, ec));
  } else {
    return record.status();
  }
  std::error_code ec;
  if (fs::is_directory(path, ec)) info.files = ListFiles(path);
  return info;
}

Result<std::unique_ptr<std::istream>> Artifacts::Open(std::string_view text) {
  ASSIGN_OR_RETURN(fs::path path, LocateFile(text));
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in) return ErrnoStatus("cannot open", path, errno);
  return std::unique_ptr<std::istream>(std::move(in));
}

Result<std::string> Artifacts::ReadRange(std::string_view text, int64_t offset, std::optional<int64_t> length) {
  ASSIGN_OR_RETURN(fs::path path, LocateFile(text));
  std::error_code ec;
  int64_t size = static_cast<int64_t>(fs::file_size(path, ec));
  if (ec) return Status::IOError("cannot read the size of " + path.string() + ": " + ec.message());
  if (offset < 0 || offset > size || (length && *length < 0)) {
    return Status::InvalidArgument("byte range " + std::to_string(offset) + "+" +
                                   (length ? std::to_string(*length) : std::string("rest")) + " is outside " +
                                   std::string(text) + " (" + std::to_string(size) + " bytes)");
  }
  int64_t count = std::min(size - offset, length.value_or(size - offset));
  return ReadFileFrom(path, static_cast<uint64_t>(offset), static_cast<size_t>(count));
}

Result<fs::path> Artifacts::CopyTo(std::string_view text, const fs::path& dest) {
  ASSIGN_OR_RETURN(ArtifactRef ref, ParseRef(text));
  ASSIGN_OR_RETURN(fs::path source, Locate(ref));
  std::error_code ec;
  fs::path target = dest;
  if (fs::is_directory(dest, ec)) target /= ref.inner.empty() ? fs::path(ref.digest) : fs::path(ref.inner).filename();
  bool directory = fs::is_directory(source, ec);
  if (directory && fs::exists(target, ec)) {
    return Status::AlreadyExists(target.string() + " exists; give a new path for the directory artifact");
  }
  if (!directory && fs::exists(target, ec)) fs::remove(target, ec);  // Replace a file, as cp does.
  fs::copy(source, target, fs::copy_options::recursive, ec);
  if (ec) return Status::IOError("cannot copy " + std::string(text) + " to " + target.string() + ": " + ec.message());
  MakeOwnerWritable(target);
  return target;
}

}  // namespace grove::app
