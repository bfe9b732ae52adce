// The SigV4 and Authorization header parsers (api/auth/sigv4.h,
// api/auth/aws_chunked.h) and what puts them together (api/access_control.h
// over api/auth/authenticator.h): raw HTTP requests (as the server frames
// them, fuzz/http_input.h) pass access control with one known key at a fixed
// time, their Authorization, X-Amz-Date, query, path, headers and aws-chunked
// body also given to each parser alone.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "api/access_control.h"
#include "api/auth/auth_test_util.h"
#include "api/auth/authenticator.h"
#include "api/auth/aws_chunked.h"
#include "api/auth/sigv4.h"
#include "fuzz/http_input.h"

namespace {

namespace auth = grove::api::auth;

// The aws-sig-v4-test-suite's key and time (the seeds in fuzz/corpus/sigv4/ come from it).
constexpr grove::TimeMs kSuiteTime = 1440938160000;  // 20150830T123600Z.

// Access control as the server wires it, in front of a router that answers every path.
struct Server {
  Server() : clock(kSuiteTime), authenticator(&source, &clock), access(router, &authenticator) {
    source.Add({"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", grove::app::Role::kOperator, "suite"});
    source.Add({"GROVEADMIN", "admin-secret", grove::app::Role::kAdmin, "admin"});
    auto ok = [](const grove::api::HttpRequest&) { return grove::api::TextResponse(200, "ok"); };
    for (const char* method : {"GET", "PUT", "POST", "DELETE"}) (void)router.Add(method, "/{rest...}", ok);
  }
  auth::FakeKeySource source;
  grove::FakeClock clock;
  auth::KeyAuthenticator authenticator;
  grove::api::Router router;
  grove::api::AccessControl access;
};

void ParseParts(const grove::api::HttpRequest& request) {
  const size_t question = request.target.find('?');
  if (question != std::string::npos) (void)auth::CanonicalQuery(std::string_view(request.target).substr(question + 1));
  if (auto decoded = auth::UriDecode(request.path); decoded.ok()) (void)auth::CanonicalUri(*decoded, false);
  (void)auth::CanonicalUri(request.path, true);
  if (auto date = request.headers.Get("X-Amz-Date")) (void)auth::ParseAmzDate(*date);
  auto authorization = request.headers.Get("Authorization");
  if (!authorization) return;
  auto parsed = auth::ParseAuthorization(*authorization);
  if (!parsed.ok()) return;
  (void)auth::CanonicalHeaders(request.headers.fields(), parsed->signed_headers);
  auth::ChunkSigningContext context{auth::SigningKey("secret", parsed->credential), "20150830T123600Z",
                                    parsed->credential.Scope()};
  (void)auth::DecodeSignedChunks(request.body, context, parsed->signature);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Server* server = new Server();  // Never destroyed: the fuzzer exits without unwinding.
  grove::fuzz::ForEachHttpRequest(data, size, [](grove::api::HttpRequest& request, const grove::Status& target) {
    if (!target.ok()) return;
    ParseParts(request);
    (void)server->access.Dispatch(&request);
  });
  return 0;
}
