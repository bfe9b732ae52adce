#include "app/rollouts.h"

#include <gtest/gtest.h>

#include <map>

#include "common/file_util.h"
#include "registry/endpoints.h"
#include "registry/registry.h"
#include "registry/traffic.h"

namespace grove::app {
namespace {

using serving::VariantCounters;

class RolloutsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 3; ++i) {
      store::ModelVersionRecord v;
      v.group = "churn";
      v.model_digest = "digest";
      v.approval_status = store::kApproved;
      ASSERT_TRUE(registry_.Register(v).ok());
    }
    store::EndpointRecord e;
    e.name = "prod";
    e.follow = {"churn"};  // Serves churn/3, the newest Approved...
    ASSERT_TRUE(endpoints_.Create(e).ok());
    ASSERT_TRUE(endpoints_.Deploy("prod", {"churn", 1, "test", "", 0}).ok());  // ...but pinned to 1.
  }

  RolloutSpec Spec(const std::string& strategy = "canary", double percent = 10) {
    RolloutSpec spec;
    spec.endpoint = "prod";
    spec.model = "churn/2";
    spec.strategy = strategy;
    spec.percent = percent;
    spec.bake_ms = 60000;
    spec.alarms.max_error_rate = 0.05;
    spec.alarms.min_requests = 10;
    spec.by = "ann";
    return spec;
  }

  // The variants' counters as the serving process would report them.
  Rollouts::CountersSource Counters() {
    return [this](const std::string& endpoint, const std::string& variant) -> Result<VariantCounters> {
      auto it = counters_.find(endpoint + "/" + variant);
      if (it == counters_.end()) return Status::NotFound("not served");
      return it->second;
    };
  }
  void Serve(const std::string& variant, uint64_t requests, uint64_t errors, double value = 1.0) {
    VariantCounters& c = counters_["prod/" + variant];
    c.requests += requests;
    c.errors += errors;
    c.values += requests - errors;
    c.value_sum += value * (requests - errors);
    c.value_squares += value * value * (requests - errors);
  }

  std::vector<std::string> EventKinds(const std::string& prefix) {
    std::vector<std::string> out;
    for (auto& e : metadata_->ListEvents(0, 0).value()) {
      if (e.kind.rfind(prefix, 0) == 0) out.push_back(e.kind);
    }
    return out;
  }
  registry::TrafficSpec Traffic() { return registry::Traffic(metadata_.get(), &clock_).Get("prod").value(); }
  int Pinned() { return metadata_->GetEndpoint("prod")->deployments.at(0).version; }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<store::MetadataStore> metadata_ =
      store::OpenSqliteMetadataStore((dir_.path() / "grove.db").string(), &clock_).value();
  registry::Registry registry_{metadata_.get(), &clock_};
  registry::Endpoints endpoints_{metadata_.get(), &clock_};
  Rollouts rollouts_{metadata_.get(), &clock_};
  std::map<std::string, VariantCounters> counters_;
};

TEST_F(RolloutsTest, CanarySplitsTrafficBakesThenTakesAll) {
  Result<RolloutRecord> started = rollouts_.Start(Spec());
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  EXPECT_EQ(started->from, 1);
  EXPECT_EQ(started->to, 2);
  registry::TrafficSpec traffic = Traffic();
  ASSERT_EQ(traffic.variants.size(), 2u);
  EXPECT_EQ(traffic.variants[0].name, "stable");
  EXPECT_DOUBLE_EQ(traffic.variants[0].weight, 90);
  EXPECT_EQ(traffic.variants[1].version, 2);
  EXPECT_DOUBLE_EQ(traffic.variants[1].weight, 10);
  EXPECT_EQ(rollouts_.Start(Spec()).status().code(), StatusCode::kFailedPrecondition);  // One at a time.

  // Before the server serves the variants nothing moves; healthy traffic during the bake changes nothing.
  EXPECT_TRUE(rollouts_.Advance("prod", Counters())->running());
  Serve("stable", 0, 0);
  Serve("canary", 0, 0);
  EXPECT_TRUE(rollouts_.Advance("prod", Counters())->running());
  Serve("stable", 900, 0);
  Serve("canary", 100, 2);  // 2% < 5%.
  clock_.Advance(59999);
  EXPECT_TRUE(rollouts_.Advance("prod", Counters())->running());
  clock_.Advance(1);
  Result<RolloutRecord> done = rollouts_.Advance("prod", Counters());
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->state, "Succeeded");
  EXPECT_TRUE(Traffic().variants.empty());
  EXPECT_EQ(Pinned(), 2);
  EXPECT_EQ(EventKinds("rollout."), (std::vector<std::string>{"rollout.started", "rollout.succeeded"}));
  EXPECT_EQ(rollouts_.Get("prod")->history.size(), 2u);
}

