#include "api/sagemaker/arn.h"

#include <gtest/gtest.h>

namespace grove::api::sagemaker {
namespace {

TEST(ArnTest, FormatsAsSageMakerDoes) {
  Arns arns("eu-west-1");
  EXPECT_EQ(arns.Pipeline("Abalone"), "arn:aws:sagemaker:eu-west-1:123456789012:pipeline/abalone");
  EXPECT_EQ(arns.Execution("Abalone", "4wemqw2sucgh"),
            "arn:aws:sagemaker:eu-west-1:123456789012:pipeline/abalone/execution/4wemqw2sucgh");
  EXPECT_EQ(arns.ModelPackage("AbalonePackageGroup", 3),
            "arn:aws:sagemaker:eu-west-1:123456789012:model-package/abalonepackagegroup/3");
  EXPECT_EQ(arns.ModelPackageGroup("AbalonePackageGroup"),
            "arn:aws:sagemaker:eu-west-1:123456789012:model-package-group/AbalonePackageGroup");
  EXPECT_EQ(arns.Resource("endpoint", "churn-prod"), "arn:aws:sagemaker:eu-west-1:123456789012:endpoint/churn-prod");
}

TEST(ArnTest, ParsesNamesIdsAndVersions) {
  EXPECT_EQ(NameOrArn("abalone", "pipeline"), "abalone");
  EXPECT_EQ(NameOrArn("arn:aws:sagemaker:us-east-1:123456789012:pipeline/abalone", "pipeline"), "abalone");
  EXPECT_EQ(NameOrArn("arn:aws:sagemaker:us-east-1:123456789012:endpoint/abalone", "pipeline"), std::nullopt);
  EXPECT_EQ(NameOrArn("arn:aws:sagemaker:us-east-1:123456789012:pipeline/a/execution/x", "pipeline"), std::nullopt);
  EXPECT_EQ(NameOrArn("arn:aws:s3:::bucket/key", "pipeline"), std::nullopt);

  EXPECT_EQ(ExecutionIdOf("arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/cfvy1tjuxdq8"), "cfvy1tjuxdq8");
  EXPECT_EQ(ExecutionIdOf("cfvy1tjuxdq8"), "cfvy1tjuxdq8");
  EXPECT_EQ(ExecutionIdOf("arn:aws:sagemaker:us-east-1:123456789012:pipeline/p"), std::nullopt);
  EXPECT_EQ(ExecutionIdOf("arn:aws:sagemaker:us-east-1:123456789012:pipeline/p/execution/"), std::nullopt);
  EXPECT_EQ(ExecutionIdOf(""), std::nullopt);

  auto package = ModelPackageOf("arn:aws:sagemaker:us-east-1:123456789012:model-package/mygroup/12");
  ASSERT_TRUE(package.has_value());
  EXPECT_EQ(package->first, "mygroup");
  EXPECT_EQ(package->second, 12);
  EXPECT_EQ(ModelPackageOf("MyGroup/2"), std::make_optional(std::make_pair(std::string("MyGroup"), 2)));
  for (const char* bad : {"mygroup", "mygroup/0", "mygroup/x", "/3", "mygroup/3x",
                          "arn:aws:sagemaker:us-east-1:123456789012:model-package-group/mygroup/1"}) {
    EXPECT_EQ(ModelPackageOf(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace grove::api::sagemaker
