// Endpoints: create, list, describe, deploy, undeploy, promote, delete.
// (Invocations are the serving routes', api/serving_routes.h.)
#include "api/rest/rest_routes.h"
#include "api/rest/rest_wire.h"
#include "app/endpoints.h"
#include "app/record_json.h"
#include "serving/payload.h"

namespace grove::api::rest {

namespace {

std::string Name(const HttpRequest& request) { return std::string(request.PathParam("name")); }

Result<Json> Create(app::Endpoints endpoints, const HttpRequest& request) {
  ASSIGN_OR_RETURN(Json body, BodyObject(request));
  Fields fields(body);
  app::EndpointSpec spec;
  ASSIGN_OR_RETURN(spec.name, fields.String("name"));
  ASSIGN_OR_RETURN(spec.multi_model, fields.OptionalBool("multi_model"));
  ASSIGN_OR_RETURN(spec.follow, fields.OptionalStrings("follow"));
  ASSIGN_OR_RETURN(spec.deploy, fields.OptionalStrings("deploy"));
  ASSIGN_OR_RETURN(spec.capture_percent, fields.OptionalNumber("capture_percent", 0, 100));
  ASSIGN_OR_RETURN(spec.comment, fields.OptionalString("comment"));
  spec.by = CallerName(request);
  return app::ViewOf(endpoints.Create(spec));
}

Result<Json> Deploy(app::Endpoints endpoints, const HttpRequest& request) {
  ASSIGN_OR_RETURN(Json body, BodyObject(request));
  Fields fields(body);
  ASSIGN_OR_RETURN(std::string version, fields.String("version"));
  ASSIGN_OR_RETURN(std::string comment, fields.OptionalString("comment"));
  return app::ViewOf(endpoints.Deploy(Name(request), version, CallerName(request), comment));
}

Result<Json> Undeploy(app::Endpoints endpoints, const HttpRequest& request) {
  ASSIGN_OR_RETURN(Json body, BodyObject(request));
  ASSIGN_OR_RETURN(std::string group, Fields(body).String("group"));
  return app::ViewOf(endpoints.Undeploy(Name(request), group, CallerName(request)));
}

// The sample is an invocation body ({"instances": [...]} or {"data": "<csv>"}).
Result<Json> Promote(app::Endpoints endpoints, const HttpRequest& request) {
  ASSIGN_OR_RETURN(Json body, BodyObject(request));
  Fields fields(body);
  app::PromotionRequest promotion;
  promotion.source = Name(request);
  ASSIGN_OR_RETURN(promotion.target, fields.String("target"));
  ASSIGN_OR_RETURN(Json sample, fields.OptionalObject("sample"));
  if (sample.empty()) return Status::InvalidArgument("field 'sample' is required: an invocation body to test with");
  Result<serving::PredictRequest> parsed = serving::ParseJsonRequest(sample.dump());
  if (!parsed.ok()) return Status::InvalidArgument("field 'sample': " + parsed.status().message());
  promotion.sample = std::move(*parsed);
  promotion.sample_name = "the request's sample";
  ASSIGN_OR_RETURN(promotion.require_capture, fields.OptionalBool("require_capture"));
  ASSIGN_OR_RETURN(promotion.capture_percent, fields.OptionalNumber("capture_percent", 0, 100));
  ASSIGN_OR_RETURN(promotion.comment, fields.OptionalString("comment"));
  promotion.by = CallerName(request);
  ASSIGN_OR_RETURN(store::PromotionRecord record, endpoints.Promote(promotion));
  return app::ToJson(record);
}

}  // namespace

Status AddEndpointRoutes(Router* router, const RestContext& context) {
  // app::Endpoints is two references: one per request is free.
  auto endpoints = [home = context.home, service = context.service] { return app::Endpoints(*home, *service); };
  RETURN_IF_ERROR(
      AddList(router, "/api/v1/endpoints", [endpoints](const HttpRequest&, const PageRequest&) -> Result<Json> {
        return app::ToJsonArray(endpoints().List());  // Nothing is loaded for a listing.
      }));
  RETURN_IF_ERROR(AddJson(router, "POST", "/api/v1/endpoints",
                          [endpoints](const HttpRequest& request) { return Create(endpoints(), request); }, 201));
  RETURN_IF_ERROR(
      AddJson(router, "GET", "/api/v1/endpoints/{name}", [endpoints](const HttpRequest& request) -> Result<Json> {
        // Describing loads nothing: models load on their first invocation, not on an I/O thread here.
        return app::ViewOf(endpoints().Describe(Name(request), /*load=*/false));
      }));
  RETURN_IF_ERROR(
      AddJson(router, "DELETE", "/api/v1/endpoints/{name}", [endpoints](const HttpRequest& request) -> Result<Json> {
        RETURN_IF_ERROR(endpoints().Delete(Name(request)));
        return Json{{"name", Name(request)}, {"deleted", true}};
      }));
  RETURN_IF_ERROR(AddJson(router, "POST", "/api/v1/endpoints/{name}/deploy",
                          [endpoints](const HttpRequest& request) { return Deploy(endpoints(), request); }));
  RETURN_IF_ERROR(AddJson(router, "POST", "/api/v1/endpoints/{name}/undeploy",
                          [endpoints](const HttpRequest& request) { return Undeploy(endpoints(), request); }));
  return AddJson(router, "POST", "/api/v1/endpoints/{name}/promote",
                 [endpoints](const HttpRequest& request) { return Promote(endpoints(), request); });
}

}  // namespace grove::api::rest
