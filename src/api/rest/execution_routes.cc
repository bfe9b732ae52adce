// Executions: start, list, describe, steps, logs (and a step's live log), outputs, trials, stop, retry.
#include "api/rest/log_stream.h"
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

// One step's log as server-sent events (log_stream.h), from the byte offset
// in Last-Event-ID when a client resumes. Errors before the stream starts:
// 400 without ?step=, 404 for an unknown execution or step.
HttpResponse StreamLog(const RestContext& context, const HttpRequest& request) {
  const std::string step = StepParam(request);
  if (step.empty()) {
    return StatusResponse(Status::InvalidArgument("parameter 'step' is required: the step whose log to follow "
                                                  "(e.g. ?step=Train)"));
  }
  int64_t offset = 0;
  if (auto last = request.headers.Get("Last-Event-ID"); last && !last->empty()) {
    Result<int64_t> resumed = ResumePoint(*last, "Last-Event-ID", "a byte offset (the id of the last log event seen)");
    if (!resumed.ok()) return StatusResponse(resumed.status());
    offset = *resumed;
  }
  if (Status s = app::Executions(*context.home).StepRun(Id(request), step).status(); !s.ok()) {
    return StatusResponse(s);
  }
  return EventStreamResponse(
      std::make_shared<StepLogStream>(context.home, Id(request), step, static_cast<uint64_t>(offset), context.events));
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
  RETURN_IF_ERROR(router->Add("GET", "/api/v1/executions/{id}/logs/stream",
                              [context](const HttpRequest& request) { return StreamLog(context, request); }));
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
