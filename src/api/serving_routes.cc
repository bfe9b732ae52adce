#include "api/serving_routes.h"

#include <memory>


namespace grove::api {

Status AddServingRoutes(Router* router, serving::EndpointService* service, serving::DataCapture* capture,
                        InvocationCounters* counters, serving::LoaderPool* loader) {
  using Dialect = InvocationHandler::Dialect;
  auto handler = [&](Dialect dialect) {
    return std::make_shared<InvocationHandler>(service, capture, counters, dialect, loader);
  };
  RETURN_IF_ERROR(router->Add("POST", "/api/v1/endpoints/{name}/invocations", handler(Dialect::kGrove)));
  RETURN_IF_ERROR(router->Add("POST", "/endpoints/{name}/invocations", handler(Dialect::kSageMaker)));
  RETURN_IF_ERROR(router->Add("GET", "/metrics", [service, counters](const HttpRequest&) {
    return TextResponse(200, service->cache().PrometheusText() + counters->PrometheusText() + serving::VariantsPrometheusText(service->Describe()),
                        "text/plain; version=0.0.4; charset=utf-8");
  }));
  auto healthy = [](const HttpRequest&) { return JsonResponse(200, {{"status", "ok"}}); };
  RETURN_IF_ERROR(router->Add("GET", "/ping", healthy));
  return router->Add("GET", "/api/v1/health", healthy);
}

}  // namespace grove::api
