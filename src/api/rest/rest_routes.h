#pragma once

// Grove's native REST API under /api/v1/: everything the CLI does, as JSON,
// over the use cases of app/ with the record views of app/record_json.h (the
// objects `--json` prints). Entry of the rest/ subsystem; docs/api.md
// "Native REST API" is the user's view of it, openapi.json its contract.
#include <chrono>

#include "api/router.h"
#include "app/home.h"
#include "common/status.h"
#include "pipeline/executor.h"
#include "serving/endpoint_service.h"

namespace grove::api::rest {

// How the server-sent event routes (GET /api/v1/events, a step's log stream)
// read what they send.
struct EventStreamOptions {
  // How often an open stream reads the event log, or the step's log, for what
  // is new. Default: 250 ms.
  std::chrono::milliseconds poll{250};
  // A comment line is sent after this long without events, so proxies and
  // clients see a live connection. Default: 15 s.
  std::chrono::milliseconds keep_alive{15'000};
  // Events read at most per poll (the event log). Default: 200.
  int batch = 200;
};

// What the routes work on. Every pointer must outlive the router.
struct RestContext {
  app::Home* home = nullptr;
  // Runs the executions the API starts and retries.
  pipeline::Executor* executor = nullptr;
  // The endpoints the server serves (refreshed after every change made here).
  serving::EndpointService* service = nullptr;
  EventStreamOptions events;
};

// Adds every native route (each area's below, and GET /api/v1/openapi.json),
// and reserves the "api" segment (Router::Reserve).
// Lists answer {"items": [...], "next_page_token"?} (?limit=, ?page_token=);
// errors {"error": {"code", "message"}} with the status of HttpStatusFor.
Status AddRestRoutes(Router* router, const RestContext& context);

// One function per area, one file each.
Status AddPipelineRoutes(Router* router, const RestContext& context);   // pipeline_routes.cc
Status AddExecutionRoutes(Router* router, const RestContext& context);  // execution_routes.cc
Status AddRegistryRoutes(Router* router, const RestContext& context);   // registry_routes.cc
Status AddEndpointRoutes(Router* router, const RestContext& context);   // endpoint_routes.cc
Status AddArtifactRoutes(Router* router, const RestContext& context);   // artifact_routes.cc
Status AddKeyRoutes(Router* router, const RestContext& context);        // key_routes.cc
Status AddEventRoutes(Router* router, const RestContext& context);      // event_routes.cc
Status AddTriggerRoutes(Router* router, const RestContext& context);    // trigger_routes.cc
Status AddConfigRoutes(Router* router, const RestContext& context);     // config_routes.cc
Status AddHookRoutes(Router* router, const RestContext& context);       // hook_routes.cc
Status AddPromotionRoutes(Router* router, const RestContext& context);  // promotion_routes.cc

// The OpenAPI 3 document of these routes (openapi.json, compiled in).
const char* OpenApiDocument();

}  // namespace grove::api::rest
