// The model registry: groups, versions, describe, approve, reject, evaluation report.
#include "api/rest/rest_routes.h"
#include "api/rest/rest_wire.h"
#include "app/model_registry.h"
#include "app/record_json.h"
#include "store/records.h"

namespace grove::api::rest {

namespace {

constexpr std::string_view kVersion = "/api/v1/registry/groups/{group}/versions/{version}";

// "G/N" from the path, the version checked to be a number.
Result<std::string> VersionRef(const HttpRequest& request) {
  ASSIGN_OR_RETURN(int version, PositiveInt(request.PathParam("version"), "version"));
  return store::VersionRef(std::string(request.PathParam("group")), version);
}

// Approves or rejects: the caller's identity is recorded as who did it.
Result<Json> ChangeApproval(app::Home* home, const HttpRequest& request, bool approve) {
  ASSIGN_OR_RETURN(std::string ref, VersionRef(request));
  ASSIGN_OR_RETURN(Json body, BodyObject(request));
  ASSIGN_OR_RETURN(std::string comment, Fields(body).OptionalString("comment"));
  const std::string by = CallerName(request);
  app::ModelRegistry registry(*home);
  return app::ViewOf(approve ? registry.Approve(ref, comment, by) : registry.Reject(ref, comment, by));
}

}  // namespace

Status AddRegistryRoutes(Router* router, const RestContext& context) {
  app::Home* home = context.home;
  RETURN_IF_ERROR(
      AddList(router, "/api/v1/registry/groups", [home](const HttpRequest&, const PageRequest&) -> Result<Json> {
        return app::ViewOf(app::ModelRegistry(*home).Groups());
      }));
  RETURN_IF_ERROR(AddList(router, "/api/v1/registry/groups/{group}/versions",
                          [home](const HttpRequest& request, const PageRequest&) -> Result<Json> {
                            std::string group(request.PathParam("group"));
                            return app::ViewOf(app::ModelRegistry(*home).Versions(group));
                          }));
  RETURN_IF_ERROR(AddJson(router, "GET", kVersion, [home](const HttpRequest& request) -> Result<Json> {
    ASSIGN_OR_RETURN(std::string ref, VersionRef(request));
    return app::ViewOf(app::ModelRegistry(*home).Get(ref));
  }));
  RETURN_IF_ERROR(AddJson(router, "GET", std::string(kVersion) + "/report",
                          [home](const HttpRequest& request) -> Result<Json> {
                            ASSIGN_OR_RETURN(std::string ref, VersionRef(request));
                            app::ModelRegistry registry(*home);
                            ASSIGN_OR_RETURN(auto version, registry.Get(ref));
                            ASSIGN_OR_RETURN(app::EvaluationReport report, registry.Report(version));
                            return app::ToJson(report);
                          }));
  RETURN_IF_ERROR(AddJson(router, "POST", std::string(kVersion) + "/approve",
                          [home](const HttpRequest& request) { return ChangeApproval(home, request, true); }));
  return AddJson(router, "POST", std::string(kVersion) + "/reject",
                 [home](const HttpRequest& request) { return ChangeApproval(home, request, false); });
}

}  // namespace grove::api::rest
