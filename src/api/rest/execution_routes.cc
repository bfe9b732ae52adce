// Executions: start, list, describe, steps, logs, outputs, trials, stop, retry.
#include "api/rest/rest_routes.h"
#include "api/rest/rest_wire.h"
#include "app/executions.h"
#include "app/record_json.h"

namespace grove::api::rest {

namespace {

std::string Id(const HttpRequest& request) { return std::string(request.PathParam("id")); }
std::string StepParam(const HttpRequest& request) { return std::string(request.QueryParam("step").value_or("")); }

Result<Json> Start(const RestContext& context, const HttpRequest& request) {
  ASSIGN_OR_RETURN(Json body, BodyObject(request));
  Fields fields(body);
  ASSIGN_OR_RETURN(std::string pipeline, fields.String("pipeline"));
  ASSIGN_OR_RETURN(Json parameters, fields.OptionalObject("parameters"));
  return app::ViewOf(app::Executions(*context.home, context.executor).StartStored(pipeline, parameters));
}

// The execution after a stop was asked for.
Result<Json> Stop(const RestContext& context, const HttpRequest& request) {
  app::Executions executions(*context.home);
  RETURN_IF_ERROR(executions.Stop(Id(request)));
  return app::ViewOf(executions.Describe(Id(request)));
}

}  // namespace

Status AddExecutionRoutes(Router* router, const RestContext& context) {
  app::Home* home = context.home;
  RETURN_IF_ERROR(AddList(router, "/api/v1/executions",
                          [home](const HttpRequest& request, const PageRequest& page) -> Result<Json> {
                            app::ExecutionQuery query;
                            query.pipeline = std::string(request.QueryParam("pipeline").value_or(""));
                            query.limit = static_cast<int>(page.wanted());
                            return app::ViewOf(app::Executions(*home).List(query));
                          }));
  RETURN_IF_ERROR(AddJson(router, "POST", "/api/v1/executions",
                          [context](const HttpRequest& request) { return Start(context, request); }, 201));
  RETURN_IF_ERROR(AddJson(router, "GET", "/api/v1/executions/{id}", [home](const HttpRequest& request) -> Result<Json> {
    return app::ViewOf(app::Executions(*home).Describe(Id(request)));
  }));
  RETURN_IF_ERROR(AddList(router, "/api/v1/executions/{id}/steps",
                          [home](const HttpRequest& request, const PageRequest&) -> Result<Json> {
                            return app::ViewOf(app::Executions(*home).Steps(Id(request)));
                          }));
  RETURN_IF_ERROR(AddList(router, "/api/v1/executions/{id}/logs",
                          [home](const HttpRequest& request, const PageRequest&) -> Result<Json> {
                            return app::ViewOf(app::Executions(*home).Logs(Id(request), StepParam(request)));
                          }));
  RETURN_IF_ERROR(AddList(router, "/api/v1/executions/{id}/outputs",
                          [home](const HttpRequest& request, const PageRequest&) -> Result<Json> {
                            return app::ViewOf(app::Executions(*home).Outputs(Id(request), StepParam(request)));
                          }));
  RETURN_IF_ERROR(AddList(
      router, "/api/v1/executions/{id}/trials", [home](const HttpRequest& request, const PageRequest&) -> Result<Json> {
        ASSIGN_OR_RETURN(auto trials, app::Executions(*home).Trials(Id(request), StepParam(request)));
        return app::TrialsJson(trials);
      }));
  RETURN_IF_ERROR(AddJson(router, "POST", "/api/v1/executions/{id}/stop",
                          [context](const HttpRequest& request) { return Stop(context, request); }));
  return AddJson(
      router, "POST", "/api/v1/executions/{id}/retry",
      [context](const HttpRequest& request) -> Result<Json> {
        return app::ViewOf(app::Executions(*context.home, context.executor).Retry(Id(request)));
      },
      201);
}

}  // namespace grove::api::rest
