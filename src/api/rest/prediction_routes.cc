// Queued batch inference: prediction records and the queue (app/inference_queue.h).
#include "api/rest/rest_routes.h"
#include "api/rest/rest_wire.h"
#include "app/inference_queue.h"

namespace grove::api::rest {

namespace {

std::string Query(const HttpRequest& request, std::string_view name) {
  return std::string(request.QueryParam(name).value_or(""));
}

// At most page.wanted() items are read: the list's pages come from its front.
int Wanted(const PageRequest& page) { return static_cast<int>(page.wanted()); }

Result<Json> Replay(app::InferenceQueue queue, const HttpRequest& request) {
  ASSIGN_OR_RETURN(Json body, BodyObject(request));
  Fields fields(body);
  ASSIGN_OR_RETURN(bool all_dead, fields.OptionalBool("all_dead"));
  ASSIGN_OR_RETURN(double id, fields.OptionalNumber("id", 0, 9.0e15));
  if ((id > 0) == all_dead) {
    return Status::InvalidArgument("give field 'id' (a dead message's id) or 'all_dead': true, one of them");
  }
  if (all_dead) {
    ASSIGN_OR_RETURN(int replayed, queue.ReplayAllDead());
    return Json{{"replayed", replayed}};
  }
  RETURN_IF_ERROR(queue.Replay(static_cast<int64_t>(id)).status());
  return Json{{"replayed", 1}};
}

Result<Json> Enqueue(app::InferenceQueue queue, const HttpRequest& request) {
  ASSIGN_OR_RETURN(Json body, BodyObject(request));
  ASSIGN_OR_RETURN(std::string path, Fields(body).String("path"));
  ASSIGN_OR_RETURN(app::QueueTarget target, app::QueueTargetOf(body));
  ASSIGN_OR_RETURN(int enqueued, queue.EnqueueFile(path, target));
  return Json{{"file", path}, {"enqueued", enqueued}};
}

}  // namespace

Status AddPredictionRoutes(Router* router, const RestContext& context) {
  // app::InferenceQueue is one reference: one per request is free.
  auto queue = [home = context.home] { return app::InferenceQueue(*home); };
  RETURN_IF_ERROR(AddList(router, "/api/v1/predictions",
                          [queue](const HttpRequest& request, const PageRequest& page) -> Result<Json> {
                            return app::QueueViews(queue().Predictions(Query(request, "dim"), {0, Wanted(page)}));
                          }));
  RETURN_IF_ERROR(AddJson(router, "GET", "/api/v1/queue",
                          [queue](const HttpRequest&) -> Result<Json> { return queue().Summary(); }));
  RETURN_IF_ERROR(AddList(router, "/api/v1/queue/messages",
                          [queue](const HttpRequest& request, const PageRequest& page) -> Result<Json> {
                            return app::QueueViews(queue().List(Query(request, "state"), {0, Wanted(page)}));
                          }));
  RETURN_IF_ERROR(AddJson(router, "GET", "/api/v1/queue/messages/{id}",
                          [queue](const HttpRequest& request) -> Result<Json> {
                            ASSIGN_OR_RETURN(int id, PositiveInt(request.PathParam("id"), "id"));
                            return queue().Show(id);
                          }));
  RETURN_IF_ERROR(AddJson(router, "POST", "/api/v1/queue/replay",
                          [queue](const HttpRequest& request) { return Replay(queue(), request); }));
  return AddJson(router, "POST", "/api/v1/queue/enqueue",
                 [queue](const HttpRequest& request) { return Enqueue(queue(), request); });
}

}  // namespace grove::api::rest
