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
  ASSIGN_OR_RETURN(auto started, app::Executions(*context.home, context.executor).StartStored(pipeline, parameters));
  return app::ToJson(started);
}

// The execution after a stop was asked for.
Result<Json> Stop(const RestContext& context, const HttpRequest& request) {
  app::Executions executions(*context.home);
  RETURN_IF_ERROR(executions.Stop(Id(request)));
  ASSIGN_OR_RETURN(auto execution, executions.Describe(Id(request)));
  return app::ToJson(execution);
}

}  // namespace

Status AddExecutionRoutes(Router* router, const RestContext& context) {
  app::Home* home = context.home;
  RETURN_IF_ERROR(AddList(router, "/api/v1/executions",
                          [home](const HttpRequest& request, const PageRequest& page) -> Result<Json> {
                            app::ExecutionQuery query;
                            query.pipeline = std::string(request.QueryParam("pipeline").value_or(""));
                            query.limit = static_cast<int>(page.wanted());
                            ASSIGN_OR_RETURN(auto list, app::Executions(*home).List(query));
                            return app::ToJsonArray(list);
                          }));
  RETURN_IF_ERROR(AddJson(router, "POST", "/api/v1/executions",
                          [context](const HttpRequest& request) { return Start(context, request); }, 201));
  RETURN_IF_ERROR(AddJson(router, "GET", "/api/v1/executions/{id}", [home](const HttpRequest& request) -> Result<Json> {
    ASSIGN_OR_RETURN(auto execution, app::Executions(*home).Describe(Id(request)));
    return app::ToJson(execution);
  }));
  RETURN_IF_ERROR(AddList(router, "/api/v1/executions/{id}/steps",
                          [home](const HttpRequest& request, const PageRequest&) -> Result<Json> {
                            ASSIGN_OR_RETURN(auto steps, app::Executions(*home).Steps(Id(request)));
                            return app::ToJsonArray(steps);
                          }));
  RETURN_IF_ERROR(AddList(router, "/api/v1/executions/{id}/logs",
                          [home](const HttpRequest& request, const PageRequest&) -> Result<Json> {
                            ASSIGN_OR_RETURN(auto logs, app::Executions(*home).Logs(Id(request), StepParam(request)));
                            return app::ToJsonArray(logs);
                          }));
  RETURN_IF_ERROR(AddList(router, "/api/v1/executions/{id}/outputs",
                          [home](const HttpRequest& request, const PageRequest&) -> Result<Json> {
                            ASSIGN_OR_RETURN(auto outputs, app::Executions(*home).Outputs(Id(request), StepParam(request)));
                            return app::ToJsonArray(outputs);
                          }));
  RETURN_IF_ERROR(AddList(router, "/api/v1/executions/{id}/trials",
                          [home](const HttpRequest& request, const PageRequest&) -> Result<Json> {
                            ASSIGN_OR_RETURN(auto trials, app::Executions(*home).Trials(Id(request), StepParam(request)));
                            return app::TrialsJson(trials);
                          }));
  RETURN_IF_ERROR(AddJson(router, "POST", "/api/v1/executions/{id}/stop",
                          [context](const HttpRequest& request) { return Stop(context, request); }));
  return AddJson(router, "POST", "/api/v1/executions/{id}/retry", [context](const HttpRequest& request) -> Result<Json> {
    ASSIGN_OR_RETURN(auto started, app::Executions(*context.home, context.executor).Retry(Id(request)));
    return app::ToJson(started);
  }, 201);
}

}  // namespace grove::api::rest
