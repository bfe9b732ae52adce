#include "store/s3_client.h"

#include <curl/curl.h>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <regex>
#include <thread>
#include <vector>

#include "common/file_util.h"
#include "common/sha256.h"

namespace grove::store {
namespace fs = std::filesystem;

namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// Percent-encodes `text` as S3 keys and query values are (RFC 3986 unreserved kept; '/' kept when asked).
std::string Encode(std::string_view text, bool keep_slash) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || (keep_slash && c == '/')) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

size_t AppendToString(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

size_t WriteToFile(char* data, size_t size, size_t n, void* out) {
  return std::fwrite(data, size, n, static_cast<std::FILE*>(out)) * size;
}

struct Upload {
  std::string_view bytes;
  size_t offset = 0;
};

size_t ReadFromUpload(char* buffer, size_t size, size_t n, void* in) {
  auto* upload = static_cast<Upload*>(in);
  size_t count = std::min(size * n, upload->bytes.size() - upload->offset);
  std::memcpy(buffer, upload->bytes.data() + upload->offset, count);
  upload->offset += count;
  return count;
}

size_t ReadHeader(char* data, size_t size, size_t n, void* out) {
  std::string line(data, size * n);
  if (line.size() > 5 && (line.rfind("ETag:", 0) == 0 || line.rfind("etag:", 0) == 0)) {
    std::string value = line.substr(5);
    while (!value.empty() && (value.front() == ' ')) value.erase(value.begin());
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' ')) value.pop_back();
    *static_cast<std::string*>(out) = value;
  }
  return size * n;
}

std::string XmlValue(const std::string& xml, const std::string& tag) {
  std::smatch match;
  if (std::regex_search(xml, match, std::regex("<" + tag + ">([^<]*)</" + tag + ">"))) return match[1];
  return "";
}

bool Retryable(long status) { return status >= 500 || status == 429; }

struct CurlGlobal {
  CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

}  // namespace

std::string RegionFromEnvironment() {
  for (const char* name : {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
    if (std::string region = Env(name); !region.empty()) return region;
  }
  return "us-east-1";
}

Result<S3Credentials> S3Credentials::FromEnvironment() {
  S3Credentials c{Env("AWS_ACCESS_KEY_ID"), Env("AWS_SECRET_ACCESS_KEY"), Env("AWS_SESSION_TOKEN")};
  if (c.access_key_id.empty()) return Status::InvalidArgument("S3 credentials: AWS_ACCESS_KEY_ID is not set");
  if (c.secret_access_key.empty()) return Status::InvalidArgument("S3 credentials: AWS_SECRET_ACCESS_KEY is not set");
  return c;
}

struct S3Client::Request {
  Request(std::string method, std::string bucket, std::string key, std::string query = "")
      : method(std::move(method)), bucket(std::move(bucket)), key(std::move(key)), query(std::move(query)) {}
  std::string method;
  std::string bucket;
  std::string key;
  std::string query;          // Already encoded, without '?'.
  std::string_view body;      // Sent with its SHA-256.
  std::FILE* sink = nullptr;  // When set, the answer's body goes here (2xx only).
  std::string range;          // "bytes=a-b", when not empty.
};

S3Client::S3Client(S3ClientOptions options) : options_(std::move(options)) {
  static CurlGlobal global;
  if (options_.region.empty()) options_.region = RegionFromEnvironment();
  while (!options_.endpoint.empty() && options_.endpoint.back() == '/') options_.endpoint.pop_back();
}

std::string S3Client::Url(const std::string& bucket, const std::string& key, const std::string& query) const {
  std::string url = options_.endpoint + "/" + Encode(bucket, false);
  if (!key.empty()) url += "/" + Encode(key, true);
  if (!query.empty()) url += "?" + query;
  return url;
}

Result<S3Client::Response> S3Client::SendOnce(const Request& request) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Status::Internal("libcurl: cannot create a handle");
  CURL* h = curl.get();
  Response response;
  std::string url = Url(request.bucket, request.key, request.query);
  std::string sigv4 = "aws:amz:" + options_.region + ":s3";
  std::string user = options_.credentials.access_key_id + ":" + options_.credentials.secret_access_key;
  struct curl_slist* headers = nullptr;
  headers = curl_slist_append(headers, ("x-amz-content-sha256: " + Sha256::Of(request.body)).c_str());
  if (!options_.credentials.session_token.empty()) {
    headers = curl_slist_append(headers, ("x-amz-security-token: " + options_.credentials.session_token).c_str());
  }
  if (!request.range.empty()) headers = curl_slist_append(headers, ("Range: " + request.range).c_str());
  // POST bodies are XML (CompleteMultipartUpload), not the form libcurl announces by default.
  if (request.method == "POST") headers = curl_slist_append(headers, "Content-Type: application/xml");
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers, curl_slist_free_all);
  Upload upload{request.body, 0};
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_AWS_SIGV4, sigv4.c_str());
  curl_easy_setopt(h, CURLOPT_USERPWD, user.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, options_.timeout_seconds);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  // No waiting for "100 Continue" before a large body. (Not by sending an empty "Expect:" header: libcurl 7.88
  // then signs an "expect" header it does not send, and servers that check signatures refuse the request.)
  curl_easy_setopt(h, CURLOPT_EXPECT_100_TIMEOUT_MS, 0L);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, ReadHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &response.etag);
  if (request.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (request.method == "PUT") {
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, ReadFromUpload);
    curl_easy_setopt(h, CURLOPT_READDATA, &upload);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (request.method == "POST") {
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  } else if (request.method != "GET") {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  // The body goes to the sink only for a 2xx answer; an error's body is read into the response.
  std::string body;
  struct Sink {
    std::FILE* file;
    std::string* text;
    long* status;
    CURL* handle;
  } sink{request.sink, &body, &response.status, h};
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, +[](char* data, size_t size, size_t n, void* out) -> size_t {
    auto* s = static_cast<Sink*>(out);
    long status = 0;
    curl_easy_getinfo(s->handle, CURLINFO_RESPONSE_CODE, &status);
    if (s->file != nullptr && status >= 200 && status < 300) return WriteToFile(data, size, n, s->file);
    return AppendToString(data, size, n, s->text);
  });
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink);
  CURLcode rc = curl_easy_perform(h);
  if (rc != CURLE_OK) {
    return Status::IOError("S3 " + request.method + " " + url + ": " + curl_easy_strerror(rc));
  }
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &response.status);
  response.body = std::move(body);
  return response;
}

