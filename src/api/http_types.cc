#include "api/http_types.h"

#include <algorithm>

namespace grove::api {

namespace {

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool EqualsIgnoreCaseSameSize(std::string_view a, std::string_view b) {
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

void HttpHeaders::Add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void HttpHeaders::Set(std::string name, std::string value) {
  Remove(name);
  Add(std::move(name), std::move(value));
}

void HttpHeaders::Remove(std::string_view name) {
  fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                               [&](const Field& f) { return EqualsIgnoreCase(f.first, name); }),
                fields_.end());
}

// Loops, not find_first_of: libstdc++'s calls memchr once per character.
bool SafeHeaderText(std::string_view text) {
  for (char c : text) {
    if (c == '\r' || c == '\n' || c == '\0') return false;
  }
  return true;
}

bool SafeHeaderName(std::string_view name) {
  for (char c : name) {
    if (c == ':' || c == ' ' || c == '\r' || c == '\n' || c == '\0') return false;
  }
  return !name.empty();
}

std::optional<std::string_view> HttpHeaders::Get(std::string_view name) const {
  for (const Field& f : fields_) {
    if (EqualsIgnoreCase(f.first, name)) return std::string_view(f.second);
  }
  return std::nullopt;
}

std::optional<std::string_view> HttpRequest::QueryParam(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return std::string_view(value);
  }
  return std::nullopt;
}

std::string_view HttpRequest::PathParam(std::string_view name) const {
  auto it = path_params.find(name);
  return it == path_params.end() ? std::string_view() : std::string_view(it->second);
}

HttpResponse JsonResponse(int status, const Json& value) {
  HttpResponse response;
  response.status = status;
  // Replace invalid UTF-8 instead of throwing: messages may quote user bytes.
  response.body = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  return response;
}

HttpResponse TextResponse(int status, std::string body, std::string content_type) {
  HttpResponse response;
  response.status = status;
  response.content_type = std::move(content_type);
  response.body = std::move(body);
  return response;
}

Json ErrorBody(std::string_view code, std::string_view message, const Json& details) {
  Json error = Json::object();
  error["code"] = std::string(code);
  error["message"] = std::string(message);
  if (details.is_object()) {
    for (const auto& [key, value] : details.items()) error[key] = value;
  }
  Json body = Json::object();
  body["error"] = std::move(error);
  return body;
}

HttpResponse ErrorResponse(int status, std::string_view code, std::string_view message,
                           const Json& details) {
  return JsonResponse(status, ErrorBody(code, message, details));
}

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kFailedPrecondition: return 409;
    case StatusCode::kCancelled: return 503;
    case StatusCode::kIOError: return 500;
    case StatusCode::kInternal: return 500;
    case StatusCode::kUnimplemented: return 501;
    case StatusCode::kPermissionDenied: return 403;
  }
  return 500;
}

HttpResponse StatusResponse(const Status& status) {
  if (status.ok()) return JsonResponse(200, Json::object());
  return ErrorResponse(HttpStatusFor(status.code()), StatusCodeName(status.code()),
                       status.message());
}

void DeferredResponse::Complete(HttpResponse response) {
  response.deferred.reset();
  std::function<void(HttpResponse)> deliver;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (completed_) return;
    completed_ = true;
    if (!deliver_) {
      response_ = std::move(response);
      return;
    }
    deliver = std::move(deliver_);
  }
  deliver(std::move(response));
}

void DeferredResponse::OnComplete(std::function<void(HttpResponse)> deliver) {
  std::optional<HttpResponse> ready;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!response_) {
      deliver_ = std::move(deliver);
      return;
    }
    ready.swap(response_);
  }
  deliver(std::move(*ready));
}

}  // namespace grove::api
