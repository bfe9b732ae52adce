#include "api/auth/admin_key.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "common/file_util.h"

namespace grove::api::auth {

namespace fs = std::filesystem;

fs::path AdminKeyPath(const fs::path& home) { return home / "admin-key.json"; }

Status WritePrivateFile(const fs::path& path, std::string_view contents) {
  fs::path temp = path;
  temp += ".tmp";
  ::unlink(temp.c_str());  // A leftover from a crash may have other permissions.
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoStatus("cannot create", temp, errno);
  size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return ErrnoStatus("cannot write", temp, err);
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return ErrnoStatus("cannot sync", temp, errno);
  if (::rename(temp.c_str(), path.c_str()) != 0) return ErrnoStatus("cannot rename to", path, errno);
  return SyncPath(path.parent_path());
}

std::string SecretsExposureWarning(const fs::path& home) {
  std::error_code ec;
  fs::perms folder = fs::status(home, ec).permissions();
  fs::perms db = fs::status(home / "grove.db", ec).permissions();
  if (ec) return "";
  bool enter = (folder & (fs::perms::group_exec | fs::perms::others_exec)) != fs::perms::none;
  bool read = (db & (fs::perms::group_read | fs::perms::others_read)) != fs::perms::none;
  if (!enter || !read) return "";
  return "warning: other users can read " + (home / "grove.db").string() +
         ", which holds the access keys' secrets; restrict the data folder: chmod 700 " + home.string();
}

Result<std::optional<AccessKey>> EnsureAdminKey(store::MetadataStore& store, const fs::path& home) {
  TimeMs now = store.clock()->Now();
  auto created = store::TransactValue(store, [&](store::StoreTransaction& txn) -> Result<std::optional<AccessKey>> {
    ASSIGN_OR_RETURN(std::vector<AccessKey> keys, app::ListAccessKeys(txn));
    for (const AccessKey& key : keys) {
      if (key.active() && key.name != app::kStepKeyName) return std::optional<AccessKey>();
    }
    ASSIGN_OR_RETURN(AccessKey key, app::CreateAccessKey(txn, Role::kAdmin, app::kAdminKeyName, now));
    return std::optional<AccessKey>(std::move(key));
  });
  if (!created.ok() || !created->has_value()) return created;
  const AccessKey& key = **created;
  Json file = {{"access_key_id", key.id}, {"secret_access_key", key.secret}, {"role", app::RoleName(key.role)},
               {"name", key.name}};
  RETURN_IF_ERROR(WritePrivateFile(AdminKeyPath(home), file.dump(2) + "\n"));
  return created;
}

}  // namespace grove::api::auth
