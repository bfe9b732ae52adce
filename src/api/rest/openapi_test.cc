// The OpenAPI document against the routes the server really has, and the
// roles it states against the roles access control really asks for.
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "api/access_control.h"
#include "api/rest/rest_routes.h"
#include "api/serving_routes.h"

namespace grove::api::rest {
namespace {

// Every /api/ route of the server's router (REST and serving), as "METHOD pattern".
std::set<std::string> ApiRoutes() {
  Router router;
  serving::EndpointService* no_service = nullptr;
  InvocationCounters counters;
  EXPECT_TRUE(AddServingRoutes(&router, no_service, nullptr, &counters).ok());
  EXPECT_TRUE(AddRestRoutes(&router, RestContext{}).ok());
  std::set<std::string> routes;
  for (const std::string& rule : router.Describe()) {
    if (rule.find(" /api/") != std::string::npos) routes.insert(rule);
  }
  return routes;
}

Json Document() { return Json::parse(OpenApiDocument()); }

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

TEST(OpenApiTest, IsOpenApi3) {
  Json doc = Document();
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  EXPECT_TRUE(doc["paths"].is_object());
}

TEST(OpenApiTest, DocumentsEveryApiRouteAndNothingElse) {
  const Json doc = Document();
  std::set<std::string> documented;
  for (const auto& [path, operations] : doc["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) documented.insert(Upper(method) + " " + path);
  }
  std::set<std::string> routed = ApiRoutes();
  for (const std::string& route : routed) EXPECT_TRUE(documented.count(route)) << "not documented: " << route;
  for (const std::string& route : documented) EXPECT_TRUE(routed.count(route)) << "documented, not routed: " << route;
  EXPECT_GT(routed.size(), 30u);
}

// Each operation's x-grove-role is what DefaultRequiredRole asks of a request
// to it, with or without a trailing '/'.
TEST(OpenApiTest, StatesTheRoleAccessControlAsks) {
  const Json doc = Document();
  for (const auto& [path, operations] : doc["paths"].items()) {
    const std::string concrete = std::regex_replace(path, std::regex(R"(\{[a-z_]+\})"), "x1");
    for (const auto& [method, operation] : operations.items()) {
      for (const std::string& sent : {concrete, concrete + "/"}) {
        HttpRequest request;
        request.method = Upper(method);
        request.path = sent;
        std::optional<app::Role> role = DefaultRequiredRole(request);
        EXPECT_EQ(role ? std::string(app::RoleName(*role)) : "none", operation["x-grove-role"])
            << request.method << " " << sent;
      }
    }
  }
}

TEST(OpenApiTest, EveryListTakesThePageParameters) {
  const Json doc = Document();
  for (const auto& [path, operations] : doc["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      std::string schema = operation["responses"].begin().value().dump();
      bool paged = schema.find("#/components/schemas/Page") != std::string::npos;
      bool takes_limit =
          operation.value("parameters", Json::array()).dump().find("parameters/limit") != std::string::npos;
      EXPECT_EQ(paged, takes_limit) << method << " " << path;
    }
  }
}

}  // namespace
}  // namespace grove::api::rest
