#include "registry/endpoints.h"

#include <gtest/gtest.h>

#include "common/file_util.h"
#include "registry/registry.h"
#include "registry/resource_name.h"

namespace grove::registry {
namespace {

using store::EndpointRecord;
using store::PromotionRecord;

class EndpointRulesTest : public ::testing::Test {
 protected:
  // Registers the next version of `group` with the given approval status.
  void AddVersion(const std::string& group, const std::string& status) {
    store::ModelVersionRecord v;
    v.group = group;
    v.model_digest = "digest-" + group;
    v.approval_status = status;
    ASSERT_TRUE(registry_.Register(v).ok());
  }

  EndpointRecord Endpoint(const std::string& name) {
    EndpointRecord e;
    e.name = name;
    return e;
  }

  std::vector<store::EventRecord> Events() { return metadata_->ListEvents(0, 0).value(); }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<store::MetadataStore> metadata_ =
      store::OpenSqliteMetadataStore((dir_.path() / "grove.db").string(), &clock_).value();
  Registry registry_{metadata_.get(), &clock_};
  Endpoints endpoints_{metadata_.get(), &clock_};
};

TEST_F(EndpointRulesTest, CreateGetListDelete) {
  EndpointRecord e = Endpoint("models");
  e.multi_model = true;
  e.follow = {"sklearn-multimodel-*", "Churn"};
  e.capture_percent = 12.5;
  auto created = endpoints_.Create(e);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->created_at, clock_.Now());
  EXPECT_EQ(created->follow, e.follow);

  ASSERT_TRUE(endpoints_.Create(Endpoint("alpha")).ok());
  EXPECT_EQ(metadata_->ListEndpoints()->size(), 2u);
  Status again = endpoints_.Create(Endpoint("models")).status();
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.message(), "endpoint 'models' already exists");

  ASSERT_TRUE(endpoints_.Delete("alpha").ok());
  Status missing = endpoints_.Delete("alpha");
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.message(), "no endpoint 'alpha' (endpoints: models)");

  auto events = Events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].kind, store::kEventEndpointCreated);
  EXPECT_EQ(events[0].payload, Json({{"endpoint", "models"},
                                     {"multi_model", true},
                                     {"follow", {"sklearn-multimodel-*", "Churn"}}}));
  EXPECT_EQ(events[2].kind, store::kEventEndpointDeleted);
  EXPECT_EQ(events[2].subject, "alpha");
  EXPECT_EQ(events[2].payload, Json({{"endpoint", "alpha"}}));
}

TEST_F(EndpointRulesTest, RejectsBadNamesPatternsAndPercentages) {
  for (const std::string& name :
       std::vector<std::string>{"", "-a", "a-", "has space", "under_score", std::string(64, 'a')}) {
    Status s = endpoints_.Create(Endpoint(name)).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << name;
    EXPECT_EQ(s.message(), ValidateEndpointName(name).message()) << name;
  }
  EndpointRecord e = Endpoint("ok");
  e.capture_percent = 101;
  Status s = endpoints_.Create(e).status();
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("between 0 and 100"), std::string::npos);
  e.capture_percent = 0;
  e.follow = {""};
  EXPECT_EQ(endpoints_.Create(e).status().message(), "endpoint 'ok': empty follow pattern");
  EXPECT_TRUE(Events().empty());
  EXPECT_TRUE(metadata_->ListEndpoints()->empty());
}

