#pragma once

#include <filesystem>
#include <string>

#include "common/status.h"

namespace grove::store {

// Copies the SQLite database at `source` into a new database file at
// `destination` with SQLite's online backup API, over a read-only connection
// of its own: the copy is one consistent snapshot (in WAL mode readers do
// not block writers, so other processes keep writing meanwhile). The copy is
// written under a temporary name beside `destination`, synced, and renamed
// into place, so a crash leaves no half-written `destination`.
// AlreadyExists when `destination` exists; IOError naming the file otherwise.
Status BackupSqliteFile(const std::string& source, const std::filesystem::path& destination);

}  // namespace grove::store