Result<S3Client::Response> S3Client::Send(const Request& request) {
  int backoff = options_.first_backoff_ms;
  Status last = Status::OK();
  for (int attempt = 1; attempt <= options_.max_attempts; ++attempt) {
    if (request.sink != nullptr) {  // A retried download starts its file again.
      std::fflush(request.sink);
      if (std::fseek(request.sink, 0, SEEK_SET) != 0 || ftruncate(fileno(request.sink), 0) != 0) {
        return Status::IOError("cannot rewind a download");
      }
    }
    Result<Response> response = SendOnce(request);
    if (response.ok() && !Retryable(response->status)) return response;
    last = response.ok() ? Status::IOError("S3 " + request.method + " " + Url(request.bucket, request.key, "") +
                                                ": HTTP " + std::to_string(response->status) + " " +
                                                XmlValue(response->body, "Code"))
                         : response.status();
    if (attempt < options_.max_attempts) {
      std::this_thread::sleep_for(std::chrono::milliseconds(backoff));
      backoff *= 2;
    }
  }
  return Status::IOError(last.message() + " (after " + std::to_string(options_.max_attempts) + " attempts)");
}

namespace {

Status ErrorOf(const std::string& what, long status, const std::string& body) {
  std::string code = XmlValue(body, "Code");
  std::string message = XmlValue(body, "Message");
  std::string text = what + ": HTTP " + std::to_string(status) + (code.empty() ? "" : " " + code) +
                     (message.empty() ? "" : " (" + message + ")");
  if (status == 404) return Status::NotFound(text);
  // A HEAD answer has no body to say why.
  if (status == 403 && code.empty()) {
    text += " Forbidden (check AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and what the bucket allows them)";
  }
  return Status::IOError(text);
}

}  // namespace

Result<bool> S3Client::Exists(const std::string& bucket, const std::string& key) {
  Request request{"HEAD", bucket, key};
  ASSIGN_OR_RETURN(Response response, Send(request));
  if (response.status == 404) return false;
  if (response.status / 100 != 2) return ErrorOf("S3 HEAD " + bucket + "/" + key, response.status, response.body);
  return true;
}

