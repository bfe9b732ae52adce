#include "serving/endpoint_resolution.h"

#include <gtest/gtest.h>

namespace grove::serving {
namespace {

store::EndpointRecord Following(std::vector<std::string> patterns, bool multi_model = true) {
  store::EndpointRecord e;
  e.name = "models";
  e.multi_model = multi_model;
  e.follow = std::move(patterns);
  return e;
}

std::string FindOk(const ResolvedEndpoint& endpoint, std::string_view model) {
  Result<std::string> key = endpoint.Find(model);
  EXPECT_TRUE(key.ok()) << key.status().ToString();
  return key.ok() ? *key : "";
}

TEST(EndpointResolutionTest, FollowedGroupsServeTheirNewestApprovedVersion) {
  ApprovedVersions approved = {{"sklearn-multimodel-breast-cancer", {1, 3}},
                               {"sklearn-multimodel-banknote-authentication", {2}},
                               {"Churn", {1}}};
  ResolvedEndpoint endpoint(Following({"sklearn-multimodel-*"}), approved);
  ASSERT_EQ(endpoint.groups().size(), 2u);
  EXPECT_EQ(FindOk(endpoint, "sklearn-multimodel-breast-cancer"), "sklearn-multimodel-breast-cancer/3");
  EXPECT_EQ(FindOk(endpoint, "sklearn-multimodel-breast-cancer/1"), "sklearn-multimodel-breast-cancer/1");
  EXPECT_EQ(FindOk(endpoint, "sklearn-multimodel-banknote-authentication"),
            "sklearn-multimodel-banknote-authentication/2");

  Status other = endpoint.Find("Churn").status();
  EXPECT_EQ(other.code(), StatusCode::kNotFound);
  EXPECT_NE(other.message().find("is not served by endpoint 'models'"), std::string::npos) << other.ToString();
  EXPECT_NE(other.message().find("sklearn-multimodel-breast-cancer (version 3)"), std::string::npos);

  Status unapproved = endpoint.Find("sklearn-multimodel-breast-cancer/2").status();
  EXPECT_EQ(unapproved.code(), StatusCode::kNotFound);
  EXPECT_NE(unapproved.message().find("versions 1, 3"), std::string::npos) << unapproved.ToString();

  EXPECT_EQ(endpoint.Find("").status().code(), StatusCode::kInvalidArgument);  // Several models, none named.
  EXPECT_EQ(endpoint.Find("Churn/x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(endpoint.Find("Churn/0").status().code(), StatusCode::kInvalidArgument);
}

TEST(EndpointResolutionTest, AGroupWithoutApprovedVersionsIsNotServedAndSaysWhy) {
  ApprovedVersions approved = {{"Churn", {}}};
  ResolvedEndpoint endpoint(Following({"Churn"}, false), approved);
  EXPECT_TRUE(endpoint.groups().empty());
  Status s = endpoint.Find("Churn").status();
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_NE(s.message().find("'Churn' has no Approved version"), std::string::npos) << s.ToString();
  EXPECT_EQ(endpoint.Find("").status().code(), StatusCode::kNotFound);
}

TEST(EndpointResolutionTest, PinsWinWhileApprovedThenFallBackToNewest) {
  store::EndpointRecord prod;
  prod.name = "churn-prod";
  prod.deployments = {{"Churn", 2, "", "", 0}};
  ResolvedEndpoint pinned(prod, {{"Churn", {1, 2, 3}}});
  EXPECT_EQ(FindOk(pinned, ""), "Churn/2");  // The only model: no name needed.
  EXPECT_EQ(FindOk(pinned, "Churn"), "Churn/2");
  EXPECT_TRUE(pinned.groups().at("Churn").pinned);

  ResolvedEndpoint rejected(prod, {{"Churn", {1, 3}}});  // Version 2 was rejected.
  EXPECT_EQ(FindOk(rejected, "Churn"), "Churn/3");
  EXPECT_FALSE(rejected.groups().at("Churn").pinned);
}

TEST(EndpointResolutionTest, PatternsAreGlobs) {
  EXPECT_TRUE(MatchesPattern("sklearn-multimodel-*", "sklearn-multimodel-x"));
  EXPECT_TRUE(MatchesPattern("Churn", "Churn"));
  EXPECT_FALSE(MatchesPattern("Churn", "ChurnX"));
  EXPECT_TRUE(MatchesPattern("m-[ab]?", "m-b7"));
  EXPECT_FALSE(MatchesPattern("m-[ab]?", "m-c7"));
}

}  // namespace
}  // namespace grove::serving

namespace grove::serving {
namespace {

registry::TrafficSpec Variants(std::vector<registry::VariantSpec> variants) {
  registry::TrafficSpec traffic;
  traffic.variants = std::move(variants);
  return traffic;
}

TEST(EndpointVariantsTest, WeightsSplitAGroupsRequestsInProportion) {
  store::EndpointRecord record = Following({}, false);
  record.deployments.push_back({"churn", 1, "", "", 0});
  ResolvedEndpoint endpoint(record, {{"churn", {1, 2, 3}}},
                            Variants({{"a", "churn", 1, 90, false}, {"b", "churn", 2, 10, false},
                                      {"s", "churn", 3, 0, true}}));
  std::map<std::string, int> counts;
  for (int i = 0; i < 1000; ++i) {
    Result<Route> route = endpoint.RouteRequest("", "", i / 1000.0);
    ASSERT_TRUE(route.ok()) << route.status().ToString();
    ASSERT_NE(route->variant, nullptr);
    counts[route->variant->name + " " + route->key]++;
  }
  EXPECT_EQ(counts["a churn/1"], 900);  // Evenly spread points: exactly the weights.
  EXPECT_EQ(counts["b churn/2"], 100);
  EXPECT_EQ(counts.size(), 2u);  // The shadow takes no traffic.
  EXPECT_EQ(endpoint.RouteRequest("churn", "", 0.95)->variant->name, "b");  // By the group's name too.
  EXPECT_EQ(endpoint.RouteRequest("", "", 0.9999999999)->variant->name, "b");

  // A named variant, and a named version, go exactly there.
  EXPECT_EQ(endpoint.RouteRequest("", "b", 0.0)->key, "churn/2");
  Result<Route> exact = endpoint.RouteRequest("churn/3", "", 0.0);
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(exact->key, "churn/3");
  EXPECT_EQ(exact->variant, nullptr);
  Status unknown = endpoint.RouteRequest("", "c", 0.0).status();
  EXPECT_EQ(unknown.code(), StatusCode::kNotFound);
  EXPECT_EQ(unknown.message(), "endpoint 'models' has no variant 'c' taking traffic (variants: a, b)");
  EXPECT_EQ(endpoint.RouteRequest("", "s", 0.0).status().code(), StatusCode::kNotFound);

  ASSERT_EQ(endpoint.ShadowsOf("churn").size(), 1u);
  EXPECT_EQ(endpoint.ShadowsOf("churn")[0]->key, "churn/3");
  EXPECT_TRUE(endpoint.has_shadows());
}

TEST(EndpointVariantsTest, AVariantNoLongerApprovedGivesItsShareToTheOthers) {
  store::EndpointRecord record = Following({"churn"});
  ResolvedEndpoint endpoint(record, {{"churn", {1}}},
                            Variants({{"a", "churn", 1, 50, false}, {"b", "churn", 2, 50, false}}));
  for (double r : {0.0, 0.5, 0.99}) EXPECT_EQ(endpoint.RouteRequest("churn", "", r)->variant->name, "a");
  ASSERT_EQ(endpoint.variants().size(), 1u);

  ResolvedEndpoint none(record, {{"churn", {3}}}, Variants({{"a", "churn", 1, 50, false}}));
  Result<Route> live = none.RouteRequest("churn", "", 0.3);
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(live->key, "churn/3");  // No variant left: the group's live version.
  EXPECT_EQ(live->variant, nullptr);
}

TEST(EndpointVariantsTest, VariantsOfSeveralGroupsSplitRequestsThatNameNoModel) {
  store::EndpointRecord record = Following({}, false);
  ResolvedEndpoint endpoint(record, {{"xgb", {1}}, {"linear", {4}}},
                            Variants({{"xgb", "xgb", 1, 1, false}, {"linear", "linear", 4, 3, false}}));
  EXPECT_EQ(endpoint.groups().size(), 2u);  // A variant's group is served.
  EXPECT_EQ(endpoint.RouteRequest("", "", 0.2)->key, "xgb/1");
  EXPECT_EQ(endpoint.RouteRequest("", "", 0.3)->key, "linear/4");
  EXPECT_EQ(endpoint.RouteRequest("xgb", "", 0.9)->key, "xgb/1");  // Naming a group: its variants only.
}

}  // namespace
}  // namespace grove::serving
