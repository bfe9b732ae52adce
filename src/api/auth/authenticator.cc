#include "api/auth/authenticator.h"

#include <cctype>
#include <ctime>

#include "api/auth/aws_chunked.h"
#include "api/auth/sigv4.h"
#include "common/sha256.h"

namespace grove::api::auth {

namespace {

constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
constexpr TimeMs kMissRefreshMs = 20;

std::optional<std::string_view> Header(const RequestView& request, std::string_view name) {
  if (request.headers == nullptr) return std::nullopt;
  for (const auto& [field, value] : *request.headers) {
    if (field.size() != name.size()) continue;
    bool same = true;
    for (size_t i = 0; i < name.size() && same; ++i) {
      same = std::tolower(static_cast<unsigned char>(field[i])) == std::tolower(static_cast<unsigned char>(name[i]));
    }
    if (same) return std::string_view(value);
  }
  return std::nullopt;
}

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::string FormatAmzDate(TimeMs t) {
  std::time_t seconds = static_cast<std::time_t>(t / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof(text), "%Y%m%dT%H%M%SZ", &tm);
  return text;
}

// Whether `query` carries a presigned URL's signature.
bool Presigned(std::string_view query) {
  for (size_t at = query.find("X-Amz-Signature="); at != std::string_view::npos;
       at = query.find("X-Amz-Signature=", at + 1)) {
    if (at == 0 || query[at - 1] == '&') return true;
  }
  return false;
}

// The payload hash the client signed, checking it against the body.
AuthOutcome PayloadHash(const RequestView& request, std::string* hash) {
  std::optional<std::string_view> sent = Header(request, "x-amz-content-sha256");
  if (!sent) {
    *hash = Sha256::Of(request.body);
    return {};
  }
  *hash = std::string(*sent);
  if (*sent == kUnsignedPayload || *sent == kStreamingPayload) return {};
  if (StartsWith(*sent, "STREAMING-")) {
    return AuthOutcome::Fail(AuthError::kMalformed, "X-Amz-Content-SHA256 '" + *hash +
                                                        "' is not supported (Grove takes a digest, UNSIGNED-PAYLOAD "
                                                        "or STREAMING-AWS4-HMAC-SHA256-PAYLOAD)");
  }
  if (!ConstantTimeEquals(*hash, Sha256::Of(request.body))) {
    return AuthOutcome::Fail(AuthError::kPayloadMismatch,
                             "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  return {};
}

}  // namespace

StoreKeySource::StoreKeySource(store::MetadataStore* store, const Clock* clock, TimeMs max_age_ms)
    : store_(store), clock_(clock), max_age_ms_(max_age_ms) {}

Result<std::optional<AccessKey>> StoreKeySource::FindById(const std::string& id) { return Find(id, false); }

Result<std::optional<AccessKey>> StoreKeySource::FindBySecret(const std::string& secret) {
  return Find(secret, true);
}

Result<std::optional<AccessKey>> StoreKeySource::Find(const std::string& key, bool by_secret) {
  std::lock_guard<std::mutex> lock(mutex_);
  const auto& index = by_secret ? by_secret_ : by_id_;
  TimeMs now = clock_->Now();
  TimeMs age = now - loaded_at_;
  if (loaded_at_ < 0 || age >= max_age_ms_ || (age >= kMissRefreshMs && !index.count(key))) {
    RETURN_IF_ERROR(Reload(now));
  }
  auto it = index.find(key);
  if (it != index.end()) return std::optional<AccessKey>(keys_[it->second]);
  if (by_secret) return std::optional<AccessKey>();
  // An id the cache does not know may be a key created since it was loaded:
  // look it up (one indexed row), so a new key works at once.
  ASSIGN_OR_RETURN(std::optional<AccessKey> found, store::ReadValue(*store_, [&](store::StoreReader& rows) {
                     return app::FindAccessKey(rows, key);
                   }));
  if (!found || !found->active() || found->secret.empty()) return std::optional<AccessKey>();
  by_id_[found->id] = keys_.size();
  by_secret_[found->secret] = keys_.size();
  keys_.push_back(*found);
  return found;
}

Status StoreKeySource::Reload(TimeMs now) {
  ASSIGN_OR_RETURN(std::vector<AccessKey> keys, app::ListAccessKeys(*store_));
  keys_.clear();
  by_id_.clear();
  by_secret_.clear();
  for (AccessKey& key : keys) {
    if (!key.active() || key.secret.empty()) continue;
    by_id_[key.id] = keys_.size();
    by_secret_[key.secret] = keys_.size();
    keys_.push_back(std::move(key));
  }
  loaded_at_ = now;
  return Status::OK();
}

AuthOutcome KeyAuthenticator::Authenticate(const RequestView& request) const {
  std::optional<std::string_view> authorization = Header(request, "authorization");
  if (!authorization) {
    if (Presigned(request.query)) {
      return AuthOutcome::Fail(AuthError::kMalformed,
                               "presigned URLs are not supported; sign the request's Authorization header");
    }
    return AuthOutcome::Fail(AuthError::kMissing,
                             "the request has no credentials: sign it with an access key (SigV4) or send "
                             "'Authorization: Bearer <secret access key>'");
  }
  if (StartsWith(*authorization, "AWS4-HMAC-SHA256 ")) return SigV4(request, *authorization);
  if (StartsWith(*authorization, "Bearer ")) return Bearer(authorization->substr(7));
  return AuthOutcome::Fail(AuthError::kMalformed,
                           "unsupported Authorization scheme: use AWS4-HMAC-SHA256 (SigV4) or Bearer");
}

AuthOutcome KeyAuthenticator::CallerOf(const Result<std::optional<AccessKey>>& found, const std::string& what) const {
  if (!found.ok()) {
    return AuthOutcome::Fail(AuthError::kUnavailable, "cannot read access keys: " + found.status().message());
  }
  if (!found->has_value()) {
    return AuthOutcome::Fail(AuthError::kUnknownKey,
                             what + " does not match an active access key (grove key list shows them)");
  }
  const AccessKey& key = **found;
  AuthOutcome outcome;
  outcome.caller = {key.id, key.name, key.role};
  return outcome;
}

AuthOutcome KeyAuthenticator::Bearer(std::string_view secret) const {
  while (!secret.empty() && secret.front() == ' ') secret.remove_prefix(1);
  return CallerOf(keys_->FindBySecret(std::string(secret)), "the bearer token");
}

AuthOutcome KeyAuthenticator::SigV4(const RequestView& request, std::string_view authorization) const {
  Result<SigV4Authorization> parsed = ParseAuthorization(authorization);
  if (!parsed.ok()) return AuthOutcome::Fail(AuthError::kMalformed, parsed.status().message());
  const CredentialScope& scope = parsed->credential;
  std::optional<std::string_view> amz_date = Header(request, "x-amz-date");
  if (!amz_date) return AuthOutcome::Fail(AuthError::kMalformed, "a signed request needs an X-Amz-Date header");
  Result<TimeMs> signed_at = ParseAmzDate(*amz_date);
  if (!signed_at.ok()) return AuthOutcome::Fail(AuthError::kMalformed, signed_at.status().message());
  TimeMs now = clock_->Now();
  if (*signed_at < now - kMaxClockSkewMs || *signed_at > now + kMaxClockSkewMs) {
    return AuthOutcome::Fail(AuthError::kExpired, "Signature expired: " + std::string(*amz_date) +
                                                      " is more than 15 minutes from the server's time " +
                                                      FormatAmzDate(now) + ".");
  }
  if (amz_date->substr(0, 8) != scope.date) {
    return AuthOutcome::Fail(AuthError::kBadSignature, "the date of the credential scope (" + scope.date +
                                                           ") is not the date of X-Amz-Date (" +
                                                           std::string(*amz_date) + ")");
  }
  Result<std::optional<AccessKey>> key = keys_->FindById(scope.access_key_id);
  AuthOutcome outcome = CallerOf(key, "The access key id '" + scope.access_key_id + "'");
  if (!outcome.ok()) return outcome;

  CanonicalRequestParts parts;
  parts.method = std::string(request.method);
  if (scope.service == "s3") {
    Result<std::string> decoded = UriDecode(request.path);
    if (!decoded.ok()) return AuthOutcome::Fail(AuthError::kMalformed, decoded.status().message());
    parts.uri = CanonicalUri(*decoded, /*normalize=*/false);
  } else {
    parts.uri = CanonicalUri(request.path, /*normalize=*/true);
  }
  Result<std::string> query = CanonicalQuery(request.query);
  if (!query.ok()) return AuthOutcome::Fail(AuthError::kMalformed, query.status().message());
  parts.query = std::move(*query);
  bool host_signed = false;
  for (const std::string& h : parsed->signed_headers) host_signed = host_signed || h == "host";
  if (!host_signed) return AuthOutcome::Fail(AuthError::kMalformed, "SignedHeaders must include host");
  Result<std::string> headers = CanonicalHeaders(*request.headers, parsed->signed_headers);
  if (!headers.ok()) return AuthOutcome::Fail(AuthError::kMalformed, headers.status().message());
  parts.headers = std::move(*headers);
  parts.signed_headers = parsed->signed_headers;
  AuthOutcome payload = PayloadHash(request, &parts.payload_hash);
  if (!payload.ok()) return payload;

  std::string signing_key = SigningKey((*key)->secret, scope);
  std::string expected = Signature(signing_key, StringToSign(*amz_date, scope.Scope(), CanonicalRequest(parts)));
  if (!ConstantTimeEquals(expected, parsed->signature)) {
    return AuthOutcome::Fail(AuthError::kBadSignature,
                             "The request signature we calculated does not match the signature you provided. "
                             "Check your AWS Secret Access Key and signing method.");
  }
  if (parts.payload_hash == kStreamingPayload) {
    ChunkSigningContext context{signing_key, std::string(*amz_date), scope.Scope()};
    Result<std::string> data = DecodeSignedChunks(request.body, context, parsed->signature);
    if (!data.ok()) return AuthOutcome::Fail(AuthError::kBadSignature, data.status().message());
    outcome.decoded_body = std::move(*data);
  }
  return outcome;
}

}  // namespace grove::api::auth
