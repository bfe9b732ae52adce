// Access keys (admin only, see DefaultRequiredRole): list, create, revoke; and who the caller is.
#include "app/access_keys.h"
#include "api/rest/rest_routes.h"
#include "api/rest/rest_wire.h"

namespace grove::api::rest {

Status AddKeyRoutes(Router* router, const RestContext& context) {
  app::Home* home = context.home;
  // Who the caller is; the console shows only what the role may do.
  RETURN_IF_ERROR(AddJson(router, "GET", "/api/v1/whoami", [](const HttpRequest& request) -> Result<Json> {
    return Json{{"identity", request.identity}, {"role", app::RoleName(request.role)}};
  }));
  RETURN_IF_ERROR(AddList(router, "/api/v1/keys", [home](const HttpRequest&, const PageRequest&) -> Result<Json> {
    ASSIGN_OR_RETURN(auto keys, app::ListAccessKeys(*home->metadata()));
    Json out = Json::array();
    for (const app::AccessKey& key : keys) out.push_back(app::KeyJson(key));
    return out;
  }));
  RETURN_IF_ERROR(AddJson(router, "POST", "/api/v1/keys", [home](const HttpRequest& request) -> Result<Json> {
    ASSIGN_OR_RETURN(Json body, BodyObject(request));
    Fields fields(body);
    ASSIGN_OR_RETURN(std::string role_name, fields.String("role"));
    ASSIGN_OR_RETURN(std::string name, fields.OptionalString("name"));
    std::optional<app::Role> role = app::ParseRole(role_name);
    if (!role) {
      return Status::InvalidArgument("field 'role': '" + role_name + "' is not one of " + app::RoleNames());
    }
    ASSIGN_OR_RETURN(app::AccessKey key, app::CreateAccessKey(*home->metadata(), *role, name));
    return app::NewKeyJson(key);
  }, 201));
  return AddJson(router, "DELETE", "/api/v1/keys/{id}", [home](const HttpRequest& request) -> Result<Json> {
    ASSIGN_OR_RETURN(app::AccessKey key,
                     app::RevokeAccessKey(*home->metadata(), std::string(request.PathParam("id"))));
    return app::KeyJson(key);
  });
}

}  // namespace grove::api::rest
