// Triggers (events/trigger_records.h): list, create, get with recent firings,
// pause, resume, delete. A running server picks changes up within a second.
#include "api/rest/rest_routes.h"
#include "api/rest/rest_wire.h"
#include "events/trigger_records.h"

namespace grove::api::rest {

namespace {

// ?firings=N (default 20; 0: all).
Result<int> FiringsOf(const HttpRequest& request) {
  std::optional<std::string_view> given = request.QueryParam("firings");
  if (!given) return 20;
  if (*given == "0") return 0;
  return PositiveInt(*given, "firings");
}

}  // namespace

Status AddTriggerRoutes(Router* router, const RestContext& context) {
  app::Home* home = context.home;
  RETURN_IF_ERROR(AddList(router, "/api/v1/triggers", [home](const HttpRequest&, const PageRequest&) -> Result<Json> {
    ASSIGN_OR_RETURN(std::vector<events::TriggerSpec> specs, events::ListTriggers(*home->metadata()));
    Json out = Json::array();
    for (const events::TriggerSpec& spec : specs) out.push_back(events::ToJson(spec));
    return out;
  }));
  RETURN_IF_ERROR(AddJson(router, "POST", "/api/v1/triggers", [home](const HttpRequest& request) -> Result<Json> {
    ASSIGN_OR_RETURN(Json body, BodyObject(request));
    ASSIGN_OR_RETURN(events::TriggerSpec spec, events::TriggerSpecFromJson(body));
    if (spec.source.empty() || spec.source != "cli") spec.source = "api";
    RETURN_IF_ERROR(events::CreateTrigger(*home->metadata(), spec));
    return events::TriggerView(*home->metadata(), spec.name, -1);
  }, 201));
  RETURN_IF_ERROR(AddJson(router, "GET", "/api/v1/triggers/{name}", [home](const HttpRequest& request) -> Result<Json> {
    ASSIGN_OR_RETURN(int firings, FiringsOf(request));
    return events::TriggerView(*home->metadata(), std::string(request.PathParam("name")), firings);
  }));
  for (bool paused : {true, false}) {
    RETURN_IF_ERROR(AddJson(router, "POST", paused ? "/api/v1/triggers/{name}/pause" : "/api/v1/triggers/{name}/resume",
                            [home, paused](const HttpRequest& request) -> Result<Json> {
                              const std::string name(request.PathParam("name"));
                              RETURN_IF_ERROR(events::SetTriggerPaused(*home->metadata(), name, paused).status());
                              return events::TriggerView(*home->metadata(), name, -1);
                            }));
  }
  return AddJson(router, "DELETE", "/api/v1/triggers/{name}", [home](const HttpRequest& request) -> Result<Json> {
    const std::string name(request.PathParam("name"));
    RETURN_IF_ERROR(events::DeleteTrigger(*home->metadata(), name));
    return Json{{"deleted", name}};
  });
}

}  // namespace grove::api::rest
