#include "app/model_registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/app_test_fixture.h"

namespace grove::app {
namespace {

using ::testing::HasSubstr;

class ModelRegistryTest : public testing::AppTest {
 protected:
  // A version with only a report attached (no model needed here).
  store::ModelVersionRecord Register(const std::string& group, const Json& report) {
    store::ModelVersionRecord v;
    v.group = group;
    v.model_digest = home_->artifacts()->PutBytes("model")->digest;
    if (!report.is_null()) v.metrics["model_quality"] = home_->artifacts()->PutBytes(report.dump())->digest;
    return home_->registry()->Register(v).value();
  }
};

TEST_F(ModelRegistryTest, ApproveAndRejectByReference) {
  Register("G", Json());
  ModelRegistry registry(*home_);
  auto approved = registry.Approve("G/1", "fine", "ana");
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->approval_status, store::kApproved);
  EXPECT_EQ(approved->approved_by, "ana");
  EXPECT_EQ(registry.Approve("G/1", "", "ana").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(registry.Reject("G/1", "drift", "bo")->approval_status, store::kRejected);
  EXPECT_EQ(registry.Get("G/9").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(registry.Get("G").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(registry.Groups()->size(), 1u);
  EXPECT_EQ(registry.Versions("G")->size(), 1u);
  EXPECT_EQ(registry.Versions("H").status().code(), StatusCode::kNotFound);
}

TEST_F(ModelRegistryTest, TheWholeEvaluationReport) {
  Json report = {{"binary_classification_metrics",
                  {{"accuracy", {{"value", 0.9}, {"standard_deviation", "NaN"}}},
                   {"confusion_matrix", {{"0", {{"0", 5}, {"1", 1}}}, {"1", {{"0", 0}, {"1", 4}}}}},
                   {"precision_recall_curve", {{"precisions", {1.0, 0.5}}, {"recalls", {0.0, 1.0}}}}}}};
  store::ModelVersionRecord v = Register("G", report);
  ModelRegistry registry(*home_);
  auto got = registry.Report(v);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->report, report);
  EXPECT_EQ(got->digest, v.metrics["model_quality"]);
  EXPECT_EQ(MetricsSummary(got->report), "accuracy=0.9");

  store::ModelVersionRecord bare = Register("G", Json());
  auto none = registry.Report(bare);
  EXPECT_EQ(none.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(none.status().message(), HasSubstr("G/2 has no evaluation report"));

  bare.metrics["model_quality"] = std::string(64, 'a');
  EXPECT_EQ(registry.Report(bare).status().code(), StatusCode::kIOError);
}

}  // namespace
}  // namespace grove::app