TEST_F(EndpointRulesTest, DeployOnlyApprovedVersions) {
  AddVersion("Churn", store::kApproved);
  AddVersion("Churn", store::kPendingManualApproval);
  ASSERT_TRUE(endpoints_.Create(Endpoint("prod")).ok());
  clock_.Advance(1000);

  auto deployed = endpoints_.Deploy("prod", {"Churn", 1, "alice", "first", 0});
  ASSERT_TRUE(deployed.ok()) << deployed.status().ToString();
  ASSERT_EQ(deployed->deployments.size(), 1u);
  EXPECT_EQ(deployed->deployments[0].version, 1);
  EXPECT_EQ(deployed->deployments[0].deployed_by, "alice");
  EXPECT_EQ(deployed->deployments[0].deployed_at, clock_.Now());
  EXPECT_EQ(deployed->updated_at, clock_.Now());
  EXPECT_EQ(Events().back().payload, Json({{"endpoint", "prod"},
                                           {"group", "Churn"},
                                           {"version", 1},
                                           {"by", "alice"},
                                           {"comment", "first"}}));
  size_t events_before = Events().size();

  Status pending = endpoints_.Deploy("prod", {"Churn", 2, "alice", "", 0}).status();
  EXPECT_EQ(pending.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(pending.message(), "Churn/2 is PendingManualApproval; only Approved versions can be deployed");
  EXPECT_EQ(endpoints_.Deploy("prod", {"Churn", 9, "", "", 0}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(endpoints_.Deploy("prod", {"Nope", 1, "", "", 0}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(endpoints_.Deploy("nope", {"Churn", 1, "", "", 0}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(metadata_->GetEndpoint("prod")->deployments[0].version, 1);  // Unchanged by the failures.
  EXPECT_EQ(Events().size(), events_before);

  EndpointRecord with_pending = Endpoint("canary");
  with_pending.deployments = {{"Churn", 2, "", "", 0}};
  EXPECT_EQ(endpoints_.Create(with_pending).status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(metadata_->GetEndpoint("canary").status().code(), StatusCode::kNotFound);  // Not created half-way.

  ASSERT_TRUE(endpoints_.Undeploy("prod", "Churn", "bob").ok());
  EXPECT_TRUE(metadata_->GetEndpoint("prod")->deployments.empty());
  EXPECT_EQ(Events().back().payload, Json({{"endpoint", "prod"}, {"group", "Churn"}, {"by", "bob"}}));
  Status twice = endpoints_.Undeploy("prod", "Churn", "bob").status();
  EXPECT_EQ(twice.code(), StatusCode::kNotFound);
  EXPECT_EQ(twice.message(), "endpoint 'prod' has no deployment of model group 'Churn'");
}

TEST_F(EndpointRulesTest, PromotionCreatesTargetAndReplacesItsPins) {
  AddVersion("Churn", store::kApproved);
  AddVersion("Churn", store::kApproved);
  AddVersion("Other", store::kApproved);
  ASSERT_TRUE(endpoints_.Create(Endpoint("staging")).ok());

  PromotionRecord p;
  p.source = "staging";
  p.target = "prod";
  p.models = {{"Churn", 1, "", "", 0}};
  p.promoted_by = "carol";
  p.comment = "passed review";
  p.test = {{"rows", 3}};
  EndpointRecord like;
  like.capture_percent = 80;  // Seed 002's production sampling.
  auto first = endpoints_.Promote(p, like);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_GT(first->id, 0);
  EXPECT_EQ(first->promoted_at, clock_.Now());
  auto prod = metadata_->GetEndpoint("prod");
  ASSERT_TRUE(prod.ok());
  ASSERT_EQ(prod->deployments.size(), 1u);
  EXPECT_EQ(prod->deployments[0].version, 1);
  EXPECT_EQ(prod->deployments[0].deployed_by, "carol");
  EXPECT_EQ(prod->deployments[0].comment, "promoted from staging: passed review");
  EXPECT_DOUBLE_EQ(prod->capture_percent, 80);

  ASSERT_TRUE(endpoints_.Deploy("prod", {"Other", 1, "", "", 0}).ok());
  p.models = {{"Churn", 2, "", "", 0}};
  ASSERT_TRUE(endpoints_.Promote(p, {}).ok());
  prod = metadata_->GetEndpoint("prod");
  ASSERT_EQ(prod->deployments.size(), 1u);  // "Other" was replaced, not kept.
  EXPECT_EQ(prod->deployments[0].version, 2);
  EXPECT_DOUBLE_EQ(prod->capture_percent, 80);  // An existing target keeps its settings.

  auto history = metadata_->ListPromotions("prod");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].models[0].version, 2);  // Newest first.
  EXPECT_EQ((*history)[1].promoted_by, "carol");
  EXPECT_EQ((*history)[1].test["rows"], 3);
  auto events = Events();
  EXPECT_EQ(events.back().kind, store::kEventEndpointPromoted);
  EXPECT_EQ(events.back().subject, "prod");
  EXPECT_EQ(events.back().payload["models"], Json::parse(R"([{"group": "Churn", "version": 2}])"));
  size_t created = 0;
  for (const auto& e : events) created += e.kind == store::kEventEndpointCreated && e.subject == "prod";
  EXPECT_EQ(created, 1u);
}

TEST_F(EndpointRulesTest, FailedPromotionChangesNothing) {
  AddVersion("Churn", store::kApproved);
  AddVersion("Churn", store::kRejected);
  ASSERT_TRUE(endpoints_.Create(Endpoint("staging")).ok());
  size_t events_before = Events().size();

  PromotionRecord p;
  p.source = "staging";
  p.target = "prod";
  p.models = {{"Churn", 1, "", "", 0}, {"Churn", 2, "", "", 0}};
  Status s = endpoints_.Promote(p, {}).status();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(metadata_->GetEndpoint("prod").status().code(), StatusCode::kNotFound);  // Not created half-way.
  EXPECT_TRUE(metadata_->ListPromotions("staging")->empty());
  EXPECT_EQ(Events().size(), events_before);

  p.models = {};
  EXPECT_EQ(endpoints_.Promote(p, {}).status().message(), "nothing to promote: no models");
  p.target = "staging";
  EXPECT_EQ(endpoints_.Promote(p, {}).status().code(), StatusCode::kInvalidArgument);
  p.target = "bad name";
  p.models = {{"Churn", 1, "", "", 0}};
  EXPECT_EQ(endpoints_.Promote(p, {}).status().code(), StatusCode::kInvalidArgument);
  p.source = "missing";
  p.target = "prod";
  EXPECT_EQ(endpoints_.Promote(p, {}).status().code(), StatusCode::kNotFound);
}

// A deployment inside the caller's transaction (a Deploy step recorded with
// its step run) is undone with it.
TEST_F(EndpointRulesTest, DeployInsideACallersTransactionRollsBackWithIt) {
  AddVersion("Churn", store::kApproved);
  ASSERT_TRUE(endpoints_.Create(Endpoint("prod")).ok());
  Status s = metadata_->Transact([&](store::StoreTransaction& txn) -> Status {
    RETURN_IF_ERROR(endpoints_.Deploy(txn, "prod", {"Churn", 1, "", "", 0}).status());
    return Status::Internal("the step run could not be recorded");
  });
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_TRUE(metadata_->GetEndpoint("prod")->deployments.empty());
}

}  // namespace
}  // namespace grove::registry
