// Configuration (admin only, see DefaultRequiredRole): plan and apply a
// document a client read from its grove.yaml, export today's state.
#include "api/rest/rest_routes.h"
#include "api/rest/rest_wire.h"
#include "app/configuration.h"

namespace grove::api::rest {

namespace {

// {document, prune} as ConfigDocumentFromJson reads it.
Result<std::pair<app::ConfigDocument, bool>> ConfigRequest(const HttpRequest& request) {
  ASSIGN_OR_RETURN(Json body, BodyObject(request));
  if (!body.contains("document")) return Status::InvalidArgument("field 'document': required");
  const Json prune = body.value("prune", Json(false));
  if (!prune.is_boolean()) return Status::InvalidArgument("field 'prune': expected true or false");
  ASSIGN_OR_RETURN(app::ConfigDocument doc, app::ConfigDocumentFromJson(body["document"]));
  return std::make_pair(std::move(doc), prune.get<bool>());
}

}  // namespace

Status AddConfigRoutes(Router* router, const RestContext& context) {
  app::Home* home = context.home;
  RETURN_IF_ERROR(AddJson(router, "POST", "/api/v1/config/plan", [home](const HttpRequest& request) -> Result<Json> {
    ASSIGN_OR_RETURN(auto config, ConfigRequest(request));
    ASSIGN_OR_RETURN(app::ConfigPlan plan, app::Configuration(*home).Plan(config.first, config.second));
    return app::ToJson(plan);
  }));
  RETURN_IF_ERROR(AddJson(router, "POST", "/api/v1/config/apply", [home](const HttpRequest& request) -> Result<Json> {
    ASSIGN_OR_RETURN(auto config, ConfigRequest(request));
    ASSIGN_OR_RETURN(app::ConfigApplied applied,
                     app::Configuration(*home).Apply(config.first, config.second, CallerName(request)));
    return app::ToJson(applied);
  }));
  return AddJson(router, "GET", "/api/v1/config",
                 [home](const HttpRequest&) -> Result<Json> { return app::Configuration(*home).Export(); });
}

}  // namespace grove::api::rest
