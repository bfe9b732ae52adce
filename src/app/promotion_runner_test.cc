#include "app/promotion_runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/app_test_fixture.h"
#include "app/endpoints.h"
#include "app/promotion_actions.h"

namespace grove::app {
namespace {

using ::testing::HasSubstr;

// Ten feature columns, as the Abalone model is trained on (three one-hot sex columns, seven numbers).
constexpr const char* kSample = "0,1,0,0.455,0.365,0.095,0.514,0.2245,0.101,0.15\n1,0,0,0.53,0.42,0.135,0.677,0.2565,0.1415,0.21\n";

class PromotionRunnerTest : public testing::AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    service_ = std::move(home_->Endpoints()).value();
    actions_ = std::make_unique<EndpointPromotionActions>(*home_, *service_);
    NewRunner();
  }

  // A runner as a newly started server makes one.
  void NewRunner() { runner_ = std::make_unique<PromotionRunner>(home_->metadata(), actions_.get(), &clock_); }

  void PutFlow(const std::string& sample = kSample, std::vector<std::string> approvers = {}, TimeMs created_at = 1000,
               bool raw = false) {
    PromotionFlowSpec flow;
    flow.name = "abalone";
    flow.groups = {"abalone-*"};
    flow.staging = "abalone-staging";
    flow.production = "abalone-prod";
    flow.gate.sample = sample;
    flow.gate.raw = raw;
    flow.approvers = std::move(approvers);
    // Created before the approvals below: they are stamped by the system clock.
    ASSERT_TRUE(home_->metadata()->Transact([&](store::StoreTransaction& txn) {
      return PutPromotionFlow(txn, flow, created_at);
    }).ok());
  }

  // What the server's event follower does: hands the runner what is new since its cursor.
  void Follow() {
    int64_t cursor = runner_->Cursor().value();
    auto events = home_->metadata()->ListEvents(cursor, 0);
    ASSERT_TRUE(events.ok()) << events.status().ToString();
    Status handled = runner_->HandleEvents(*events);
    ASSERT_TRUE(handled.ok()) << handled.ToString();
  }

  void Approve(const std::string& group, int version) {
    auto approved = home_->registry()->Approve(group, version, "looks good", "ana");
    ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  }

  PromotionRun Run(int64_t id) {
    auto run = store::ReadValue(*home_->metadata(), [&](store::StoreReader& rows) {
      return GetPromotionRun(rows, "abalone", id);
    });
    EXPECT_TRUE(run.ok()) << run.status().ToString();
    return run.ok() ? *run : PromotionRun{};
  }

  // "G/N" served by `endpoint`, or "" when it serves nothing (or does not exist).
  std::string Serving(const std::string& endpoint) {
    EXPECT_TRUE(service_->Refresh().ok());
    for (const serving::EndpointState& e : service_->Describe()) {
      if (e.name == endpoint && !e.models.empty()) {
        return e.models[0].group + "/" + std::to_string(e.models[0].version);
      }
    }
    return "";
  }

  std::vector<std::string> EventKinds() {
    std::vector<std::string> kinds;
    for (const store::EventRecord& e : home_->metadata()->ListEvents(0, 0).value()) {
      if (e.kind.rfind("promotion.", 0) == 0) kinds.push_back(e.kind + " " + e.subject);
    }
    return kinds;
  }

  static std::vector<std::string> Stages(const PromotionRun& run) {
    std::vector<std::string> out;
    for (const PromotionStage& s : run.stages) out.push_back(s.stage + ":" + s.status);
    return out;
  }

  FakeClock clock_;
  std::unique_ptr<serving::EndpointService> service_;
  std::unique_ptr<EndpointPromotionActions> actions_;
  std::unique_ptr<PromotionRunner> runner_;
};

TEST_F(PromotionRunnerTest, ARawSampleGoesThroughTheVersionsTransform) {
  PutFlow("M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15\n", {}, 1000, /*raw=*/true);
  RegisterAbalone("abalone-eu", /*approve=*/true);
  Follow();
  PromotionRun run = Run(1);
  EXPECT_EQ(run.status, kRunPending) << run.stages.back().detail;
  EXPECT_THAT(run.stages[2].detail, HasSubstr("sample of 1 rows"));
}

