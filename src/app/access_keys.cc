#include "app/access_keys.h"

#include <openssl/rand.h>

namespace grove::app {

namespace {

constexpr std::string_view kIdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kSecretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

Status CheckName(const std::string& name) {
  if (name.size() > 128) return Status::InvalidArgument("a key name has at most 128 characters");
  for (unsigned char c : name) {
    if (c <= ' ' || c == 0x7f) {
      return Status::InvalidArgument("key name '" + name + "' holds a space or control character");
    }
  }
  return Status::OK();
}

store::ResourceRecord ToResource(const AccessKey& key) {
  Json body = {{"secret_access_key", key.secret}, {"role", RoleName(key.role)}, {"name", key.name}};
  if (!key.active()) body["revoked_at"] = key.revoked_at;
  return {kAccessKeyKind, key.id, std::move(body), key.created_at, key.active() ? key.created_at : key.revoked_at};
}

Result<AccessKey> FromResource(const store::ResourceRecord& row) {
  AccessKey key;
  key.id = row.name;
  key.created_at = row.created_at;
  try {
    key.secret = row.body.value("secret_access_key", "");
    key.name = row.body.value("name", row.name);
    key.revoked_at = row.body.value("revoked_at", TimeMs{0});
    std::optional<Role> role = ParseRole(row.body.value("role", ""));
    if (!role) return Status::Internal("access key " + row.name + " has an unknown role: " + row.body.dump());
    key.role = *role;
  } catch (const std::exception& e) {
    return Status::Internal("access key " + row.name + " is malformed: " + e.what());
  }
  return key;
}

}  // namespace

Result<std::string> RandomString(size_t count, std::string_view alphabet) {
  // Rejection sampling keeps every character equally likely.
  const unsigned limit = 256 - 256 % alphabet.size();
  std::string out;
  unsigned char buffer[64];
  while (out.size() < count) {
    if (RAND_bytes(buffer, sizeof(buffer)) != 1) return Status::Internal("the random generator failed");
    for (unsigned char b : buffer) {
      if (b < limit && out.size() < count) out.push_back(alphabet[b % alphabet.size()]);
    }
  }
  return out;
}

Result<AccessKey> CreateAccessKey(store::StoreTransaction& txn, Role role, const std::string& name, TimeMs now) {
  RETURN_IF_ERROR(CheckName(name));
  AccessKey key;
  key.role = role;
  key.created_at = now;
  // 32^16 ids make a collision all but impossible; checking costs one read.
  do {
    ASSIGN_OR_RETURN(std::string suffix, RandomString(kAccessKeyIdLength - 4, kIdAlphabet));
    key.id = kAccessKeyIdPrefix + suffix;
    ASSIGN_OR_RETURN(std::optional<store::ResourceRecord> taken, txn.FindResource(kAccessKeyKind, key.id));
    if (!taken) break;
  } while (true);
  ASSIGN_OR_RETURN(key.secret, RandomString(kSecretLength, kSecretAlphabet));
  key.name = name.empty() ? key.id : name;
  RETURN_IF_ERROR(txn.PutResource(ToResource(key)));
  return key;
}

Result<AccessKey> CreateAccessKey(store::MetadataStore& store, Role role, const std::string& name) {
  TimeMs now = store.clock()->Now();
  return store::TransactValue(store,
                              [&](store::StoreTransaction& txn) { return CreateAccessKey(txn, role, name, now); });
}

Result<AccessKey> EnsureAccessKey(store::MetadataStore& store, Role role, const std::string& name) {
  const TimeMs now = store.clock()->Now();
  return store::TransactValue(store, [&](store::StoreTransaction& txn) -> Result<AccessKey> {
    ASSIGN_OR_RETURN(std::vector<AccessKey> keys, ListAccessKeys(txn));
    for (const AccessKey& key : keys) {
      if (key.active() && key.name == name && key.role == role) return key;
    }
    return CreateAccessKey(txn, role, name, now);
  });
}

Result<std::optional<AccessKey>> FindAccessKey(store::StoreReader& rows, const std::string& id) {
  ASSIGN_OR_RETURN(std::optional<store::ResourceRecord> row, rows.FindResource(kAccessKeyKind, id));
  if (!row) return std::optional<AccessKey>();
  ASSIGN_OR_RETURN(AccessKey key, FromResource(*row));
  return std::optional<AccessKey>(std::move(key));
}

Result<std::vector<AccessKey>> ListAccessKeys(store::StoreReader& rows) {
  ASSIGN_OR_RETURN(std::vector<store::ResourceRecord> records, rows.ListResources(kAccessKeyKind, "", "", 0));
  std::vector<AccessKey> keys;
  for (const store::ResourceRecord& row : records) {
    ASSIGN_OR_RETURN(AccessKey key, FromResource(row));
    keys.push_back(std::move(key));
  }
  return keys;
}

Result<std::vector<AccessKey>> ListAccessKeys(store::MetadataStore& store) {
  return store::ReadValue(store, [](store::StoreReader& rows) { return ListAccessKeys(rows); });
}

namespace {

Result<AccessKey> FindActiveKey(store::StoreReader& rows, const std::string& id) {
  ASSIGN_OR_RETURN(std::optional<AccessKey> key, FindAccessKey(rows, id));
  if (!key) return Status::NotFound("no access key '" + id + "' (grove key list shows them)");
  if (!key->active()) return Status::FailedPrecondition("access key '" + id + "' is revoked already");
  return *key;
}

}  // namespace

Result<AccessKey> SetAccessKeyRole(store::StoreTransaction& txn, const std::string& id, Role role) {
  ASSIGN_OR_RETURN(AccessKey key, FindActiveKey(txn, id));
  key.role = role;
  RETURN_IF_ERROR(txn.PutResource(ToResource(key)));
  return key;
}

Result<AccessKey> RevokeAccessKey(store::StoreTransaction& txn, const std::string& id, TimeMs now) {
  ASSIGN_OR_RETURN(AccessKey key, FindActiveKey(txn, id));
  key.secret.clear();
  key.revoked_at = now;
  RETURN_IF_ERROR(txn.PutResource(ToResource(key)));
  return key;
}

Result<AccessKey> RevokeAccessKey(store::MetadataStore& store, const std::string& id) {
  TimeMs now = store.clock()->Now();
  return store::TransactValue(store, [&](store::StoreTransaction& txn) { return RevokeAccessKey(txn, id, now); });
}

Json KeyJson(const AccessKey& key) {
  Json out = {{"access_key_id", key.id},
              {"name", key.name},
              {"role", RoleName(key.role)},
              {"status", key.active() ? "Active" : "Revoked"},
              {"created_at", FormatIso8601(key.created_at)}};
  if (!key.active()) out["revoked_at"] = FormatIso8601(key.revoked_at);
  return out;
}

Json NewKeyJson(const AccessKey& key) {
  return {{"access_key_id", key.id}, {"secret_access_key", key.secret}, {"role", RoleName(key.role)},
          {"name", key.name}};
}

}  // namespace grove::app
