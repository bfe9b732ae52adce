#include "registry/traffic.h"

#include <gtest/gtest.h>

#include <cmath>

#include "common/file_util.h"
#include "registry/endpoints.h"
#include "registry/registry.h"

namespace grove::registry {
namespace {

class TrafficTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* status : {store::kApproved, store::kApproved, store::kPendingManualApproval}) {
      store::ModelVersionRecord v;
      v.group = "churn";
      v.model_digest = "digest";
      v.approval_status = status;
      ASSERT_TRUE(registry_.Register(v).ok());
    }
    store::EndpointRecord e;
    e.name = "prod";
    ASSERT_TRUE(endpoints_.Create(e).ok());
  }

  static VariantSpec Variant(const std::string& name, int version, double weight, bool shadow = false) {
    return {name, "churn", version, weight, shadow};
  }

  std::vector<store::EventRecord> Events(const std::string& kind) {
    std::vector<store::EventRecord> out;
    for (auto& e : metadata_->ListEvents(0, 0).value()) {
      if (e.kind == kind) out.push_back(e);
    }
    return out;
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<store::MetadataStore> metadata_ =
      store::OpenSqliteMetadataStore((dir_.path() / "grove.db").string(), &clock_).value();
  Registry registry_{metadata_.get(), &clock_};
  Endpoints endpoints_{metadata_.get(), &clock_};
  Traffic traffic_{metadata_.get(), &clock_};
};

TEST_F(TrafficTest, SetGetWeightsAndEvents) {
  EXPECT_TRUE(traffic_.Get("prod")->variants.empty());
  ASSERT_TRUE(traffic_.Set("prod", {Variant("a", 1, 90), Variant("b", 2, 10), Variant("s", 2, 0, true)}, "ann").ok());
  TrafficSpec got = traffic_.Get("prod").value();
  ASSERT_EQ(got.variants.size(), 3u);
  EXPECT_EQ(got.variants[1].name, "b");
  EXPECT_EQ(got.variants[1].version, 2);
  EXPECT_DOUBLE_EQ(got.variants[1].weight, 10);
  EXPECT_TRUE(got.variants[2].shadow);
  EXPECT_EQ(got.updated_by, "ann");
  ASSERT_EQ(Events(store::kEventEndpointTraffic).size(), 1u);
  EXPECT_EQ(Events(store::kEventEndpointTraffic)[0].payload["variants"].size(), 3u);

  Result<TrafficSpec> changed = traffic_.SetWeights("prod", {{"a", 50}, {"b", 50}}, "bob");
  ASSERT_TRUE(changed.ok()) << changed.status().ToString();
  EXPECT_DOUBLE_EQ(changed->variants[0].weight, 50);
  EXPECT_DOUBLE_EQ(changed->variants[1].weight, 50);
  EXPECT_EQ(changed->updated_by, "bob");
  EXPECT_EQ(Events(store::kEventEndpointTraffic).size(), 2u);

  // All or nothing: one unknown name changes no weight.
  Status unknown = traffic_.SetWeights("prod", {{"a", 1}, {"c", 2}}, "bob").status();
  EXPECT_EQ(unknown.code(), StatusCode::kNotFound);
  EXPECT_EQ(unknown.message(), "endpoint 'prod' has no variant 'c' (variants: a, b)");
  EXPECT_DOUBLE_EQ(traffic_.Get("prod")->variants[0].weight, 50);
  // A shadow has no weight to change.
  EXPECT_EQ(traffic_.SetWeights("prod", {{"s", 1}}, "bob").status().code(), StatusCode::kNotFound);

  ASSERT_TRUE(traffic_.Set("prod", {}, "ann").ok());
  EXPECT_TRUE(traffic_.Get("prod")->variants.empty());
}

TEST_F(TrafficTest, RefusesWhatCouldNotServe) {
  auto error = [&](std::vector<VariantSpec> variants) { return traffic_.Set("prod", std::move(variants), "ann"); };
  EXPECT_EQ(error({Variant("a", 1, 1)}).ok(), true);
  EXPECT_EQ(traffic_.Set("nope", {Variant("a", 1, 1)}, "ann").code(), StatusCode::kNotFound);
  EXPECT_EQ(error({Variant("bad name", 1, 1)}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(error({Variant("a", 1, 1), Variant("a", 2, 1)}).message(),
            "endpoint 'prod': variant name 'a' is used twice");
  EXPECT_EQ(error({Variant("a", 1, -1)}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(error({Variant("a", 1, std::nan(""))}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(error({Variant("a", 1, 1e300)}).code(), StatusCode::kInvalidArgument);
  std::vector<VariantSpec> many;
  for (int i = 0; i < 11; ++i) many.push_back(Variant("v" + std::to_string(i), 1, 1));
  EXPECT_EQ(error(many).message(), "endpoint 'prod': at most 10 variants and 10 shadows");
  Status pending = error({Variant("a", 3, 1)});
  EXPECT_EQ(pending.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(pending.message(), "variant 'a': churn/3 is PendingManualApproval; only Approved versions take traffic");
  EXPECT_EQ(error({Variant("a", 9, 1)}).code(), StatusCode::kNotFound);
  EXPECT_EQ(error({Variant("a", 1, 0), Variant("b", 2, 0)}).message(),
            "endpoint 'prod': the variants of churn have weight 0 in total; at least one must take traffic");
  // Nothing of the refused changes was kept.
  ASSERT_EQ(traffic_.Get("prod")->variants.size(), 1u);
  EXPECT_EQ(traffic_.Get("prod")->variants[0].name, "a");
}

TEST_F(TrafficTest, JsonRoundTripAndErrors) {
  TrafficSpec spec;
  spec.variants = {Variant("a", 1, 2.5), Variant("s", 2, 0, true)};
  spec.updated_by = "ann";
  spec.updated_at = 7;
  Result<TrafficSpec> back = TrafficFromJson(ToJson(spec));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(ToJson(*back), ToJson(spec));
  EXPECT_EQ(TrafficFromJson(Json::parse(R"({"variants": [{"name": "a", "model": "churn"}]})")).status().message(),
            "variants[0].model: 'churn' is not a model version; expected <group>/<version>, e.g. "
            "AbalonePackageGroup/1");
  EXPECT_EQ(TrafficFromJson(Json::parse(R"({"variants": [{"name": "a", "model": "churn/1", "x": 1}]})"))
                .status()
                .message(),
            "variants[0]: unknown field 'x' (fields: name, model, weight, shadow)");
}

TEST_F(TrafficTest, DeletingTheEndpointDeletesItsVariants) {
  ASSERT_TRUE(traffic_.Set("prod", {Variant("a", 1, 1)}, "ann").ok());
  ASSERT_TRUE(endpoints_.Delete("prod").ok());
  store::EndpointRecord e;
  e.name = "prod";
  ASSERT_TRUE(endpoints_.Create(e).ok());
  EXPECT_TRUE(traffic_.Get("prod")->variants.empty());
}

}  // namespace
}  // namespace grove::registry
