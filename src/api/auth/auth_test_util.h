#pragma once

// Test helpers of the auth tests: keys in memory, and SigV4 signing of a request as a client does it.
#include <algorithm>
#include <cctype>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "api/auth/authenticator.h"
#include "api/auth/sigv4.h"
#include "common/sha256.h"

namespace grove::api::auth {

// Keys held in a map; Add replaces a key of the same id.
class FakeKeySource : public KeySource {
 public:
  void Add(AccessKey key) { keys_[key.id] = std::move(key); }
  void Remove(const std::string& id) { keys_.erase(id); }
  Result<std::optional<AccessKey>> FindById(const std::string& id) override {
    auto it = keys_.find(id);
    return it == keys_.end() ? std::optional<AccessKey>() : std::optional<AccessKey>(it->second);
  }
  Result<std::optional<AccessKey>> FindBySecret(const std::string& secret) override {
    for (const auto& [id, key] : keys_) {
      if (key.secret == secret) return std::optional<AccessKey>(key);
    }
    return std::optional<AccessKey>();
  }

 private:
  std::map<std::string, AccessKey> keys_;
};

// Adds X-Amz-Date and an Authorization header signed with `id`/`secret` to
// `headers`, for a request to `service` (path as sent, raw query, body).
inline void SignHeaders(std::vector<std::pair<std::string, std::string>>* headers, const std::string& method,
                        const std::string& path, const std::string& query, const std::string& body,
                        const std::string& id, const std::string& secret, const std::string& amz_date,
                        const std::string& service) {
  headers->emplace_back("X-Amz-Date", amz_date);
  CredentialScope scope{id, amz_date.substr(0, 8), "us-east-1", service};
  CanonicalRequestParts parts;
  parts.method = method;
  parts.uri = service == "s3" ? CanonicalUri(UriDecode(path).value(), false) : CanonicalUri(path, true);
  parts.query = CanonicalQuery(query).value();
  for (const auto& [name, value] : *headers) {
    std::string lower;
    for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    parts.signed_headers.push_back(lower);
  }
  std::sort(parts.signed_headers.begin(), parts.signed_headers.end());
  parts.signed_headers.erase(std::unique(parts.signed_headers.begin(), parts.signed_headers.end()),
                             parts.signed_headers.end());
  parts.headers = CanonicalHeaders(*headers, parts.signed_headers).value();
  parts.payload_hash = Sha256::Of(body);
  for (const auto& [name, value] : *headers) {
    if (name == "X-Amz-Content-SHA256") parts.payload_hash = value;
  }
  std::string signed_list;
  for (const std::string& h : parts.signed_headers) signed_list += (signed_list.empty() ? "" : ";") + h;
  std::string signature =
      Signature(SigningKey(secret, scope), StringToSign(amz_date, scope.Scope(), CanonicalRequest(parts)));
  headers->emplace_back("Authorization", "AWS4-HMAC-SHA256 Credential=" + id + "/" + scope.Scope() +
                                             ", SignedHeaders=" + signed_list + ", Signature=" + signature);
}

}  // namespace grove::api::auth
