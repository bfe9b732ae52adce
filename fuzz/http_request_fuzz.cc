// The HTTP request parser: bytes from a client through Boost.Beast's parser
// (as the server configures it), the server's TakeBeastRequest and
// ParseRequestTarget, then a Router with the kinds of rules Grove's routes use
// (captures, a rest capture, a header rule, a reserved segment).
#include <cstdlib>

#include "api/router.h"
#include "fuzz/fuzz_check.h"
#include "fuzz/http_input.h"

namespace {

using grove::api::HttpRequest;
using grove::api::HttpResponse;

HttpResponse Echo(const HttpRequest& request) {
  std::string body;
  for (const auto& [name, value] : request.path_params) body += name + "=" + value + "\n";
  return grove::api::TextResponse(200, body);
}

grove::api::Router MakeRouter() {
  grove::api::Router router;
  FUZZ_CHECK(router.Add("GET", "/ping", Echo).ok());
  FUZZ_CHECK(router.Add("POST", "/endpoints/{name}/invocations", Echo).ok());
  FUZZ_CHECK(router.Add("GET", "/api/v1/executions/{id}/steps/{step}", Echo).ok());
  FUZZ_CHECK(router.Add("PUT", "/{bucket}/{key...}", Echo, 1 << 20).ok());
  FUZZ_CHECK(router.Add("GET", "/{bucket}", Echo).ok());
  router.AddForHeader("X-Amz-Target", std::make_shared<grove::api::FunctionHandler>(Echo));
  router.Reserve("api");
  return router;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const grove::api::Router router = MakeRouter();
  grove::fuzz::ForEachHttpRequest(data, size, [](HttpRequest& request, const grove::Status& target) {
    if (!target.ok()) return;  // The server answers 400.
    FUZZ_CHECK(!request.path.empty() && request.path.front() == '/');
    router.BodyLimit(request.method, request.path);
    HttpResponse response = router.Route(&request);
    FUZZ_CHECK(response.status >= 200 && response.status < 600);
  });
  return 0;
}
