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