Status S3Client::GetToFile(const std::string& bucket, const std::string& key, const fs::path& to,
                           std::optional<std::pair<uint64_t, uint64_t>> range) {
  fs::path temp = to;
  temp += ".part";
  std::FILE* file = std::fopen(temp.c_str(), "w+b");
  if (file == nullptr) return Status::IOError("cannot write " + temp.string());
  Request request{"GET", bucket, key};
  request.sink = file;
  if (range) request.range = "bytes=" + std::to_string(range->first) + "-" + std::to_string(range->second);
  Result<Response> response = Send(request);
  const bool flushed = std::fflush(file) == 0 && fsync(fileno(file)) == 0;
  std::fclose(file);
  std::error_code ec;
  if (!response.ok() || response->status / 100 != 2 || !flushed) {
    fs::remove(temp, ec);
    if (!response.ok()) return response.status();
    if (!flushed) return Status::IOError("cannot write " + temp.string());
    return ErrorOf("S3 GET " + bucket + "/" + key, response->status, response->body);
  }
  fs::rename(temp, to, ec);
  if (ec) return Status::IOError("cannot rename " + temp.string() + ": " + ec.message());
  return Status::OK();
}

Result<std::string> S3Client::GetBytes(const std::string& bucket, const std::string& key) {
  Request request{"GET", bucket, key};
  ASSIGN_OR_RETURN(Response response, Send(request));
  if (response.status / 100 != 2) return ErrorOf("S3 GET " + bucket + "/" + key, response.status, response.body);
  return std::move(response.body);
}

Status S3Client::PutBytes(const std::string& bucket, const std::string& key, std::string_view bytes) {
  Request request{"PUT", bucket, key};
  request.body = bytes;
  ASSIGN_OR_RETURN(Response response, Send(request));
  if (response.status / 100 != 2) return ErrorOf("S3 PUT " + bucket + "/" + key, response.status, response.body);
  return Status::OK();
}

Status S3Client::CreateBucket(const std::string& bucket) {
  Request request{"PUT", bucket, ""};
  ASSIGN_OR_RETURN(Response response, Send(request));
  if (response.status / 100 == 2 || XmlValue(response.body, "Code") == "BucketAlreadyOwnedByYou") return Status::OK();
  return ErrorOf("S3 CreateBucket " + bucket, response.status, response.body);
}

Status S3Client::PutFile(const std::string& bucket, const std::string& key, const fs::path& from) {
  std::error_code ec;
  const uint64_t size = fs::file_size(from, ec);
  if (ec) return Status::IOError("cannot read " + from.string() + ": " + ec.message());
  if (size > options_.part_size) return PutMultipart(bucket, key, from, size);
  ASSIGN_OR_RETURN(std::string bytes, ReadFile(from));
  return PutBytes(bucket, key, bytes);
}

Status S3Client::PutMultipart(const std::string& bucket, const std::string& key, const fs::path& from, uint64_t size) {
  Request start{"POST", bucket, key, "uploads="};
  ASSIGN_OR_RETURN(Response started, Send(start));
  if (started.status / 100 != 2) return ErrorOf("S3 CreateMultipartUpload " + key, started.status, started.body);
  const std::string upload_id = XmlValue(started.body, "UploadId");
  if (upload_id.empty()) return Status::IOError("S3 CreateMultipartUpload " + key + ": no UploadId in the answer");
  const std::string id_query = "uploadId=" + Encode(upload_id, false);
  auto abort = [&](Status cause) {
    Request request{"DELETE", bucket, key, id_query};
    (void)Send(request);
    return cause;
  };
  std::ifstream in(from, std::ios::binary);
  std::string completion = "<CompleteMultipartUpload>";
  std::string part(options_.part_size, '\0');
  int number = 0;
  for (uint64_t done = 0; done < size;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(options_.part_size, size - done));
    if (!in.read(part.data(), static_cast<std::streamsize>(n))) return abort(Status::IOError("cannot read " + from.string()));
    ++number;
    Request put{"PUT", bucket, key, "partNumber=" + std::to_string(number) + "&" + id_query};
    put.body = std::string_view(part.data(), n);
    Result<Response> answer = Send(put);
    if (!answer.ok()) return abort(answer.status());
    if (answer->status / 100 != 2) return abort(ErrorOf("S3 UploadPart " + key, answer->status, answer->body));
    completion += "<Part><PartNumber>" + std::to_string(number) + "</PartNumber><ETag>" + answer->etag +
                  "</ETag></Part>";
    done += n;
  }
  completion += "</CompleteMultipartUpload>";
  Request finish{"POST", bucket, key, id_query};
  finish.body = completion;
  Result<Response> finished = Send(finish);
  if (!finished.ok()) return abort(finished.status());
  // S3 may answer 200 with an error in the body.
  if (finished->status / 100 != 2 || !XmlValue(finished->body, "Code").empty()) {
    return abort(ErrorOf("S3 CompleteMultipartUpload " + key, finished->status, finished->body));
  }
  return Status::OK();
}

}  // namespace grove::store
