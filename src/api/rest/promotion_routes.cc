// Promotion flows' runs (app/promotion_runner.h): list, get, approve, reject.
// Approve and reject need the approver role; the caller's identity decides.
#include "api/rest/rest_routes.h"
#include "api/rest/rest_wire.h"
#include "app/promotion_actions.h"
#include "app/promotion_runner.h"

namespace grove::api::rest {

namespace {

constexpr const char* kRun = "/api/v1/promotions/{flow}/{id}";

Result<Json> Decide(const RestContext& context, const HttpRequest& request, bool approve) {
  ASSIGN_OR_RETURN(int64_t id, app::ParsePromotionRunId(std::string(request.PathParam("id"))));
  ASSIGN_OR_RETURN(Json body, BodyObject(request));
  ASSIGN_OR_RETURN(std::string comment, Fields(body).OptionalString("comment"));
  const std::string by = request.identity.empty() ? "anonymous" : request.identity;
  app::EndpointPromotionActions actions(*context.home, *context.service);
  app::PromotionRunner runner(context.home->metadata(), &actions, context.home->clock());
  const std::string flow(request.PathParam("flow"));
  ASSIGN_OR_RETURN(app::PromotionRun run,
                   approve ? runner.Approve(flow, id, by, comment) : runner.Reject(flow, id, by, comment));
  return app::PromotionRunView(run);
}

}  // namespace

Status AddPromotionRoutes(Router* router, const RestContext& context) {
  app::Home* home = context.home;
  RETURN_IF_ERROR(AddList(router, "/api/v1/promotions", [home](const HttpRequest& request, const PageRequest&)
                                                              -> Result<Json> {
    const std::string flow(request.QueryParam("flow").value_or(""));
    ASSIGN_OR_RETURN(std::vector<app::PromotionRun> runs, store::ReadValue(*home->metadata(),
                                                                           [&](store::StoreReader& rows) {
                                                                             return app::ListPromotionRuns(rows, flow);
                                                                           }));
    Json out = Json::array();
    for (const app::PromotionRun& run : runs) out.push_back(app::PromotionRunView(run));
    return out;
  }));
  RETURN_IF_ERROR(AddJson(router, "GET", kRun, [home](const HttpRequest& request) -> Result<Json> {
    ASSIGN_OR_RETURN(int64_t id, app::ParsePromotionRunId(std::string(request.PathParam("id"))));
    const std::string flow(request.PathParam("flow"));
    ASSIGN_OR_RETURN(app::PromotionRun run, store::ReadValue(*home->metadata(), [&](store::StoreReader& rows) {
                       return app::GetPromotionRun(rows, flow, id);
                     }));
    return app::PromotionRunView(run);
  }));
  for (bool approve : {true, false}) {
    RETURN_IF_ERROR(AddJson(router, "POST", std::string(kRun) + (approve ? "/approve" : "/reject"),
                            [context, approve](const HttpRequest& request) { return Decide(context, request, approve); }));
  }
  return Status::OK();
}

}  // namespace grove::api::rest
