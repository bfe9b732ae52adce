// Hooks (events/hook_records.h): list, create (answering the webhook's secret
// once), get, delete, deliveries, replay. A running server delivers them.
#include "api/rest/rest_routes.h"
#include "api/rest/rest_wire.h"
#include "events/hook_records.h"

namespace grove::api::rest {

namespace {

Result<Json> Deliveries(store::MetadataStore& metadata, const std::string& name, bool dead) {
  return store::ReadValue(metadata, [&](store::StoreReader& rows) -> Result<Json> {
    ASSIGN_OR_RETURN(auto hook, events::FindHookRecord(rows, name));
    if (!hook) return events::NoSuchHook(rows, name);
    ASSIGN_OR_RETURN(std::vector<events::HookDelivery> list,
                     events::ListDeliveries(rows, name, dead ? events::kDeliveryDead : ""));
    Json out = Json::array();
    for (const events::HookDelivery& d : list) out.push_back(events::ToJson(d));
    return out;
  });
}

// {"name", ...the hook's members} -> the hook, created.
Result<Json> Create(store::MetadataStore& metadata, const HttpRequest& request) {
  ASSIGN_OR_RETURN(Json body, BodyObject(request));
  ASSIGN_OR_RETURN(std::string name, Fields(body).String("name"));
  body.erase("name");
  std::string field;
  ASSIGN_OR_RETURN(events::HookSpec spec, events::HookSpecFromJson(name, body, &field));
  ASSIGN_OR_RETURN(events::HookRecord made, events::CreateHook(metadata, spec));
  ASSIGN_OR_RETURN(Json view, events::HookView(metadata, name, false));
  if (!made.secret.empty()) view["secret"] = made.secret;  // Shown once, as `grove hook create` prints it.
  return view;
}

}  // namespace

Status AddHookRoutes(Router* router, const RestContext& context) {
  app::Home* home = context.home;
  RETURN_IF_ERROR(AddList(router, "/api/v1/hooks", [home](const HttpRequest&, const PageRequest&) -> Result<Json> {
    ASSIGN_OR_RETURN(std::vector<events::HookSpec> specs, store::ReadValue(*home->metadata(), [](store::StoreReader& r) {
                       return events::ListHooks(r);
                     }));
    Json out = Json::array();
    for (const events::HookSpec& spec : specs) {
      ASSIGN_OR_RETURN(Json view, events::HookView(*home->metadata(), spec.name, false));
      out.push_back(std::move(view));
    }
    return out;
  }));
  RETURN_IF_ERROR(AddJson(router, "POST", "/api/v1/hooks", [home](const HttpRequest& request) {
    return Create(*home->metadata(), request);
  }, 201));
  RETURN_IF_ERROR(AddJson(router, "GET", "/api/v1/hooks/{name}", [home](const HttpRequest& request) {
    return events::HookView(*home->metadata(), std::string(request.PathParam("name")), false);
  }));
  RETURN_IF_ERROR(AddJson(router, "DELETE", "/api/v1/hooks/{name}", [home](const HttpRequest& request) -> Result<Json> {
    const std::string name(request.PathParam("name"));
    RETURN_IF_ERROR(events::RemoveHook(*home->metadata(), name));
    return Json{{"deleted", name}};
  }));
  RETURN_IF_ERROR(AddList(router, "/api/v1/hooks/{name}/deliveries",
                          [home](const HttpRequest& request, const PageRequest&) -> Result<Json> {
                            std::optional<std::string_view> dead = request.QueryParam("dead");
                            return Deliveries(*home->metadata(), std::string(request.PathParam("name")),
                                              dead && (*dead == "true" || *dead == "1"));
                          }));
  // {"seq": N} replays one event's delivery; {"all_dead": true} every dead one.
  return AddJson(router, "POST", "/api/v1/hooks/{name}/replay", [home](const HttpRequest& request) -> Result<Json> {
    const std::string name(request.PathParam("name"));
    ASSIGN_OR_RETURN(Json body, BodyObject(request));
    Fields fields(body);
    ASSIGN_OR_RETURN(bool all_dead, fields.OptionalBool("all_dead"));
    ASSIGN_OR_RETURN(double seq, fields.OptionalNumber("seq", 0, 9e15));
    if ((seq > 0) == all_dead) return Status::InvalidArgument("seq: give an event's seq or all_dead: true");
    ASSIGN_OR_RETURN(int replayed, events::ReplayDeliveries(*home->metadata(), name, static_cast<int64_t>(seq)));
    return Json{{"hook", name}, {"replayed", replayed}};
  });
}

}  // namespace grove::api::rest
