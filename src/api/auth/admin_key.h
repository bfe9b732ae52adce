#pragma once

// A server's first start: a data folder without an active access key (other
// than the pipeline steps' own, app::kStepKeyName) gets an admin key, written where only the folder's owner can read it, so the first
// client can be set up without another command.
#include <filesystem>
#include <optional>
#include <string>

#include "app/access_keys.h"
#include "common/status.h"
#include "store/metadata_store.h"

namespace grove::api::auth {

// The key rules live in app/ (access_keys.h), below every interface that checks them.
using app::AccessKey;
using app::Role;

// <home>/admin-key.json: {"access_key_id", "secret_access_key", "role", "name"}.
std::filesystem::path AdminKeyPath(const std::filesystem::path& home);

// When `store` holds no active key but the steps' key, creates an admin key named "admin" and
// writes it to AdminKeyPath(home) with mode 0600 (replacing an older file);
// returns it. nullopt when a key exists already. IOError when the file cannot
// be written (the key is stored regardless; `grove key list` shows it).
Result<std::optional<AccessKey>> EnsureAdminKey(store::MetadataStore& store, const std::filesystem::path& home);

// A warning for when other users can read the keys' secrets: the data folder
// lets them in and its grove.db is readable by them; empty otherwise.
std::string SecretsExposureWarning(const std::filesystem::path& home);

// Writes `contents` to `path` through a temporary file created with mode 0600,
// fsynced and renamed into place, so the file is never readable by others.
Status WritePrivateFile(const std::filesystem::path& path, std::string_view contents);

}  // namespace grove::api::auth
