#include "api/sagemaker/control_plane.h"

#include <gtest/gtest.h>

#include "api/sagemaker/wire.h"
#include "app/home.h"
#include "common/file_util.h"
#include "registry/registry.h"

namespace grove::api::sagemaker {
namespace {

class ControlPlaneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto home = app::Home::Open(dir_.path() / "home");
    ASSERT_TRUE(home.ok()) << home.status().ToString();
    home_ = std::move(home).value();
    plane_ = std::make_unique<ControlPlane>(OperationContext{home_.get(), nullptr, nullptr, Arns()});
  }

  api::HttpResponse Call(const std::string& operation, const Json& body) {
    api::HttpRequest request;
    request.method = "POST";
    request.path = "/";
    request.headers.Set("X-Amz-Target", "SageMaker." + operation);
    request.body = body.dump();
    return plane_->Handle(request);
  }

  void Register(const std::string& group, int count) {
    for (int i = 0; i < count; ++i) {
      store::ModelVersionRecord v;
      v.group = group;
      v.approval_status = i % 3 == 0 ? store::kApproved : store::kPendingManualApproval;
      v.model_digest = std::string(64, 'a');
      ASSERT_TRUE(home_->registry()->Register(v).ok());
    }
  }

  TempDir dir_;
  std::unique_ptr<app::Home> home_;
  std::unique_ptr<ControlPlane> plane_;
};

// ListModelPackages writes its pages' JSON text directly; the text must be
// what the serialiser writes for the summaries DescribeModelPackage starts from.
TEST_F(ControlPlaneTest, ListModelPackagesWritesWhatTheSerialiserWrites) {
  Register("Churn-StateCA", 7);
  for (const char* order : {"Ascending", "Descending"}) {
    // By version (the text path) and by name (the Json path) give the same page of one group.
    api::HttpResponse by_version = Call("ListModelPackages", {{"ModelPackageGroupName", "Churn-StateCA"},
                                                              {"SortOrder", order}});
    api::HttpResponse by_name = Call("ListModelPackages", {{"ModelPackageGroupName", "Churn-StateCA"},
                                                           {"SortBy", "Name"}, {"SortOrder", order}});
    ASSERT_EQ(by_version.status, 200) << by_version.body;
    EXPECT_EQ(by_version.body, by_name.body);
    EXPECT_EQ(by_version.body, JsonText(Json::parse(by_version.body)));
    EXPECT_EQ(by_version.content_type, "application/x-amz-json-1.1");
  }
  Json page = Json::parse(Call("ListModelPackages", {{"ModelPackageGroupName", "churn-statECA"},
                                                     {"MaxResults", 3}, {"NextToken", "grove-version-2"}})
                              .body);
  ASSERT_EQ(page["ModelPackageSummaryList"].size(), 3u);
  EXPECT_EQ(page["NextToken"], "grove-version-5");
  for (const Json& summary : page["ModelPackageSummaryList"]) {
    Json described = Json::parse(Call("DescribeModelPackage", {{"ModelPackageName", summary["ModelPackageArn"]}}).body);
    for (const auto& [key, value] : summary.items()) EXPECT_EQ(described[key], value) << key;
  }
  EXPECT_EQ(page["ModelPackageSummaryList"][0]["ModelPackageArn"],
            "arn:aws:sagemaker:us-east-1:123456789012:model-package/churn-stateca/3");
}

TEST_F(ControlPlaneTest, AListThatRunsOutEndsWithoutANextToken) {
  Register("G", 3);
  Json page = Json::parse(Call("ListModelPackages", {{"ModelPackageGroupName", "G"}, {"MaxResults", 3}}).body);
  EXPECT_EQ(page["ModelPackageSummaryList"].size(), 3u);
  EXPECT_FALSE(page.contains("NextToken"));
  Json rest = Json::parse(Call("ListModelPackages", {{"ModelPackageGroupName", "G"}, {"MaxResults", 2},
                                                     {"ModelApprovalStatus", "Approved"}})
                              .body);
  ASSERT_EQ(rest["ModelPackageSummaryList"].size(), 1u) << rest.dump();
  EXPECT_EQ(rest["ModelPackageSummaryList"][0]["ModelPackageVersion"], 1);
  EXPECT_FALSE(rest.contains("NextToken"));
}

}  // namespace
}  // namespace grove::api::sagemaker
