#include "app/endpoints.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/app_test_fixture.h"
#include "app/record_json.h"

namespace grove::app {
namespace {

using ::testing::HasSubstr;

class EndpointsTest : public testing::AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    service_ = std::move(home_->Endpoints()).value();
    endpoints_ = std::make_unique<Endpoints>(*home_, *service_);
  }

  serving::PredictRequest RawRow() {
    return serving::ParseCsvRequest("M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15\n", serving::InputKind::kRaw)
        .value();
  }

  std::unique_ptr<serving::EndpointService> service_;
  std::unique_ptr<Endpoints> endpoints_;
};

TEST_F(EndpointsTest, CreateDeployDescribeAndDelete) {
  RegisterAbalone("Abalone", /*approve=*/true);
  auto created = endpoints_->Create({"staging", false, {"Abalone"}, {}, 50, "ana", ""});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(created->state.status, "InService");  // Loaded: a single-model endpoint.
  ASSERT_EQ(created->state.models.size(), 1u);
  EXPECT_EQ(created->state.models[0].state, "Loaded");
  EXPECT_FALSE(created->state.models[0].pinned);

  auto deployed = endpoints_->Deploy("staging", "Abalone/1", "ana", "pin it");
  ASSERT_TRUE(deployed.ok()) << deployed.status().ToString();
  EXPECT_TRUE(deployed->state.models[0].pinned);
  EXPECT_EQ(endpoints_->Deploy("staging", "Abalone", "ana", "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(endpoints_->Undeploy("staging", "Abalone", "ana")->state.models[0].pinned, false);

  ASSERT_EQ(endpoints_->List().size(), 1u);
  EXPECT_TRUE(endpoints_->Delete("staging").ok());
  EXPECT_TRUE(endpoints_->List().empty());
  EXPECT_EQ(endpoints_->Describe("staging").status().code(), StatusCode::kNotFound);
}

TEST_F(EndpointsTest, OnlyApprovedVersionsArePinned) {
  RegisterAbalone("Abalone", /*approve=*/false);
  auto pending = endpoints_->Create({"e", false, {}, {"Abalone/1"}, 0, "ana", ""});
  EXPECT_EQ(pending.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(pending.status().message(), HasSubstr("PendingManualApproval"));
  EXPECT_TRUE(endpoints_->List().empty());
}

TEST_F(EndpointsTest, PromotionIsGatedThenRecorded) {
  RegisterAbalone("Abalone", /*approve=*/false);
  ASSERT_TRUE(endpoints_->Create({"staging", false, {"Abalone"}, {}, 0, "ana", ""}).ok());
  PromotionRequest request{"staging", "prod", RawRow(), "sample.csv", false, 20, "carol", "reviewed"};
  auto refused = endpoints_->Promote(request);
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("not in service"));
  EXPECT_EQ(endpoints_->Describe("prod").status().code(), StatusCode::kNotFound);

  ASSERT_TRUE(home_->registry()->Approve("Abalone", 1, "", "ana").ok());
  ASSERT_TRUE(service_->Refresh().ok());
  auto promoted = endpoints_->Promote(request);
  ASSERT_TRUE(promoted.ok()) << promoted.status().ToString();
  EXPECT_EQ(promoted->promoted_by, "carol");
  EXPECT_EQ(promoted->test["sample"], "sample.csv");
  auto prod = endpoints_->Describe("prod");
  ASSERT_TRUE(prod.ok()) << prod.status().ToString();
  EXPECT_EQ(prod->state.capture_percent, 20);
  EXPECT_TRUE(prod->state.models[0].pinned);
  ASSERT_EQ(prod->promotions.size(), 1u);
  EXPECT_EQ(ToJson(prod->promotions[0])["models"][0], "Abalone/1");

  auto answer = endpoints_->Invoke("prod", "", RawRow());
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ(answer->model_key, "Abalone/1");
}

// Regression (with serving's MissingModelArtifactIsAModelErrorForEveryCaller):
// the CLI answered a model that does not load as bad input (exit 2).
TEST_F(EndpointsTest, AModelThatDoesNotLoadIsAnIOErrorAndShowsFailed) {
  store::ModelVersionRecord v = RegisterAbalone("Abalone", /*approve=*/true);
  ASSERT_TRUE(endpoints_->Create({"e", false, {"Abalone"}, {}, 0, "ana", ""}).ok());
  std::filesystem::path model = *home_->artifacts()->LocalPath(v.model_digest);
  std::filesystem::permissions(model.parent_path(), std::filesystem::perms::owner_all);
  std::filesystem::remove(model);
  // Its compiled file (serving/compiled_model_file.h) would still serve it: gone too, nothing can load it.
  std::filesystem::remove_all(home_->artifacts()->DerivedFolder());
  auto fresh = std::move(home_->Endpoints()).value();
  Endpoints again(*home_, *fresh);
  auto answer = again.Invoke("e", "Abalone/1", RawRow());
  EXPECT_EQ(answer.status().code(), StatusCode::kIOError);
  EXPECT_THAT(answer.status().message(), HasSubstr("cannot load Abalone/1"));
  auto described = again.Describe("e");
  ASSERT_TRUE(described.ok());
  EXPECT_EQ(described->state.models[0].state, "Failed");
  EXPECT_EQ(described->state.status, "Creating");
}

}  // namespace
}  // namespace grove::app
