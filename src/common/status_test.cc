#include "common/status.h"

#include <gtest/gtest.h>

#include <memory>

namespace grove {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument(std::to_string(x) + " is odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  ASSIGN_OR_RETURN(int half, Half(x));
  ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

Status CheckQuarter(int x) {
  RETURN_IF_ERROR(Quarter(x).status());
  return Status::OK();
}

TEST(StatusTest, CodesNamesAndContext) {
  EXPECT_TRUE(Status::OK().ok());
  EXPECT_EQ(Status::OK().ToString(), "OK");
  Status s = Status::NotFound("no model 'm'");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.ToString(), "NotFound: no model 'm'");
  EXPECT_EQ(s.WithContext("step Train").message(), "step Train: no model 'm'");
  EXPECT_EQ(s.WithContext("step Train").code(), StatusCode::kNotFound);
  EXPECT_TRUE(Status::OK().WithContext("ignored").ok());
  EXPECT_STREQ(StatusCodeName(StatusCode::kFailedPrecondition), "FailedPrecondition");
  EXPECT_STREQ(StatusCodeName(StatusCode::kIOError), "IOError");
}

TEST(StatusTest, MacrosPropagateTheFirstError) {
  EXPECT_EQ(*Quarter(12), 3);
  EXPECT_EQ(Quarter(6).status().message(), "3 is odd");
  EXPECT_EQ(Quarter(5).status().message(), "5 is odd");
  EXPECT_TRUE(CheckQuarter(8).ok());
  EXPECT_EQ(CheckQuarter(6).code(), StatusCode::kInvalidArgument);
}

TEST(StatusTest, ResultMovesOutOfTemporaries) {
  auto make = []() -> Result<std::unique_ptr<int>> { return std::make_unique<int>(7); };
  std::unique_ptr<int> p = *make();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(*p, 7);
  std::unique_ptr<int> q = make().value();
  EXPECT_EQ(*q, 7);
}

}  // namespace
}  // namespace grove
