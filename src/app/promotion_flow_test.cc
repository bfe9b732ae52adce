#include "app/promotion_flow.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/app_test_fixture.h"

namespace grove::app {
namespace {

using ::testing::HasSubstr;

Json Body() {
  return Json::parse(R"({"groups": ["churn-*"], "staging": "churn-staging", "production": "churn-prod",
                         "gate": {"sample": "0.1,0.2\n0.3,0.4\n", "input": "features", "quality_check": true}, "approvers": ["alice"]})");
}

// The error of `body` with one member replaced, and the field it names.
std::pair<Status, std::string> ErrorOf(const std::string& path, const Json& value) {
  Json body = Body();
  body[Json::json_pointer("/" + path)] = value;
  std::string field = "unset";
  Result<PromotionFlowSpec> spec = PromotionFlowFromJson("churn", body, &field);
  return {spec.status(), field};
}

TEST(PromotionFlowJson, RawSamplesAreRowsBeforeTheTransform) {
  Json body = Body();
  body["gate"]["input"] = "raw";
  body["gate"]["sample"] = "M,0.455,0.365\n";
  Result<PromotionFlowSpec> spec = PromotionFlowFromJson("churn", body, nullptr);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_TRUE(spec->gate.raw);
  EXPECT_EQ(ToJson(*spec), body);
}

TEST(PromotionFlowJson, ReadsAndWritesTheCanonicalForm) {
  std::string field = "unset";
  Result<PromotionFlowSpec> spec = PromotionFlowFromJson("churn", Body(), &field);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->name, "churn");
  EXPECT_EQ(spec->groups, std::vector<std::string>{"churn-*"});
  EXPECT_EQ(spec->staging, "churn-staging");
  EXPECT_EQ(spec->production, "churn-prod");
  EXPECT_EQ(spec->gate.sample, "0.1,0.2\n0.3,0.4\n");
  EXPECT_TRUE(spec->gate.quality_check);
  EXPECT_EQ(spec->approvers, std::vector<std::string>{"alice"});
  EXPECT_EQ(ToJson(*spec), Body());
  EXPECT_EQ(PromotionFlowFromJson("churn", ToJson(*spec), nullptr).value(), *spec);

  Json minimal = Body();
  minimal.erase("approvers");
  minimal["gate"].erase("quality_check");
  spec = PromotionFlowFromJson("churn", minimal, &field);
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_TRUE(spec->approvers.empty());
  EXPECT_FALSE(spec->gate.quality_check);
  EXPECT_EQ(PromotionFlowFromJson("churn", ToJson(*spec), nullptr).value(), *spec);
}

TEST(PromotionFlowJson, ErrorsNameTheMember) {
  struct Case {
    std::string path;
    Json value;
    std::string field;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"staging", "bad name", "staging", "not valid"},
      {"production", "churn-staging", "production", "the same endpoint as staging"},
      {"production", 3, "production", "expected a string"},
      {"groups", Json::array(), "groups", "at least one"},
      {"groups/0", "churn/x", "groups/0", "no model group name or glob"},
      {"groups", "churn-*", "groups", "expected a list"},
      {"gate/sample", "1,x\n", "gate/sample", "not CSV rows: row 1, column 2: 'x' is not a number"},
      {"gate/input", "json", "gate/input", "expected raw or features"},
      {"gate/sample", "", "gate/sample", "no rows"},
      {"gate/quality_check", "yes", "gate/quality_check", "true or false"},
      {"gate/extra", 1, "gate/extra", "unknown member"},
      {"approvers/0", "", "approvers/0", "non-empty string"},
      {"stagin", "x", "stagin", "unknown member"},
  };
  for (const Case& c : cases) {
    auto [status, field] = ErrorOf(c.path, c.value);
    EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << c.path;
    EXPECT_EQ(field, c.field) << c.path;
    EXPECT_THAT(status.message(), HasSubstr(c.message)) << c.path;
    EXPECT_THAT(status.message(), HasSubstr("promotion flow 'churn'")) << c.path;
  }
  Json no_gate = Body();
  no_gate.erase("gate");
  std::string field;
  EXPECT_EQ(PromotionFlowFromJson("churn", no_gate, &field).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(field, "gate");
  Json no_sample = Body();
  no_sample["gate"].erase("sample");
  EXPECT_THAT(PromotionFlowFromJson("churn", no_sample, &field).status().message(), HasSubstr("required"));
  EXPECT_EQ(field, "gate/sample");
  EXPECT_FALSE(PromotionFlowFromJson("churn", Json::array(), &field).ok());
  EXPECT_EQ(field, "");
  EXPECT_THAT(PromotionFlowFromJson("bad name", Body(), &field).status().message(),
              HasSubstr("promotion flow name 'bad name' is not valid"));
  EXPECT_EQ(field, "");
}

TEST(PromotionFlowJson, GroupsAreGlobs) {
  PromotionFlowSpec spec = PromotionFlowFromJson("churn", Body(), nullptr).value();
  EXPECT_TRUE(FlowCoversGroup(spec, "churn-eu"));
  EXPECT_FALSE(FlowCoversGroup(spec, "abalone"));
}

class PromotionFlowRowsTest : public testing::AppTest {};

TEST_F(PromotionFlowRowsTest, PutListReplaceAndDelete) {
  store::MetadataStore& metadata = *home_->metadata();
  PromotionFlowSpec churn = PromotionFlowFromJson("churn", Body(), nullptr).value();
  PromotionFlowSpec abalone = churn;
  abalone.name = "abalone";
  abalone.groups = {"abalone"};
  ASSERT_TRUE(metadata.Transact([&](store::StoreTransaction& txn) {
    RETURN_IF_ERROR(PutPromotionFlow(txn, churn, 1000));
    return PutPromotionFlow(txn, abalone, 1000);
  }).ok());
  churn.approvers = {"bob"};
  ASSERT_TRUE(metadata.Transact([&](store::StoreTransaction& txn) { return PutPromotionFlow(txn, churn, 2000); }).ok());

  auto listed = store::ReadValue(metadata, [](store::StoreReader& rows) { return ListPromotionFlows(rows); });
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0], abalone);
  EXPECT_EQ((*listed)[1], churn);
  auto record = store::ReadValue(metadata, [](store::StoreReader& rows) {
    return rows.FindResource(kPromotionFlowKind, "churn");
  });
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_EQ((*record)->created_at, 1000);  // A replacement keeps the creation time.
  EXPECT_EQ((*record)->updated_at, 2000);

  PromotionFlowSpec bad = churn;
  bad.production = bad.staging;
  EXPECT_EQ(metadata.Transact([&](store::StoreTransaction& txn) { return PutPromotionFlow(txn, bad, 3000); }).code(),
            StatusCode::kInvalidArgument);

  bool deleted = false;
  ASSERT_TRUE(metadata.Transact([&](store::StoreTransaction& txn) -> Status {
    ASSIGN_OR_RETURN(deleted, DeletePromotionFlow(txn, "churn"));
    return Status::OK();
  }).ok());
  EXPECT_TRUE(deleted);
  auto missing = store::ReadValue(metadata, [](store::StoreReader& rows) { return GetPromotionFlow(rows, "churn"); });
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("flows: abalone"));
}

}  // namespace
}  // namespace grove::app