TEST_F(RolloutsTest, AnErrorRateAlarmRollsBackAndSaysWhy) {
  ASSERT_TRUE(rollouts_.Start(Spec()).ok());
  Serve("stable", 0, 0);
  Serve("canary", 0, 0);
  ASSERT_TRUE(rollouts_.Advance("prod", Counters()).ok());  // The window starts.
  Serve("stable", 90, 0);
  Serve("canary", 9, 9);  // Below min_requests: not judged yet.
  EXPECT_TRUE(rollouts_.Advance("prod", Counters())->running());
  Serve("canary", 1, 1);
  Result<RolloutRecord> r = rollouts_.Advance("prod", Counters());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->state, "RolledBack");
  EXPECT_EQ(r->reason, "error rate 1 > 0.05 (10 of 10 canary requests failed)");
  EXPECT_TRUE(Traffic().variants.empty());
  EXPECT_EQ(Pinned(), 1);  // The previous version takes all traffic again.
  EXPECT_EQ(EventKinds("rollout.").back(), "rollout.rolled_back");
  // Finished: nothing more happens, and a new rollout may start.
  EXPECT_EQ(rollouts_.Advance("prod", Counters())->state, "RolledBack");
  EXPECT_EQ(rollouts_.Abort("prod", "ann").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(rollouts_.Start(Spec()).ok());
}

TEST_F(RolloutsTest, DriftAndLatencyAlarms) {
  RolloutSpec spec = Spec();
  spec.alarms.max_error_rate = -1;
  spec.alarms.max_drift = 0.5;
  ASSERT_TRUE(rollouts_.Start(spec).ok());
  Serve("stable", 0, 0);
  Serve("canary", 0, 0);
  ASSERT_TRUE(rollouts_.Advance("prod", Counters()).ok());
  // Stable answers 1 and 3 (mean 2, stddev 1); the canary answers 3: drift 1 > 0.5.
  Serve("stable", 50, 0, 1.0);
  Serve("stable", 50, 0, 3.0);
  Serve("canary", 20, 0, 3.0);
  Result<RolloutRecord> r = rollouts_.Advance("prod", Counters());
  EXPECT_EQ(r->state, "RolledBack");
  EXPECT_EQ(r->reason.rfind("prediction drift 1 > 0.5", 0), 0u) << r->reason;

  spec.alarms.max_drift = -1;
  spec.alarms.max_p99_ms = 10;
  ASSERT_TRUE(rollouts_.Start(spec).ok());
  ASSERT_TRUE(rollouts_.Advance("prod", Counters()).ok());
  VariantCounters& canary = counters_["prod/canary"];
  canary.requests += 20;
  canary.latency[serving::kLatencyBuckets - 1] += 20;  // Everything slow.
  r = rollouts_.Advance("prod", Counters());
  EXPECT_EQ(r->state, "RolledBack");
  EXPECT_NE(r->reason.find("p99 latency"), std::string::npos) << r->reason;
}

TEST_F(RolloutsTest, LinearStepsThenAbort) {
  ASSERT_TRUE(rollouts_.Start(Spec("linear", 30)).ok());
  EXPECT_EQ(rollouts_.Get("prod")->Shares(), (std::vector<double>{30, 60, 90}));
  Serve("stable", 0, 0);
  Serve("canary", 0, 0);
  clock_.Advance(60000);
  Result<RolloutRecord> r = rollouts_.Advance("prod", Counters());
  EXPECT_EQ(r->step, 1u);
  EXPECT_DOUBLE_EQ(Traffic().variants[1].weight, 60);
  EXPECT_EQ(EventKinds("rollout.").back(), "rollout.step");
  r = rollouts_.Abort("prod", "bob");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->state, "Aborted");
  EXPECT_EQ(r->reason, "aborted by bob");
  EXPECT_TRUE(Traffic().variants.empty());
  EXPECT_EQ(Pinned(), 1);
}

TEST_F(RolloutsTest, DeletingTheEndpointEndsItsRollout) {
  ASSERT_TRUE(rollouts_.Start(Spec()).ok());
  ASSERT_TRUE(endpoints_.Delete("prod").ok());
  Result<RolloutRecord> r = rollouts_.Advance("prod", Counters());  // Nothing serves its variants any more.
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->state, "Aborted");
  EXPECT_EQ(r->reason, "the endpoint was deleted");
}

TEST_F(RolloutsTest, RefusesWhatCannotRollOut) {
  RolloutSpec spec = Spec();
  spec.model = "churn/1";
  EXPECT_EQ(rollouts_.Start(spec).status().message(), "endpoint 'prod' already serves churn/1");
  spec = Spec();
  spec.percent = 100;
  EXPECT_EQ(rollouts_.Start(spec).status().code(), StatusCode::kInvalidArgument);
  spec = Spec();
  spec.strategy = "blue-green";
  EXPECT_EQ(rollouts_.Start(spec).status().message(), "rollout strategy 'blue-green': use canary or linear");
  spec = Spec();
  spec.model = "other/1";
  EXPECT_EQ(rollouts_.Start(spec).status().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(registry::Traffic(metadata_.get(), &clock_).Set("prod", {{"a", "churn", 1, 1, false}}, "x").ok());
  EXPECT_EQ(rollouts_.Start(Spec()).status().code(), StatusCode::kFailedPrecondition);  // Variants of its own.
  EXPECT_EQ(rollouts_.Get("nope").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace grove::app
