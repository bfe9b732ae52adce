// GET /api/v1/events: the event log as server-sent events (event_stream.h).
#include "api/rest/event_stream.h"
#include "api/rest/rest_routes.h"

namespace grove::api::rest {

Status AddEventRoutes(Router* router, const RestContext& context) {
  app::Home* home = context.home;
  EventStreamOptions options = context.events;
  return router->Add("GET", "/api/v1/events", [home, options](const HttpRequest& request) {
    Result<int64_t> after = ResumeAfter(request, *home->metadata());
    if (!after.ok()) return StatusResponse(after.status());
    std::string subject(request.QueryParam("subject").value_or(""));
    return EventStreamResponse(std::make_shared<EventStream>(home->metadata(), *after, std::move(subject), options));
  });
}

}  // namespace grove::api::rest
