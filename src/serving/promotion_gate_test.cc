#include "serving/promotion_gate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "serving/endpoint_test_fixture.h"

namespace grove::serving {
namespace {

using ::testing::HasSubstr;
using PromotionGateTest = testing::EndpointFixture;

PredictRequest CsvSample(const std::string& text) {
  Result<PredictRequest> r = ParseCsvRequest(text, InputKind::kRaw);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return *r;
}

constexpr const char* kTwoRows =
    "M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15\nF,0.53,0.42,0.135,0.677,0.2565,0.1415,0.21\n";

TEST_F(PromotionGateTest, RefusesAnEndpointThatServesNothing) {
  AddVersion("Abalone", 1, /*approve=*/false);
  CreateEndpoint("staging", {"Abalone"}, false);
  EndpointService service(metadata_.get(), artifacts_.get(), {});
  Refresh(service);
  Status s = CheckPromotion(service, "staging", "prod", CsvSample(kTwoRows)).status();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("'staging' is not in service"));
  EXPECT_EQ(CheckPromotion(service, "nope", "prod", CsvSample(kTwoRows)).status().code(), StatusCode::kNotFound);
}

TEST_F(PromotionGateTest, RefusesASampleTheModelCannotAnswer) {
  AddVersion("Abalone", 1);
  CreateEndpoint("staging", {"Abalone"}, false);
  EndpointService service(metadata_.get(), artifacts_.get(), {});
  Refresh(service);
  Status s = CheckPromotion(service, "staging", "prod", CsvSample("M,1,2\n")).status();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("test invocation of Abalone/1 failed: row 1"));
}

TEST_F(PromotionGateTest, CanRequireDataCapture) {
  AddVersion("Abalone", 1);
  CreateEndpoint("staging", {"Abalone"}, false);
  EndpointService service(metadata_.get(), artifacts_.get(), {});
  Refresh(service);
  Status s = CheckPromotion(service, "staging", "prod", CsvSample(kTwoRows), /*require_capture=*/true).status();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("does not capture data"));
  EXPECT_TRUE(CheckPromotion(service, "staging", "prod", CsvSample(kTwoRows)).ok());
}

TEST_F(PromotionGateTest, PassingGateRecordsAPromotionThatPinsProduction) {
  AddVersion("Abalone", 1);
  CreateEndpoint("staging", {"Abalone"}, false);
  EndpointService service(metadata_.get(), artifacts_.get(), {});
  Refresh(service);
  Result<store::PromotionRecord> promotion = CheckPromotion(service, "staging", "prod", CsvSample(kTwoRows));
  ASSERT_TRUE(promotion.ok()) << promotion.status().ToString();
  ASSERT_EQ(promotion->models.size(), 1u);
  EXPECT_EQ(promotion->models[0].version, 1);
  EXPECT_EQ(promotion->test["rows"], 2);
  EXPECT_EQ(promotion->test["results"][0]["predictions"].size(), 2u);

  promotion->promoted_by = "carol";
  promotion->comment = "looks good";
  ASSERT_TRUE(registry::Endpoints(metadata_.get(), &clock_).Promote(*promotion, {}).ok());
  // Staging moves on to version 2; production stays on what was promoted.
  AddVersion("Abalone", 2);
  Refresh(service);
  EXPECT_EQ(InvokeKey(service, "staging", ""), "Abalone/2");
  EXPECT_EQ(InvokeKey(service, "prod", ""), "Abalone/1");
}

}  // namespace
}  // namespace grove::serving
