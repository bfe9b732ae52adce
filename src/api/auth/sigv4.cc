#include "api/auth/sigv4.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <ctime>

#include "common/ascii.h"
#include "common/sha256.h"

namespace grove::api::auth {

namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr char kHexUpper[] = "0123456789ABCDEF";

std::string HexOf(std::string_view raw) {
  std::string out;
  out.reserve(raw.size() * 2);
  for (unsigned char c : raw) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    parts.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<std::string> UriDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    int hi = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
    int lo = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      return Status::InvalidArgument("bad %-escape at offset " + std::to_string(i) + " of '" + std::string(text) +
                                     "'");
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

namespace {

// RFC 3986 §5.2.4 dot-segment removal, also dropping empty segments, as
// botocore and the AWS SDKs normalise paths before signing.
std::string RemoveDotSegments(std::string_view path) {
  std::vector<std::string_view> kept;
  for (std::string_view segment : Split(path, '/')) {
    if (segment.empty() || segment == ".") continue;
    if (segment == "..") {
      if (!kept.empty()) kept.pop_back();
      continue;
    }
    kept.push_back(segment);
  }
  std::string out = "/";
  for (size_t i = 0; i < kept.size(); ++i) {
    if (i > 0) out += '/';
    out += kept[i];
  }
  if (!kept.empty() && path.back() == '/') out += '/';
  return out;
}

}  // namespace

std::string CredentialScope::Scope() const { return date + "/" + region + "/" + service + "/aws4_request"; }

Result<SigV4Authorization> ParseAuthorization(std::string_view header) {
  header = Trim(header);
  if (header.substr(0, kSigV4Algorithm.size()) != kSigV4Algorithm || header.size() == kSigV4Algorithm.size() ||
      header[kSigV4Algorithm.size()] != ' ') {
    return Status::InvalidArgument("the Authorization header does not start with " + std::string(kSigV4Algorithm));
  }
  SigV4Authorization out;
  bool have_credential = false;
  bool have_signed_headers = false;
  for (std::string_view part : Split(header.substr(kSigV4Algorithm.size() + 1), ',')) {
    part = Trim(part);
    size_t eq = part.find('=');
    std::string_view name = part.substr(0, eq);
    std::string_view value = eq == std::string_view::npos ? std::string_view() : part.substr(eq + 1);
    if (name == "Credential") {
      std::vector<std::string_view> scope = Split(value, '/');
      if (scope.size() != 5 || scope[4] != "aws4_request" || scope[0].empty() || scope[1].size() != 8) {
        return Status::InvalidArgument("the Credential '" + std::string(value) +
                                       "' is not <access key id>/<yyyymmdd>/<region>/<service>/aws4_request");
      }
      out.credential = {std::string(scope[0]), std::string(scope[1]), std::string(scope[2]), std::string(scope[3])};
      have_credential = true;
    } else if (name == "SignedHeaders") {
      for (std::string_view h : Split(value, ';')) {
        if (!h.empty()) out.signed_headers.push_back(AsciiLowercase(h));
      }
      have_signed_headers = !out.signed_headers.empty();
    } else if (name == "Signature") {
      out.signature = AsciiLowercase(value);
    }
  }
  if (!have_credential) return Status::InvalidArgument("the Authorization header has no Credential");
  if (!have_signed_headers) return Status::InvalidArgument("the Authorization header has no SignedHeaders");
  if (out.signature.size() != 64 ||
      !std::all_of(out.signature.begin(), out.signature.end(), [](char c) { return HexValue(c) >= 0; })) {
    return Status::InvalidArgument("the Authorization header has no Signature of 64 hex digits");
  }
  return out;
}

Result<TimeMs> ParseAmzDate(std::string_view text) {
  auto bad = [&] {
    return Status::InvalidArgument("X-Amz-Date '" + std::string(text) + "' is not of the form 20150830T123600Z");
  };
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') return bad();
  auto digits = [&](size_t at, size_t n, int* value) {
    *value = 0;
    for (size_t i = at; i < at + n; ++i) {
      if (text[i] < '0' || text[i] > '9') return false;
      *value = *value * 10 + (text[i] - '0');
    }
    return true;
  };
  std::tm tm{};
  int year, month, day, hour, minute, second;
  if (!digits(0, 4, &year) || !digits(4, 2, &month) || !digits(6, 2, &day) || !digits(9, 2, &hour) ||
      !digits(11, 2, &minute) || !digits(13, 2, &second) || month < 1 || month > 12 || day < 1 || day > 31 ||
      hour > 23 || minute > 59 || second > 60) {
    return bad();
  }
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<TimeMs>(timegm(&tm)) * 1000;
}

std::string UriEncode(std::string_view bytes, bool keep_slash) {
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~';
    if (unreserved || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHexUpper[c >> 4]);
      out.push_back(kHexUpper[c & 15]);
    }
  }
  return out;
}

std::string CanonicalUri(std::string_view path, bool normalize) {
  if (path.empty()) return "/";
  return UriEncode(normalize ? RemoveDotSegments(path) : std::string(path), /*keep_slash=*/true);
}

Result<std::string> CanonicalQuery(std::string_view raw_query) {
  std::vector<std::pair<std::string, std::string>> params;
  if (!raw_query.empty()) {
    for (std::string_view pair : Split(raw_query, '&')) {
      if (pair.empty()) continue;
      size_t eq = pair.find('=');
      ASSIGN_OR_RETURN(std::string name, UriDecode(pair.substr(0, eq)));
      ASSIGN_OR_RETURN(std::string value,
                       UriDecode(eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1)));
      params.emplace_back(UriEncode(name, false), UriEncode(value, false));
    }
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

Result<std::string> CanonicalHeaders(const std::vector<std::pair<std::string, std::string>>& headers,
                                     const std::vector<std::string>& signed_headers) {
  std::string out;
  for (const std::string& name : signed_headers) {
    std::string joined;
    bool found = false;
    for (const auto& [field, value] : headers) {
      if (AsciiLowercase(field) != name) continue;
      if (found) joined += ',';
      found = true;
      bool space = false;
      for (char c : Trim(value)) {
        if (c == ' ') {
          space = true;
          continue;
        }
        if (space) joined += ' ';
        space = false;
        joined += c;
      }
    }
    if (!found) return Status::InvalidArgument("the signed header '" + name + "' is not in the request");
    out += name + ":" + joined + "\n";
  }
  return out;
}

std::string CanonicalRequest(const CanonicalRequestParts& parts) {
  std::string signed_headers;
  for (const std::string& h : parts.signed_headers) {
    if (!signed_headers.empty()) signed_headers += ';';
    signed_headers += h;
  }
  return parts.method + "\n" + parts.uri + "\n" + parts.query + "\n" + parts.headers + "\n" + signed_headers +
         "\n" + parts.payload_hash;
}

std::string StringToSign(std::string_view amz_date, std::string_view scope, std::string_view canonical_request) {
  return std::string(kSigV4Algorithm) + "\n" + std::string(amz_date) + "\n" + std::string(scope) + "\n" +
         Sha256::Of(canonical_request);
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), digest, &len);
  return std::string(reinterpret_cast<const char*>(digest), len);
}

std::string SigningKey(std::string_view secret, const CredentialScope& scope) {
  std::string key = HmacSha256("AWS4" + std::string(secret), scope.date);
  key = HmacSha256(key, scope.region);
  key = HmacSha256(key, scope.service);
  return HmacSha256(key, "aws4_request");
}

std::string Signature(std::string_view signing_key, std::string_view string_to_sign) {
  return HexOf(HmacSha256(signing_key, string_to_sign));
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace grove::api::auth
