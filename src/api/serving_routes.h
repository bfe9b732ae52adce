#pragma once

#include "api/invocation_handler.h"
#include "api/router.h"
#include "common/status.h"
#include "serving/data_capture.h"
#include "serving/endpoint_service.h"

namespace grove::api {

// Adds the serving routes to `router`:
//   POST /api/v1/endpoints/{name}/invocations   predictions (Grove errors)
//   POST /endpoints/{name}/invocations          the same for sagemaker-runtime clients
//   GET  /metrics                               Prometheus text: model cache and invocations
//   GET  /ping, /api/v1/health                  200 while the server runs
// (The endpoints themselves are described by the REST routes, api/rest/.)
// `capture` may be null; `loader`, when not null, loads models that are not
// loaded off the I/O threads (InvocationHandler). Every pointer must outlive
// the router.
Status AddServingRoutes(Router* router, serving::EndpointService* service, serving::DataCapture* capture,
                        InvocationCounters* counters, serving::LoaderPool* loader = nullptr);

}  // namespace grove::api
