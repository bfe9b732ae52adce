#include "store/metadata_store.h"

#include <gtest/gtest.h>

#include "store/store_test_fixture.h"

namespace grove::store {
namespace {

// The endpoint rows (the rules are registry::Endpoints', tested there).
template <typename Backend>
class EndpointStoreTest : public StoreTest<Backend> {
 protected:
  Status Write(const std::function<Status(StoreTransaction&)>& body) { return this->store_->Transact(body); }

  EndpointRecord Endpoint(const std::string& name) {
    EndpointRecord e;
    e.name = name;
    e.created_at = 100;
    e.updated_at = 200;
    return e;
  }
};
TYPED_TEST_SUITE(EndpointStoreTest, StoreBackends, BackendNames);

TYPED_TEST(EndpointStoreTest, EndpointRowsRoundTripAndListByName) {
  EndpointRecord e = this->Endpoint("models");
  e.multi_model = true;
  e.follow = {"sklearn-multimodel-*", "Churn"};
  e.capture_percent = 12.5;
  ASSERT_TRUE(this->Write([&](StoreTransaction& txn) { return txn.PutEndpoint(e); }).ok());
  ASSERT_TRUE(this->Write([&](StoreTransaction& txn) { return txn.PutEndpoint(this->Endpoint("alpha")); }).ok());

  auto got = this->store_->GetEndpoint("models");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(got->multi_model);
  EXPECT_EQ(got->follow, (std::vector<std::string>{"sklearn-multimodel-*", "Churn"}));
  EXPECT_DOUBLE_EQ(got->capture_percent, 12.5);
  EXPECT_EQ(got->created_at, 100);
  EXPECT_EQ(got->updated_at, 200);
  EXPECT_TRUE(got->deployments.empty());
  auto list = this->store_->ListEndpoints();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "alpha");
  Status missing = this->store_->GetEndpoint("nope").status();
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.message(), "no endpoint 'nope' (endpoints: alpha, models)");
}

TYPED_TEST(EndpointStoreTest, DeploymentsArePinsPerGroupThatOutliveEndpointUpdates) {
  this->AddVersionRow("Churn");
  this->AddVersionRow("Churn");
  this->AddVersionRow("Abalone");
  EndpointRecord e = this->Endpoint("prod");
  ASSERT_TRUE(this->Write([&](StoreTransaction& txn) -> Status {
                RETURN_IF_ERROR(txn.PutEndpoint(e));
                RETURN_IF_ERROR(txn.PutDeployment("prod", {"Churn", 1, "alice", "first", 300}));
                RETURN_IF_ERROR(txn.PutDeployment("prod", {"Abalone", 1, "bob", "", 310}));
                return txn.PutDeployment("prod", {"Churn", 2, "carol", "second", 320});  // Replaces Churn's pin.
              }).ok());
  e.updated_at = 400;  // Rewriting the endpoint's row keeps its pins.
  ASSERT_TRUE(this->Write([&](StoreTransaction& txn) { return txn.PutEndpoint(e); }).ok());

  auto got = this->store_->GetEndpoint("prod");
  ASSERT_EQ(got->deployments.size(), 2u);
  EXPECT_EQ(got->updated_at, 400);
  EXPECT_EQ(got->deployments[0].group, "Abalone");  // By group.
  const EndpointDeployment& churn = got->deployments[1];
  EXPECT_EQ(churn.version, 2);
  EXPECT_EQ(churn.deployed_by, "carol");
  EXPECT_EQ(churn.comment, "second");
  EXPECT_EQ(churn.deployed_at, 320);

  auto removed = TransactValue(*this->store_, [](StoreTransaction& txn) {
    return txn.DeleteDeployment("prod", "Abalone");
  });
  EXPECT_TRUE(*removed);
  auto again = TransactValue(*this->store_, [](StoreTransaction& txn) {
    return txn.DeleteDeployment("prod", "Abalone");
  });
  EXPECT_FALSE(*again);
  EXPECT_EQ(this->store_->GetEndpoint("prod")->deployments.size(), 1u);

  ASSERT_TRUE(this->Write([](StoreTransaction& txn) { return txn.DeleteEndpoint("prod"); }).ok());
  EXPECT_EQ(this->store_->GetEndpoint("prod").status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(this->Write([&](StoreTransaction& txn) { return txn.PutEndpoint(this->Endpoint("prod")); }).ok());
  EXPECT_TRUE(this->store_->GetEndpoint("prod")->deployments.empty());  // Deleted with the endpoint.
}

TYPED_TEST(EndpointStoreTest, PromotionsGetGrowingIdsAndListNewestFirst) {
  PromotionRecord p;
  p.source = "staging";
  p.target = "prod";
  p.models = {{"Churn", 1, "", "", 0}, {"Other", 3, "", "", 0}};
  p.promoted_by = "carol";
  p.comment = "passed review";
  p.test = Json{{"rows", 3}};
  p.promoted_at = 500;
  auto first = TransactValue(*this->store_, [&](StoreTransaction& txn) { return txn.InsertPromotion(p); });
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  p.source = "canary";
  auto second = TransactValue(*this->store_, [&](StoreTransaction& txn) { return txn.InsertPromotion(p); });
  EXPECT_GT(*second, *first);

  auto to_prod = this->store_->ListPromotions("prod");
  ASSERT_EQ(to_prod->size(), 2u);
  EXPECT_EQ((*to_prod)[0].id, *second);
  const PromotionRecord& got = (*to_prod)[1];
  EXPECT_EQ(got.source, "staging");
  ASSERT_EQ(got.models.size(), 2u);
  EXPECT_EQ(got.models[1].group, "Other");
  EXPECT_EQ(got.models[1].version, 3);
  EXPECT_EQ(got.promoted_by, "carol");
  EXPECT_EQ(got.comment, "passed review");
  EXPECT_EQ(got.test["rows"], 3);
  EXPECT_EQ(got.promoted_at, 500);
  EXPECT_EQ(this->store_->ListPromotions("staging")->size(), 1u);  // From or to.
  EXPECT_TRUE(this->store_->ListPromotions("elsewhere")->empty());
}

}  // namespace
}  // namespace grove::store
