#pragma once

// Access keys: the rules for creating, finding, listing and revoking them,
// written once over the store's resource table (kind "access-key", named by
// the key id), so every backend keeps them the same way.
//
// The secret is stored as it is given out: SigV4 verification needs it (a hash
// would not do). The data folder's file permissions protect it, as they
// protect the rest of the metadata; see docs/operations.md.
#include <optional>
#include <string>
#include <vector>

#include "app/role.h"
#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "store/metadata_store.h"

namespace grove::app {

inline constexpr char kAccessKeyKind[] = "access-key";
// Key ids are "GRVK" and 16 characters of A-Z2-7 (20 in all, like AWS's "AKIA..." ids).
inline constexpr char kAccessKeyIdPrefix[] = "GRVK";
inline constexpr size_t kAccessKeyIdLength = 20;
// Secrets are 40 characters of A-Z a-z 0-9 (about 238 random bits).
inline constexpr size_t kSecretLength = 40;

struct AccessKey {
  std::string id;
  std::string secret;  // Empty once revoked.
  Role role = Role::kViewer;
  // Who holds it; the identity recorded for what the key does (approvals,
  // promotions). Several keys may share a name, e.g. while one is rotated.
  std::string name;
  TimeMs created_at = 0;
  TimeMs revoked_at = 0;  // 0 while the key is active.

  bool active() const { return revoked_at == 0; }
};

// Stores a new key of `role` with a fresh random id and secret. `name`
// defaults to the id; InvalidArgument when it is longer than 128 characters or
// holds spaces or control characters.
Result<AccessKey> CreateAccessKey(store::StoreTransaction& txn, Role role, const std::string& name, TimeMs now);
Result<AccessKey> CreateAccessKey(store::MetadataStore& store, Role role, const std::string& name);

// The name of the operator key a data folder's pipeline steps use for their
// own S3 calls (a SageMaker Processing script's boto3), made once.
inline constexpr const char* kStepKeyName = "pipeline-steps";
// The name of the admin key a server makes on its first start (api/auth/admin_key.h).
inline constexpr const char* kAdminKeyName = "admin";

// The active key named `name` with `role` (the first by id), created when there is none.
Result<AccessKey> EnsureAccessKey(store::MetadataStore& store, Role role, const std::string& name);

// The key `id`, active or revoked; nullopt when there is none.
Result<std::optional<AccessKey>> FindAccessKey(store::StoreReader& rows, const std::string& id);

// Every key, active and revoked, by id.
Result<std::vector<AccessKey>> ListAccessKeys(store::StoreReader& rows);
Result<std::vector<AccessKey>> ListAccessKeys(store::MetadataStore& store);

// Revokes key `id`: its secret is erased and it authenticates nothing from
// then on; the row stays, so the identity it recorded can still be looked up.
// NotFound when there is no such key; FailedPrecondition when it is revoked already.
Result<AccessKey> RevokeAccessKey(store::StoreTransaction& txn, const std::string& id, TimeMs now);
// Gives active key `id` another role (grove apply). NotFound or FailedPrecondition as RevokeAccessKey.
Result<AccessKey> SetAccessKeyRole(store::StoreTransaction& txn, const std::string& id, Role role);
Result<AccessKey> RevokeAccessKey(store::MetadataStore& store, const std::string& id);

// A key as `key list --json` and GET /api/v1/keys show it, never with its secret:
// {access_key_id, name, role, status: Active|Revoked, created_at, revoked_at?}.
Json KeyJson(const AccessKey& key);
// A key just created, with its secret (shown only this once):
// {access_key_id, secret_access_key, role, name}.
Json NewKeyJson(const AccessKey& key);

// `count` characters drawn uniformly from `alphabet` by the operating
// system's cryptographic generator. Internal error when it fails.
Result<std::string> RandomString(size_t count, std::string_view alphabet);

}  // namespace grove::app
