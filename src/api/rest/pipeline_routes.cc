// Pipelines: create a version from a posted definition, list, describe, graph, versions.
#include "api/rest/rest_routes.h"
#include "api/rest/rest_wire.h"
#include "app/pipelines.h"
#include "app/record_json.h"

namespace grove::api::rest {

namespace {

std::string PipelineName(const HttpRequest& request) { return std::string(request.PathParam("name")); }

// ?version=N (1 or more); 0, the latest, when absent.
Result<int> VersionParam(const HttpRequest& request) {
  if (auto text = request.QueryParam("version")) return PositiveInt(*text, "version");
  return 0;
}

}  // namespace

Status AddPipelineRoutes(Router* router, const RestContext& context) {
  app::Home* home = context.home;
  RETURN_IF_ERROR(AddList(router, "/api/v1/pipelines", [home](const HttpRequest&, const PageRequest&) -> Result<Json> {
    return app::ViewOf(app::Pipelines(*home).List());
  }));
  // The body is the definition itself, YAML or JSON, as a file would hold it.
  RETURN_IF_ERROR(router->Add("POST", "/api/v1/pipelines", [home](const HttpRequest& request) {
    if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) {
      return StatusResponse(Status::InvalidArgument(
          "request body: expected a pipeline definition (YAML or JSON, as in examples/abalone.yaml)"));
    }
    std::string name(request.QueryParam("name").value_or(""));
    auto def = app::Pipelines::ReadText(request.body, name, "request body");
    if (!def.ok()) return StatusResponse(def.status());
    auto stored = app::Pipelines(*home).Store(std::move(*def));
    if (!stored.ok()) return StatusResponse(stored.status());
    return JsonResponse(stored->new_version ? 201 : 200, app::ToJson(*stored));
  }));
  RETURN_IF_ERROR(
      AddJson(router, "GET", "/api/v1/pipelines/{name}", [home](const HttpRequest& request) -> Result<Json> {
        ASSIGN_OR_RETURN(int version, VersionParam(request));
        return app::ViewOf(app::Pipelines(*home).Describe(PipelineName(request), version));
      }));
  // The steps and parameters of a definition version, for a console to draw.
  RETURN_IF_ERROR(
      AddJson(router, "GET", "/api/v1/pipelines/{name}/graph", [home](const HttpRequest& request) -> Result<Json> {
        ASSIGN_OR_RETURN(int version, VersionParam(request));
        return app::ViewOf(app::Pipelines(*home).Graph(PipelineName(request), version));
      }));
  return AddList(router, "/api/v1/pipelines/{name}/versions",
                 [home](const HttpRequest& request, const PageRequest&) -> Result<Json> {
                   return app::ViewOf(app::Pipelines(*home).Versions(PipelineName(request)));
                 });
}

}  // namespace grove::api::rest
