// Endpoints: create, list, describe, deploy, undeploy, promote, delete;
// variants and weights, rollouts.
// (Invocations are the serving routes', api/serving_routes.h.)
#include "api/rest/rest_routes.h"
#include "api/rest/rest_wire.h"
#include "app/endpoints.h"
#include "app/record_json.h"
#include "app/rollouts.h"
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

// {"variants": [{name, model, weight | shadow}]}: replaces them ([] removes them).
Result<Json> PutVariants(app::Endpoints endpoints, const HttpRequest& request) {
  ASSIGN_OR_RETURN(Json body, BodyObject(request));
  if (!body.contains("variants")) return Status::InvalidArgument("field 'variants' is required: a list of variants");
  ASSIGN_OR_RETURN(registry::TrafficSpec traffic, registry::TrafficFromJson(body));
  return app::ViewOf(endpoints.SetVariants(Name(request), traffic.variants, CallerName(request)));
}

// {"weights": {"<variant>": <weight>, ...}}
Result<Json> PostWeights(app::Endpoints endpoints, const HttpRequest& request) {
  ASSIGN_OR_RETURN(Json body, BodyObject(request));
  ASSIGN_OR_RETURN(Json weights, Fields(body).OptionalObject("weights"));
  if (weights.empty()) return Status::InvalidArgument("field 'weights' is required: {\"<variant>\": <weight>}");
  std::vector<std::pair<std::string, double>> changes;
  for (const auto& [variant, weight] : weights.items()) {
    if (!weight.is_number()) return Status::InvalidArgument("field 'weights." + variant + "': expected a number");
    changes.emplace_back(variant, weight.get<double>());
  }
  return app::ViewOf(endpoints.SetWeights(Name(request), changes, CallerName(request)));
}

// {"model": "G/N", "strategy": "canary" | "linear", "percent", "bake_ms", "alarms": {...}}
Result<Json> StartRollout(app::Rollouts rollouts, const HttpRequest& request) {
  ASSIGN_OR_RETURN(Json body, BodyObject(request));
  Fields fields(body);
  app::RolloutSpec spec;
  spec.endpoint = Name(request);
  ASSIGN_OR_RETURN(spec.model, fields.String("model"));
  ASSIGN_OR_RETURN(spec.strategy, fields.OptionalString("strategy"));
  if (spec.strategy.empty()) spec.strategy = "canary";
  ASSIGN_OR_RETURN(spec.percent, fields.OptionalNumber("percent", 0, 100));
  if (!body.contains("percent")) spec.percent = 10;
  ASSIGN_OR_RETURN(double bake_ms, fields.OptionalNumber("bake_ms", 0, 7.0 * 24 * 3600 * 1000));
  spec.bake_ms = body.contains("bake_ms") ? static_cast<TimeMs>(bake_ms) : 300000;
  ASSIGN_OR_RETURN(Json alarms, fields.OptionalObject("alarms"));
  Fields alarm(alarms);
  // An alarm left out is off (-1).
  auto threshold = [&](const char* name, double max) -> Result<double> {
    if (!alarms.contains(name)) return -1.0;
    return alarm.OptionalNumber(name, 0, max);
  };
  ASSIGN_OR_RETURN(spec.alarms.max_error_rate, threshold("max_error_rate", 1));
  ASSIGN_OR_RETURN(spec.alarms.max_p99_ms, threshold("max_p99_ms", 1e9));
  ASSIGN_OR_RETURN(spec.alarms.max_drift, threshold("max_drift", 1e9));
  ASSIGN_OR_RETURN(double min_requests, threshold("min_requests", 1e9));
  if (min_requests >= 0) spec.alarms.min_requests = static_cast<uint64_t>(min_requests);
  spec.by = CallerName(request);
  ASSIGN_OR_RETURN(app::RolloutRecord rollout, rollouts.Start(spec));
  return app::ToJson(rollout);
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
  RETURN_IF_ERROR(AddJson(router, "POST", "/api/v1/endpoints/{name}/promote",
                          [endpoints](const HttpRequest& request) { return Promote(endpoints(), request); }));
  RETURN_IF_ERROR(AddJson(router, "PUT", "/api/v1/endpoints/{name}/variants",
                          [endpoints](const HttpRequest& request) { return PutVariants(endpoints(), request); }));
  RETURN_IF_ERROR(AddJson(router, "POST", "/api/v1/endpoints/{name}/weights",
                          [endpoints](const HttpRequest& request) { return PostWeights(endpoints(), request); }));
  auto rollouts = [home = context.home] { return app::Rollouts(home->metadata(), home->clock()); };
  RETURN_IF_ERROR(AddJson(router, "POST", "/api/v1/endpoints/{name}/rollout",
                          [rollouts](const HttpRequest& request) { return StartRollout(rollouts(), request); }, 201));
  RETURN_IF_ERROR(
      AddJson(router, "GET", "/api/v1/endpoints/{name}/rollout", [rollouts](const HttpRequest& request) -> Result<Json> {
        ASSIGN_OR_RETURN(app::RolloutRecord rollout, rollouts().Get(Name(request)));
        return app::ToJson(rollout);
      }));
  return AddJson(router, "POST", "/api/v1/endpoints/{name}/rollout/abort",
                 [rollouts](const HttpRequest& request) -> Result<Json> {
                   ASSIGN_OR_RETURN(app::RolloutRecord rollout, rollouts().Abort(Name(request), CallerName(request)));
                   return app::ToJson(rollout);
                 });
}

}  // namespace grove::api::rest
