#include "api/access_control.h"

#include <arpa/inet.h>

#include <utility>

#include "api/console_routes.h"
#include "api/s3/s3_wire.h"
#include "api/sagemaker/wire.h"

namespace grove::api {

namespace {

bool StartsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The operation of "SageMaker.StartPipelineExecution" (anything after the last '.').
std::string_view SageMakerOperation(const HttpRequest& request) {
  std::string_view target = request.headers.Get("X-Amz-Target").value_or("");
  size_t dot = target.rfind('.');
  return dot == std::string_view::npos ? target : target.substr(dot + 1);
}

// One error in the form of `protocol`; `native_code` is Grove's code name.
HttpResponse ProtocolError(Protocol protocol, int status, std::string_view aws_code, std::string_view s3_code,
                           std::string_view native_code, std::string_view message) {
  HttpResponse response;
  switch (protocol) {
    case Protocol::kSageMaker:
      response = sagemaker::ErrorResponse(aws_code, std::string(message), status);
      break;
    case Protocol::kRuntime:
      response = JsonResponse(status, Json{{"message", message}});
      response.headers.Set("x-amzn-ErrorType", std::string(aws_code));
      break;
    case Protocol::kS3:
      response = s3::S3ErrorResponse(status, s3_code, message);
      break;
    case Protocol::kNative:
      response = ErrorResponse(status, native_code, message);
      if (status == 401) response.headers.Set("WWW-Authenticate", "Bearer realm=\"grove\"");
      break;
  }
  return response;
}

}  // namespace

Protocol ProtocolOf(const HttpRequest& request) {
  if (request.headers.Has("X-Amz-Target")) return Protocol::kSageMaker;
  std::string_view path = request.path;
  if (StartsWith(path, "/endpoints/") && EndsWith(path, "/invocations")) {
    std::string_view name = path.substr(11, path.size() - 11 - 12);
    if (!name.empty() && name.find('/') == std::string_view::npos) return Protocol::kRuntime;
  }
  if (path == "/api" || StartsWith(path, "/api/") || path == "/metrics" || path == "/ping") return Protocol::kNative;
  if (IsConsoleRequest(request)) return Protocol::kNative;
  return Protocol::kS3;
}

std::optional<app::Role> DefaultRequiredRole(const HttpRequest& request) {
  const bool read = request.method == "GET" || request.method == "HEAD";
  std::string_view path = request.path;
  // The router ignores a trailing '/': "/approve/" is "/approve".
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  if (read && (path == "/ping" || path == "/api/v1/health")) return std::nullopt;
  if (IsConsoleRequest(request)) return std::nullopt;  // The page asks for a key and sends it with its calls.
  if (path == "/api/v1/keys" || StartsWith(path, "/api/v1/keys/")) return app::Role::kAdmin;
  // A configuration holds access keys: planning, applying and exporting one is an admin's.
  if (path == "/api/v1/config" || StartsWith(path, "/api/v1/config/")) return app::Role::kAdmin;
  if (ProtocolOf(request) == Protocol::kSageMaker) {
    std::string_view op = SageMakerOperation(request);
    if (StartsWith(op, "Describe") || StartsWith(op, "List") || op == "Search" || StartsWith(op, "Get")) {
      return app::Role::kViewer;
    }
    if (op == "UpdateModelPackage" || StartsWith(op, "SendPipelineExecutionStep")) return app::Role::kApprover;
    // Registering a version already Approved (or Rejected) is an approval too.
    if (op == "CreateModelPackage") {
      const Json body = Json::parse(request.body, nullptr, /*allow_exceptions=*/false);
      const Json status = body.is_object() ? body.value("ModelApprovalStatus", Json()) : Json();
      if (status.is_string() && status != "PendingManualApproval") return app::Role::kApprover;
    }
    return app::Role::kOperator;
  }
  if (request.method == "POST" && (EndsWith(path, "/approve") || EndsWith(path, "/reject") ||
                                   EndsWith(path, "/promote"))) {
    return app::Role::kApprover;
  }
  return read ? app::Role::kViewer : app::Role::kOperator;
}

std::vector<RouteAccess> DescribeAccess(const std::vector<std::string>& rules, const RoleClassifier& classify) {
  std::vector<RouteAccess> out;
  for (const std::string& rule : rules) {
    RouteAccess access;
    size_t space = rule.find(' ');
    access.method = rule.substr(0, space);
    access.pattern = rule.substr(space + 1);
    std::string path;
    for (size_t i = 0; i < access.pattern.size(); ++i) {
      if (access.pattern[i] != '{') {
        path += access.pattern[i];
        continue;
      }
      size_t close = access.pattern.find('}', i);
      const bool rest = access.pattern.compare(close - 3, 3, "...") == 0;
      path += rest ? "x1/y1" : "x1";
      i = close;
    }
    access.example.method = access.method;
    access.example.path = path;
    access.example.target = path;
    access.role = classify(access.example);
    out.push_back(std::move(access));
  }
  return out;
}

HttpResponse AuthFailureResponse(Protocol protocol, auth::AuthError error, std::string_view message) {
  using auth::AuthError;
  if (error == AuthError::kUnavailable || error == AuthError::kNone) {
    return ProtocolError(protocol, 503, "ServiceUnavailable", "ServiceUnavailable", "Unavailable", message);
  }
  if (error == AuthError::kPayloadMismatch) {
    return ProtocolError(protocol, 400, "InvalidSignatureException", "XAmzContentSHA256Mismatch", "InvalidArgument",
                         message);
  }
  // Grove's routes: the caller is not known, whatever the reason (401 asks it to authenticate).
  if (protocol == Protocol::kNative) return ProtocolError(protocol, 401, "", "", "Unauthenticated", message);
  struct Form {
    int status;
    std::string_view aws_code;
    std::string_view s3_code;
  };
  Form form = Form{403, "InvalidSignatureException", "SignatureDoesNotMatch"};  // kBadSignature.
  if (error == AuthError::kMissing) form = {403, "MissingAuthenticationTokenException", "AccessDenied"};
  if (error == AuthError::kMalformed) form = {400, "IncompleteSignatureException", "AuthorizationHeaderMalformed"};
  if (error == AuthError::kUnknownKey) form = {403, "UnrecognizedClientException", "InvalidAccessKeyId"};
  if (error == AuthError::kExpired) form = {403, "InvalidSignatureException", "RequestTimeTooSkewed"};
  return ProtocolError(protocol, form.status, form.aws_code, form.s3_code, "", message);
}

HttpResponse AccessDeniedResponse(Protocol protocol, const HttpRequest& request, app::Role needed) {
  std::string action = protocol == Protocol::kSageMaker ? "sagemaker:" + std::string(SageMakerOperation(request))
                                                        : request.method + " " + request.path;
  std::string message = "User: " + request.identity + " is not authorized to perform: " + action + " (it needs the " +
                        app::RoleName(needed) + " role; the key's role is " + app::RoleName(request.role) + ")";
  return ProtocolError(protocol, 403, "AccessDeniedException", "AccessDenied", "PermissionDenied", message);
}

bool IsLoopbackHost(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host == "localhost") return true;
  std::string text(host);
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  in6_addr v6{};
  return inet_pton(AF_INET6, text.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

AccessControl::AccessControl(const Dispatcher& next, const auth::Authenticator* authenticator,
                             RoleClassifier classify)
    : next_(next), authenticator_(authenticator), classify_(std::move(classify)) {}

HttpResponse AccessControl::Dispatch(HttpRequest* request) const {
  if (authenticator_ == nullptr) {
    request->identity = "anonymous";
    request->role = app::Role::kAdmin;
    return next_.Dispatch(request);
  }
  std::optional<app::Role> needed = classify_(*request);
  if (!needed) return next_.Dispatch(request);
  size_t question = request->target.find('?');
  std::string_view query = question == std::string::npos ? std::string_view()
                                                         : std::string_view(request->target).substr(question + 1);
  query = query.substr(0, query.find('#'));
  auth::RequestView view{request->method, request->path, query, &request->headers.fields(), request->body};
  auth::AuthOutcome outcome = authenticator_->Authenticate(view);
  Protocol protocol = ProtocolOf(*request);
  if (!outcome.ok()) return AuthFailureResponse(protocol, outcome.error, outcome.message);
  request->identity = outcome.caller.identity;
  request->role = outcome.caller.role;
  if (!app::Allows(request->role, *needed)) return AccessDeniedResponse(protocol, *request, *needed);
  if (outcome.decoded_body) {
    request->body = std::move(*outcome.decoded_body);
    // The body is decoded: drop aws-chunked from Content-Encoding, keeping any other coding.
    std::string coding(request->headers.Get("Content-Encoding").value_or(""));
    if (StartsWith(coding, "aws-chunked")) coding.erase(0, coding.find_first_not_of(", ", 11));
    coding = coding.find_first_not_of(", ") == std::string::npos ? "" : coding;
    request->headers.Remove("Content-Encoding");
    if (!coding.empty()) request->headers.Set("Content-Encoding", coding);
  }
  return next_.Dispatch(request);
}

}  // namespace grove::api
