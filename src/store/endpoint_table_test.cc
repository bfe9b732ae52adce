#include "store/endpoint_table.h"

#include <gtest/gtest.h>

#include "store/sqlite_test_fixture.h"

namespace grove::store {
namespace {

class EndpointTableTest : public SqliteStoreTest {
 protected:
  // Creates version N of `group` with the given approval status.
  void AddVersion(const std::string& group, const std::string& status) {
    ModelVersionRecord v;
    v.group = group;
    v.model_digest = FakeDigest(group);
    v.approval_status = status;
    ASSERT_TRUE(store_->CreateModelVersion(v).ok());
  }

  EndpointRecord Endpoint(const std::string& name) {
    EndpointRecord e;
    e.name = name;
    return e;
  }
};

TEST_F(EndpointTableTest, CreateGetListDelete) {
  EndpointRecord e = Endpoint("models");
  e.multi_model = true;
  e.follow = {"sklearn-multimodel-*", "Churn"};
  e.capture_percent = 12.5;
  auto created = store_->CreateEndpoint(e);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->created_at, clock_.Now());

  auto got = store_->GetEndpoint("models");
  ASSERT_TRUE(got.ok());
  EXPECT_TRUE(got->multi_model);
  EXPECT_EQ(got->follow, (std::vector<std::string>{"sklearn-multimodel-*", "Churn"}));
  EXPECT_DOUBLE_EQ(got->capture_percent, 12.5);
  EXPECT_TRUE(got->deployments.empty());

  ASSERT_TRUE(store_->CreateEndpoint(Endpoint("alpha")).ok());
  auto list = store_->ListEndpoints();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "alpha");

  Status again = store_->CreateEndpoint(Endpoint("models")).status();
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);

  ASSERT_TRUE(store_->DeleteEndpoint("alpha").ok());
  Status missing = store_->GetEndpoint("alpha").status();
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_NE(missing.message().find("endpoints: models"), std::string::npos) << missing.ToString();

  auto events = Events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].kind, kEventEndpointCreated);
  EXPECT_EQ(events[0].payload["follow"][0], "sklearn-multimodel-*");
  EXPECT_EQ(events[2].kind, kEventEndpointDeleted);
  EXPECT_EQ(events[2].subject, "alpha");
}

TEST_F(EndpointTableTest, RejectsBadNamesAndPercentages) {
  for (const std::string& name : std::vector<std::string>{"", "-a", "a-", "has space", "under_score", std::string(64, 'a')}) {
    Status s = store_->CreateEndpoint(Endpoint(name)).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << name;
  }
  EndpointRecord e = Endpoint("ok");
  e.capture_percent = 101;
  Status s = store_->CreateEndpoint(e).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("between 0 and 100"), std::string::npos);
  EXPECT_TRUE(Events().empty());
}

TEST_F(EndpointTableTest, DeployOnlyApprovedVersions) {
  AddVersion("Churn", kApproved);
  AddVersion("Churn", kPendingManualApproval);
  ASSERT_TRUE(store_->CreateEndpoint(Endpoint("prod")).ok());

  auto deployed = store_->DeployModel("prod", {"Churn", 1, "alice", "first", 0});
  ASSERT_TRUE(deployed.ok()) << deployed.status().ToString();
  ASSERT_EQ(deployed->deployments.size(), 1u);
  EXPECT_EQ(deployed->deployments[0].version, 1);
  EXPECT_EQ(deployed->deployments[0].deployed_by, "alice");

  Status pending = store_->DeployModel("prod", {"Churn", 2, "alice", "", 0}).status();
  EXPECT_EQ(pending.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(pending.message().find("Churn/2 is PendingManualApproval"), std::string::npos) << pending.ToString();
  EXPECT_EQ(store_->DeployModel("prod", {"Churn", 9, "", "", 0}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->DeployModel("prod", {"Nope", 1, "", "", 0}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->DeployModel("nope", {"Churn", 1, "", "", 0}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->GetEndpoint("prod")->deployments[0].version, 1);  // Unchanged by the failures.

  ASSERT_TRUE(store_->UndeployModel("prod", "Churn", "bob").ok());
  EXPECT_TRUE(store_->GetEndpoint("prod")->deployments.empty());
  EXPECT_EQ(store_->UndeployModel("prod", "Churn", "bob").status().code(), StatusCode::kNotFound);
}

TEST_F(EndpointTableTest, PromotionCreatesTargetAndReplacesItsPins) {
  AddVersion("Churn", kApproved);
  AddVersion("Churn", kApproved);
  AddVersion("Other", kApproved);
  ASSERT_TRUE(store_->CreateEndpoint(Endpoint("staging")).ok());

  PromotionRecord p;
  p.source = "staging";
  p.target = "prod";
  p.models = {{"Churn", 1, "", "", 0}};
  p.promoted_by = "carol";
  p.comment = "passed review";
  p.test = {{"rows", 3}};
  EndpointRecord like;
  like.capture_percent = 80;  // Seed 002's production sampling.
  auto first = store_->PromoteEndpoint(p, like);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_GT(first->id, 0);
  auto prod = store_->GetEndpoint("prod");
  ASSERT_TRUE(prod.ok());
  ASSERT_EQ(prod->deployments.size(), 1u);
  EXPECT_EQ(prod->deployments[0].version, 1);
  EXPECT_EQ(prod->deployments[0].comment, "promoted from staging: passed review");
  EXPECT_DOUBLE_EQ(prod->capture_percent, 80);

  ASSERT_TRUE(store_->DeployModel("prod", {"Other", 1, "", "", 0}).ok());
  p.models = {{"Churn", 2, "", "", 0}};
  ASSERT_TRUE(store_->PromoteEndpoint(p, {}).ok());
  prod = store_->GetEndpoint("prod");
  ASSERT_EQ(prod->deployments.size(), 1u);  // "Other" was replaced, not kept.
  EXPECT_EQ(prod->deployments[0].version, 2);

  auto history = store_->ListPromotions("prod");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].models[0].version, 2);  // Newest first.
  EXPECT_EQ((*history)[1].promoted_by, "carol");
  EXPECT_EQ((*history)[1].test["rows"], 3);
  EXPECT_EQ(store_->ListPromotions("staging")->size(), 2u);
  EXPECT_EQ(Events().back().kind, kEventEndpointPromoted);
}

TEST_F(EndpointTableTest, FailedPromotionChangesNothing) {
  AddVersion("Churn", kApproved);
  AddVersion("Churn", kRejected);
  ASSERT_TRUE(store_->CreateEndpoint(Endpoint("staging")).ok());
  size_t events_before = Events().size();

  PromotionRecord p;
  p.source = "staging";
  p.target = "prod";
  p.models = {{"Churn", 1, "", "", 0}, {"Churn", 2, "", "", 0}};
  Status s = store_->PromoteEndpoint(p, {}).status();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->GetEndpoint("prod").status().code(), StatusCode::kNotFound);  // Not created half-way.
  EXPECT_TRUE(store_->ListPromotions("staging")->empty());
  EXPECT_EQ(Events().size(), events_before);

  p.target = "staging";
  EXPECT_EQ(store_->PromoteEndpoint(p, {}).status().code(), StatusCode::kInvalidArgument);
  p.source = "missing";
  p.target = "prod";
  EXPECT_EQ(store_->PromoteEndpoint(p, {}).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace grove::store