TEST_F(PromotionRunnerTest, ApprovalGoesThroughStagingAndTheGateToProductionOnManualApproval) {
  PutFlow();
  RegisterAbalone("abalone-eu", /*approve=*/false);
  Follow();  // Registered, not Approved: no run.
  EXPECT_TRUE(EventKinds().empty());
  Approve("abalone-eu", 1);
  Follow();

  PromotionRun run = Run(1);
  EXPECT_EQ(run.status, kRunPending);
  EXPECT_EQ(run.group, "abalone-eu");
  EXPECT_EQ(run.version, 1);
  EXPECT_EQ(Stages(run),
            (std::vector<std::string>{"started:Succeeded", "staging:Succeeded", "gate:Succeeded", "approval:Pending"}));
  EXPECT_EQ(run.stages[0].by, "ana");
  EXPECT_EQ(run.stages[1].by, "promotion:abalone");
  EXPECT_THAT(run.stages[1].detail, HasSubstr("created endpoint abalone-staging serving abalone-eu/1"));
  EXPECT_THAT(run.stages[2].detail, HasSubstr("sample of 2 rows"));
  EXPECT_EQ(run.stages[2].at, clock_.Now());
  EXPECT_EQ(Serving("abalone-staging"), "abalone-eu/1");
  EXPECT_EQ(Serving("abalone-prod"), "");
  EXPECT_EQ(EventKinds(), (std::vector<std::string>{"promotion.started abalone/000001",
                                                    "promotion.pending abalone/000001"}));
  Json pending = home_->metadata()->ListEvents(0, 0).value().back().payload;
  EXPECT_EQ(pending, Json::parse(R"({"flow": "abalone", "id": 1, "group": "abalone-eu", "version": 1,
      "staging": "abalone-staging", "production": "abalone-prod", "by": "promotion:abalone"})"));

  clock_.Advance(60'000);
  auto approved = runner_->Approve("abalone", 1, "bob", "ship it");
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->status, kRunSucceeded);
  EXPECT_EQ(Stages(*approved), (std::vector<std::string>{"started:Succeeded", "staging:Succeeded", "gate:Succeeded",
                                                         "approval:Pending", "approval:Succeeded",
                                                         "production:Succeeded"}));
  EXPECT_EQ(approved->stages[4].by, "bob");
  EXPECT_EQ(approved->stages[4].detail, "ship it");
  EXPECT_EQ(approved->ended_at, clock_.Now());
  EXPECT_EQ(Serving("abalone-prod"), "abalone-eu/1");
  EXPECT_EQ(EventKinds().back(), "promotion.succeeded abalone/000001");

  // An ended run is approved once only.
  EXPECT_EQ(runner_->Approve("abalone", 1, "bob", "").status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(runner_->Approve("abalone", 7, "bob", "").status().code(), StatusCode::kNotFound);
}

TEST_F(PromotionRunnerTest, AFailedGateLeavesProductionAsItWas) {
  PutFlow("1,2,3\n");  // Three columns for a ten-feature model.
  RegisterAbalone("abalone-eu", /*approve=*/true);  // Registered as Approved starts a run too.
  Follow();
  PromotionRun run = Run(1);
  EXPECT_EQ(run.status, kRunFailed);
  EXPECT_EQ(Stages(run), (std::vector<std::string>{"started:Succeeded", "staging:Succeeded", "gate:Failed"}));
  EXPECT_THAT(run.stages.back().detail, HasSubstr("test invocation of abalone-eu/1 failed"));
  EXPECT_EQ(Serving("abalone-prod"), "");
  EXPECT_EQ(EventKinds().back(), "promotion.failed abalone/000001");
  EXPECT_EQ(runner_->Approve("abalone", 1, "bob", "").status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(PromotionRunnerTest, ARejectionLeavesProductionAsItWas) {
  PutFlow();
  RegisterAbalone("abalone-eu", /*approve=*/true);
  Follow();
  ASSERT_TRUE(runner_->Approve("abalone", 1, "bob", "").ok());
  ASSERT_EQ(Serving("abalone-prod"), "abalone-eu/1");
  RegisterAbalone("abalone-eu", /*approve=*/true);
  Follow();
  ASSERT_EQ(Run(2).status, kRunPending);
  EXPECT_EQ(Serving("abalone-staging"), "abalone-eu/2");

  EXPECT_EQ(runner_->Reject("abalone", 2, "bob", "").status().code(), StatusCode::kInvalidArgument);  // Why?
  auto rejected = runner_->Reject("abalone", 2, "bob", "drifts on the new cohort");
  ASSERT_TRUE(rejected.ok()) << rejected.status().ToString();
  EXPECT_EQ(rejected->status, kRunRejected);
  EXPECT_EQ(rejected->stages.back().detail, "drifts on the new cohort");
  EXPECT_EQ(Serving("abalone-prod"), "abalone-eu/1");
  EXPECT_EQ(EventKinds().back(), "promotion.rejected abalone/000002");
  Json payload = home_->metadata()->ListEvents(0, 0).value().back().payload;
  EXPECT_EQ(payload["reason"], "drifts on the new cohort");
  EXPECT_EQ(payload["by"], "bob");
}

TEST_F(PromotionRunnerTest, OnlyTheFlowsApproversMayDecide) {
  PutFlow(kSample, {"alice"});
  RegisterAbalone("abalone-eu", /*approve=*/true);
  Follow();
  auto refused = runner_->Approve("abalone", 1, "mallory", "");
  EXPECT_EQ(refused.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(refused.status().message(), HasSubstr("its approvers: alice"));
  EXPECT_EQ(runner_->Reject("abalone", 1, "mallory", "no").status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Run(1).status, kRunPending);
  EXPECT_EQ(Serving("abalone-prod"), "");
  auto approved = runner_->Approve("abalone", 1, "alice", "");
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->status, kRunSucceeded);
}

TEST_F(PromotionRunnerTest, ANewerApprovalSupersedesAWaitingRun) {
  PutFlow();
  RegisterAbalone("abalone-eu", /*approve=*/true);
  Follow();
  RegisterAbalone("abalone-eu", /*approve=*/true);
  Follow();
  PromotionRun older = Run(1);
  EXPECT_EQ(older.status, kRunSuperseded);
  EXPECT_EQ(older.stages.back().stage, "superseded");
  EXPECT_THAT(older.stages.back().detail, HasSubstr("superseded by run abalone/000002 (abalone-eu/2)"));
  EXPECT_EQ(Run(2).status, kRunPending);
  EXPECT_EQ(runner_->Approve("abalone", 1, "bob", "").status().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(runner_->Approve("abalone", 2, "bob", "").ok());
  EXPECT_EQ(Serving("abalone-prod"), "abalone-eu/2");

  auto listed = store::ReadValue(*home_->metadata(), [](store::StoreReader& rows) {
    return ListPromotionRuns(rows, "");
  });
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].id, 2);  // Newest first.
}

TEST_F(PromotionRunnerTest, ARestartedRunnerResumesFromItsCursor) {
  PutFlow();
  RegisterAbalone("abalone-eu", /*approve=*/true);
  Follow();
  int64_t cursor = runner_->Cursor().value();
  EXPECT_GT(cursor, 0);
  // Approved while no server runs; events already handled are not handled again.
  RegisterAbalone("abalone-eu", /*approve=*/true);
  NewRunner();
  EXPECT_EQ(runner_->Cursor().value(), cursor);
  ASSERT_TRUE(runner_->HandleEvents(home_->metadata()->ListEvents(0, 0).value()).ok());  // Old ones too: skipped.
  EXPECT_EQ(Run(1).status, kRunSuperseded);
  EXPECT_EQ(Run(2).status, kRunPending);
  Follow();
  auto runs = store::ReadValue(*home_->metadata(), [](store::StoreReader& rows) { return ListPromotionRuns(rows, ""); });
  EXPECT_EQ(runs->size(), 2u);
}

TEST_F(PromotionRunnerTest, AnApprovedRunLeftDeployingIsResumed) {
  PutFlow();
  RegisterAbalone("abalone-eu", /*approve=*/true);
  Follow();
  // A process that recorded the approval and stopped before production.
  PromotionRun run = Run(1);
  ASSERT_TRUE(home_->metadata()->Transact([&](store::StoreTransaction& txn) {
    run.status = kRunDeploying;
    run.stages.push_back({"approval", kRunSucceeded, "bob", clock_.Now(), ""});
    return txn.PutResource({kPromotionRunKind, "abalone/000001", ToJson(run), run.started_at, clock_.Now()});
  }).ok());
  NewRunner();
  ASSERT_TRUE(runner_->ResumeUnfinished().ok());
  EXPECT_EQ(Run(1).status, kRunSucceeded);
  EXPECT_EQ(Run(1).stages.back().by, "bob");
  EXPECT_EQ(Serving("abalone-prod"), "abalone-eu/1");
}

TEST_F(PromotionRunnerTest, FlowsIgnoreApprovalsBeforeTheirCreationAndOtherGroups) {
  RegisterAbalone("abalone-eu", /*approve=*/true);  // Before the flow.
  PutFlow(kSample, {}, home_->clock()->Now() + 1);
  RegisterAbalone("other", /*approve=*/true);  // After, but not of the flow's groups.
  Follow();
  EXPECT_TRUE(EventKinds().empty());
}

TEST_F(PromotionRunnerTest, RunIds) {
  EXPECT_EQ(ParsePromotionRunId("000003").value(), 3);
  EXPECT_EQ(ParsePromotionRunId("12").value(), 12);
  for (const char* bad : {"", "0", "-1", "x", "1x", "99999999999999"}) {
    EXPECT_EQ(ParsePromotionRunId(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace grove::app
