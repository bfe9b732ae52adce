#pragma once

// Access control for `grove server`: a decorator of the server's Dispatcher
// (the Router) that authenticates each request through an auth::Authenticator,
// checks the caller's role against the role the request needs, records the
// caller on the request and passes it on; or answers the error the request's
// protocol expects (docs/api.md, "Access control").
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/handler.h"
#include "api/http_types.h"
#include "api/auth/authenticator.h"
#include "app/role.h"

namespace grove::api {

// The API a request speaks, by the reference's dispatch rule: X-Amz-Target
// is the SageMaker control plane (JSON 1.1), /endpoints/{name}/invocations the
// SageMaker runtime (rest-json), Grove's own paths (/api/..., /metrics, /ping)
// the native API, and everything else S3 (rest-xml).
enum class Protocol { kSageMaker, kRuntime, kNative, kS3 };
Protocol ProtocolOf(const HttpRequest& request);

// The role a request needs, or nullopt when it is open to anyone. The server
// passes its own (e.g. one that knows every SageMaker operation); the
// default is DefaultRequiredRole.
using RoleClassifier = std::function<std::optional<app::Role>(const HttpRequest&)>;

// The default classification:
//  - open: GET/HEAD /ping and /api/v1/health;
//  - admin: /api/v1/keys...;
//  - SageMaker (X-Amz-Target "SageMaker.<Op>"): Describe*, List*, Search, Get* are viewer;
//    UpdateModelPackage and SendPipelineExecutionStep* approver; the rest operator;
//  - POST .../approve, .../reject, .../promote: approver;
//  - otherwise GET/HEAD viewer, any other method operator.
std::optional<app::Role> DefaultRequiredRole(const HttpRequest& request);

// What a route asks of a caller: the role `classify` asks for `example`, a
// request to the route's pattern with each capture filled in ("x1", and
// "x1/y1" for a rest capture); nullopt when the route is open to anyone.
// `grove server --routes` prints these; tests try every protected one.
struct RouteAccess {
  std::string method;
  std::string pattern;
  HttpRequest example;
  std::optional<app::Role> role;
};
// One RouteAccess per rule of `router`, in its order (Router::Describe).
std::vector<RouteAccess> DescribeAccess(const std::vector<std::string>& rules,
                                        const RoleClassifier& classify = DefaultRequiredRole);

// The response for a request that failed authentication, in `protocol`'s
// form: SageMaker JSON 1.1 {"__type", "Message"} (and x-amzn-ErrorType), the
// runtime's x-amzn-ErrorType with {"message"}, S3's XML <Error>, or Grove's
// {"error": {"code", "message"}} (401 with WWW-Authenticate: Bearer).
// REQUIRES: error != kNone.
HttpResponse AuthFailureResponse(Protocol protocol, auth::AuthError error, std::string_view message);
// 403 for a caller whose role is below `needed`, in `protocol`'s form.
HttpResponse AccessDeniedResponse(Protocol protocol, const HttpRequest& request, app::Role needed);

// Whether `host` names the loopback interface (127.0.0.0/8, ::1, localhost):
// the only addresses a server without access control may listen on.
bool IsLoopbackHost(std::string_view host);

class AccessControl final : public Dispatcher {
 public:
  // With `authenticator` null access control is off: every request passes as
  // "anonymous" with the admin role (`grove server --auth off`).
  // REQUIRES: `next` and `authenticator` outlive this.
  AccessControl(const Dispatcher& next, const auth::Authenticator* authenticator,
                RoleClassifier classify = DefaultRequiredRole);

  // Authenticates, checks the role, sets request->identity and ->role (and
  // replaces an aws-chunked body with the data it carried), then returns
  // next.Dispatch(request); or the protocol's error without calling next.
  HttpResponse Dispatch(HttpRequest* request) const override;
  size_t BodyLimit(std::string_view method, std::string_view path) const override {
    return next_.BodyLimit(method, path);
  }
  size_t LargestBodyLimit() const override { return next_.LargestBodyLimit(); }

 private:
  const Dispatcher& next_;
  const auth::Authenticator* authenticator_;
  RoleClassifier classify_;
};

}  // namespace grove::api
