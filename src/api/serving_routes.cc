#include "api/serving_routes.h"

#include <memory>

#include "app/record_json.h"

namespace grove::api {

Status AddServingRoutes(Router* router, serving::EndpointService* service, serving::DataCapture* capture,
                        InvocationCounters* counters) {
  using Dialect = InvocationHandler::Dialect;
  RETURN_IF_ERROR(router->Add("POST", "/api/v1/endpoints/{name}/invocations",
                              std::make_shared<InvocationHandler>(service, capture, counters, Dialect::kGrove)));
  RETURN_IF_ERROR(router->Add("POST", "/endpoints/{name}/invocations",
                              std::make_shared<InvocationHandler>(service, capture, counters, Dialect::kSageMaker)));
  RETURN_IF_ERROR(router->Add("GET", "/api/v1/endpoints", [service](const HttpRequest&) {
    return JsonResponse(200, {{"endpoints", app::ToJsonArray(service->Describe())}});
  }));
  RETURN_IF_ERROR(router->Add("GET", "/api/v1/endpoints/{name}", [service](const HttpRequest& request) {
    std::string_view name = request.PathParam("name");
    for (const serving::EndpointState& state : service->Describe()) {
      if (state.name == name) return JsonResponse(200, app::ToJson(state));
    }
    return StatusResponse(service->Endpoint(name).status());
  }));
  RETURN_IF_ERROR(router->Add("GET", "/metrics", [service, counters](const HttpRequest&) {
    return TextResponse(200, service->cache().PrometheusText() + counters->PrometheusText(),
                        "text/plain; version=0.0.4; charset=utf-8");
  }));
  auto healthy = [](const HttpRequest&) { return JsonResponse(200, {{"status", "ok"}}); };
  RETURN_IF_ERROR(router->Add("GET", "/ping", healthy));
  return router->Add("GET", "/api/v1/health", healthy);
}

}  // namespace grove::api
