#pragma once

// Who sent a request: SigV4 signatures (the SageMaker, runtime and S3 APIs)
// and "Authorization: Bearer <secret>" (Grove's API and console), checked
// against access keys. The HTTP layer (api/access_control.h) calls an
// Authenticator through this interface, so its tests can use a fake.
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "app/access_keys.h"
#include "app/role.h"
#include "common/clock.h"
#include "common/status.h"
#include "store/metadata_store.h"

namespace grove::api::auth {

// The key rules live in app/ (access_keys.h), below every interface that checks them.
using app::AccessKey;
using app::Role;

// A request as the authenticator needs it (free of any HTTP library). The
// views must outlive the Authenticate call.
struct RequestView {
  std::string_view method;
  std::string_view path;   // As sent: still percent-encoded, without the query.
  std::string_view query;  // The raw text after '?'; empty when there is none.
  const std::vector<std::pair<std::string, std::string>>* headers = nullptr;
  std::string_view body;
};

// Why a request was not authenticated; each protocol names these its own way.
enum class AuthError {
  kNone,
  kMissing,          // No credentials at all.
  kMalformed,        // An Authorization header or X-Amz-Date that cannot be read.
  kUnknownKey,       // No active key with this id (or, for Bearer, this secret).
  kBadSignature,     // The signature (or a chunk's) does not match.
  kExpired,          // X-Amz-Date is more than 15 minutes from the server's clock.
  kPayloadMismatch,  // X-Amz-Content-SHA256 is not the body's digest.
  kUnavailable,      // The keys could not be read (a store error).
};

// The authenticated caller.
struct Caller {
  std::string access_key_id;
  std::string identity;  // The key's name.
  Role role = Role::kViewer;
};

struct AuthOutcome {
  AuthError error = AuthError::kNone;
  std::string message;  // What was wrong, for the client; empty on success.
  Caller caller;        // Set on success.
  // For aws-chunked bodies (STREAMING-AWS4-HMAC-SHA256-PAYLOAD): the data the
  // chunks carried, to hand on in place of the body.
  std::optional<std::string> decoded_body;

  bool ok() const { return error == AuthError::kNone; }
  static AuthOutcome Fail(AuthError error, std::string message) { return {error, std::move(message), {}, {}}; }
};

// Thread safety: implementations are called concurrently from I/O threads.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  virtual AuthOutcome Authenticate(const RequestView& request) const = 0;
};

// Where an authenticator finds keys. Revoked keys are not returned.
// Thread safety: implementations must be thread-safe.
class KeySource {
 public:
  virtual ~KeySource() = default;
  virtual Result<std::optional<AccessKey>> FindById(const std::string& id) = 0;
  virtual Result<std::optional<AccessKey>> FindBySecret(const std::string& secret) = 0;
};

// The active keys of a metadata store, read again when the copy in memory is
// older than `max_age_ms`, or older than 20 ms and asked for a key it lacks
// (so a key is usable as soon as it is created, and a revocation takes effect
// within max_age_ms).
class StoreKeySource : public KeySource {
 public:
  // REQUIRES: `store` and `clock` outlive this.
  StoreKeySource(store::MetadataStore* store, const Clock* clock, TimeMs max_age_ms = 500);
  Result<std::optional<AccessKey>> FindById(const std::string& id) override;
  Result<std::optional<AccessKey>> FindBySecret(const std::string& secret) override;

 private:
  // Finds `key` in `index` (by id or by secret), reloading first when due.
  Result<std::optional<AccessKey>> Find(const std::string& key, bool by_secret);
  Status Reload(TimeMs now);  // REQUIRES: mutex_ held.

  store::MetadataStore* store_;
  const Clock* clock_;
  const TimeMs max_age_ms_;
  std::mutex mutex_;
  // State below is protected by mutex_.
  TimeMs loaded_at_ = -1;
  std::vector<AccessKey> keys_;
  std::unordered_map<std::string, size_t> by_id_;
  std::unordered_map<std::string, size_t> by_secret_;
};

// How far X-Amz-Date may be from the server's clock, as AWS allows.
inline constexpr TimeMs kMaxClockSkewMs = 15 * 60 * 1000;

// Checks SigV4 (Authorization header form) and Bearer credentials against
// `keys`. Documented in docs/api.md ("Access control"): the canonical URI of
// S3 (credential scope service "s3") is the decoded path encoded once, of other
// services the path as sent, normalised and encoded again; the payload hash is
// X-Amz-Content-SHA256 when sent (checked against the body unless it is
// UNSIGNED-PAYLOAD; STREAMING-AWS4-HMAC-SHA256-PAYLOAD bodies have their
// chunks checked and decoded), else the body's digest. Presigned URLs
// (X-Amz-Signature in the query) and SigV4A are refused as malformed.
class KeyAuthenticator : public Authenticator {
 public:
  // REQUIRES: `keys` and `clock` outlive this.
  KeyAuthenticator(KeySource* keys, const Clock* clock) : keys_(keys), clock_(clock) {}
  AuthOutcome Authenticate(const RequestView& request) const override;

 private:
  AuthOutcome SigV4(const RequestView& request, std::string_view authorization) const;
  AuthOutcome Bearer(std::string_view secret) const;
  // The key's caller, or kUnknownKey / kUnavailable.
  AuthOutcome CallerOf(const Result<std::optional<AccessKey>>& found, const std::string& what) const;

  KeySource* keys_;
  const Clock* clock_;
};

}  // namespace grove::api::auth
