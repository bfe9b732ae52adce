#include "events/trigger_runner.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/file_util.h"
#include "events/trigger_records.h"
#include "store/object_records.h"

namespace grove::events {
namespace {

// Records what the runner asked for; StartPipeline is idempotent per firing id, as the contract asks.
class FakeActions : public TriggerActions {
 public:
  Result<std::string> StartPipeline(const TriggerSpec& spec, const std::map<std::string, std::string>& parameters,
                                    const std::string& firing_id) override {
    if (auto it = by_firing.find(firing_id); it != by_firing.end()) return it->second;
    if (fail) return Status::InvalidArgument("pipeline broken");
    started.push_back(parameters);
    std::string id = "exec" + std::to_string(started.size());
    by_firing[firing_id] = id;
    return id;
  }
  Result<int> QueueFile(const std::filesystem::path& file, const std::map<std::string, std::string>& target,
                        const std::string&) override {
    queued.push_back({file.string(), target});
    return 10;
  }
  std::vector<std::map<std::string, std::string>> started;
  std::vector<std::pair<std::string, std::map<std::string, std::string>>> queued;
  std::map<std::string, std::string> by_firing;
  bool fail = false;
};

class TriggerRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    metadata_ = std::move(store::OpenSqliteMetadataStore((dir_.path() / "grove.db").string(), &clock_).value());
    root_ = dir_.path() / "inbox";
  }
  std::unique_ptr<TriggerRunner> NewRunner() {
    TriggerRunnerOptions options;
    options.roots = {root_};
    auto runner = std::make_unique<TriggerRunner>(metadata_.get(), &actions_, &watcher_, &clock_, options);
    Status s = runner->Recover();
    EXPECT_TRUE(s.ok()) << s.ToString();
    return runner;
  }
  void AddTraining(int settle_ms = 500) {
    TriggerSpec spec;
    spec.name = "fleet-training";
    spec.watch = "training-dataset/{StateDim}/*.csv";
    spec.pipeline = "/p/fleet.yaml";
    spec.parameters = {{"StateDim", "{StateDim}"}, {"InputData", "{path}"}};
    spec.settle_ms = settle_ms;
    ASSERT_TRUE(CreateTrigger(*metadata_, spec).ok());
  }
  std::filesystem::path Write(const std::string& relative, const std::string& text) {
    std::filesystem::path path = root_ / relative;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path, std::ios::app) << text;
    return path;
  }
  void Tick(TriggerRunner& runner, TimeMs advance) {
    clock_.Advance(advance);
    Status s = runner.Tick();
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  std::vector<store::TriggerFiringRecord> Firings(const std::string& trigger) {
    return *store::ReadValue(*metadata_, [&](store::StoreReader& r) { return store::ListRecentFirings(r, trigger, 0); });
  }

  TempDir dir_;
  FakeClock clock_{1'767'225'600'000};  // 2026-01-01T00:00:00Z.
  std::unique_ptr<store::MetadataStore> metadata_;
  std::filesystem::path root_;
  FakeActions actions_;
  FakeFolderWatcher watcher_;
};

TEST_F(TriggerRunnerTest, AWrittenFileFiresOnceAfterItSettlesWithBoundParameters) {
  AddTraining();
  auto runner = NewRunner();
  EXPECT_TRUE(std::filesystem::is_directory(root_));  // Created.
  auto path = Write("training-dataset/DummyDim2/churn.csv", "a,b\n");
  watcher_.Push({FileEvent::Kind::kWritten, root_, path});
  runner->OnEvents(*watcher_.Poll({}));
  Tick(*runner, 0);
  Tick(*runner, 300);
  EXPECT_TRUE(actions_.started.empty());  // Not settled yet.
  Write("training-dataset/DummyDim2/churn.csv", "1,2\n");  // Still being written: the wait starts again.
  watcher_.Push({FileEvent::Kind::kWritten, root_, path});
  runner->OnEvents(*watcher_.Poll({}));
  Tick(*runner, 300);
  Tick(*runner, 300);
  EXPECT_TRUE(actions_.started.empty());
  Tick(*runner, 300);
  ASSERT_EQ(actions_.started.size(), 1u);
  EXPECT_EQ(actions_.started[0].at("StateDim"), "DummyDim2");
  EXPECT_EQ(actions_.started[0].at("InputData"), path.string());
  // More events for the unchanged file fire nothing.
  watcher_.Push({FileEvent::Kind::kWritten, root_, path});
  runner->OnEvents(*watcher_.Poll({}));
  Tick(*runner, 1000);
  Tick(*runner, 1000);
  EXPECT_EQ(actions_.started.size(), 1u);
  auto firings = Firings("fleet-training");
  ASSERT_EQ(firings.size(), 1u);
  EXPECT_EQ(firings[0].status, store::kFiringStarted);
  EXPECT_EQ(firings[0].execution_id, "exec1");
  EXPECT_EQ(firings[0].path, path.string());
}

TEST_F(TriggerRunnerTest, AFileMovedInFiresAtOnceAndOthersDoNotMatch) {
  AddTraining();
  auto runner = NewRunner();
  auto path = Write("training-dataset/D1/a.csv", "x\n");
  auto other = Write("training-dataset/a.csv", "x\n");
  watcher_.Push({FileEvent::Kind::kMovedIn, root_, path});
  watcher_.Push({FileEvent::Kind::kMovedIn, root_, other});
  runner->OnEvents(*watcher_.Poll({}));
  Tick(*runner, 0);
  ASSERT_EQ(actions_.started.size(), 1u);
  EXPECT_EQ(runner->pending(), 0u);
}

TEST_F(TriggerRunnerTest, ARestartDoesNotFireAgainButFiresWhatArrivedWhileDown) {
  AddTraining();
  auto path = Write("training-dataset/D1/a.csv", "x\n");
  {
    auto runner = NewRunner();  // The rescan at start-up finds it.
    Tick(*runner, 0);
    Tick(*runner, 600);
    ASSERT_EQ(actions_.started.size(), 1u);
  }
  Write("training-dataset/D2/b.csv", "y\n");  // While down.
  FakeActions fresh;
  actions_ = fresh;
  auto runner = NewRunner();
  Tick(*runner, 0);
  Tick(*runner, 600);
  ASSERT_EQ(actions_.started.size(), 1u);
  EXPECT_EQ(actions_.started[0].at("StateDim"), "D2");
  EXPECT_EQ(Firings("fleet-training").size(), 2u);
}

TEST_F(TriggerRunnerTest, AClaimACrashLeftIsCompletedWithoutASecondExecution) {
  AddTraining();
  auto path = Write("training-dataset/D1/a.csv", "x\n");
  // A crash after the execution started, before the firing was completed.
  store::TriggerFiringRecord claim;
  claim.trigger = "fleet-training";
  claim.identity = *FileIdentity(path);
  claim.path = path.string();
  claim.parameters = {{"StateDim", "D1"}, {"InputData", path.string()}};
  auto claimed = store::TransactValue(*metadata_, [&](store::StoreTransaction& t) {
    return store::ClaimFiring(t, claim, clock_.Now());
  });
  ASSERT_TRUE(claimed.ok() && claimed->has_value());
  ASSERT_TRUE(actions_.StartPipeline({}, claim.parameters.get<std::map<std::string, std::string>>(), (*claimed)->id).ok());
  auto runner = NewRunner();
  Tick(*runner, 0);
  Tick(*runner, 600);
  EXPECT_EQ(actions_.started.size(), 1u);  // Only the one before the crash.
  auto firings = Firings("fleet-training");
  ASSERT_EQ(firings.size(), 1u);
  EXPECT_EQ(firings[0].status, store::kFiringStarted);
  EXPECT_EQ(firings[0].execution_id, "exec1");
}

TEST_F(TriggerRunnerTest, AFailedActionIsRecordedAndNotRetriedForTheSameFile) {
  AddTraining(0);
  actions_.fail = true;
  auto path = Write("training-dataset/D1/a.csv", "x\n");
  auto runner = NewRunner();
  Tick(*runner, 0);
  Tick(*runner, 10);
  Tick(*runner, 10);
  auto firings = Firings("fleet-training");
  ASSERT_EQ(firings.size(), 1u);
  EXPECT_EQ(firings[0].status, store::kFiringFailed);
  EXPECT_NE(firings[0].error.find("pipeline broken"), std::string::npos);
}

TEST_F(TriggerRunnerTest, QueueTriggersBindTheTarget) {
  TriggerSpec spec;
  spec.name = "fleet-inference";
  spec.watch = "inference-dataset/{Dimension}/*.csv";
  spec.queue = true;
  spec.queue_target = {{"dimension", "{Dimension}"}, {"endpoint", "fleet"}, {"model", "{Dimension}-model-registry"}};
  ASSERT_TRUE(CreateTrigger(*metadata_, spec).ok());
  auto runner = NewRunner();
  auto path = Write("inference-dataset/DummyDim1/dim_1_test.csv", "x\n");
  watcher_.Push({FileEvent::Kind::kMovedIn, root_, path});
  runner->OnEvents(*watcher_.Poll({}));
  Tick(*runner, 0);
  ASSERT_EQ(actions_.queued.size(), 1u);
  EXPECT_EQ(actions_.queued[0].first, path.string());
  EXPECT_EQ(actions_.queued[0].second.at("model"), "DummyDim1-model-registry");
  EXPECT_EQ(Firings("fleet-inference")[0].queued_rows, 10);
}

TEST_F(TriggerRunnerTest, PausedTriggersDoNotFireAndResumingSeesTheFiles) {
  AddTraining(0);
  ASSERT_TRUE(SetTriggerPaused(*metadata_, "fleet-training", true).ok());
  auto runner = NewRunner();
  Write("training-dataset/D1/a.csv", "x\n");
  runner->OnEvents({{FileEvent::Kind::kRescan, root_, {}}});
  Tick(*runner, 10);
  Tick(*runner, 10);
  EXPECT_TRUE(actions_.started.empty());
  ASSERT_TRUE(SetTriggerPaused(*metadata_, "fleet-training", false).ok());
  Tick(*runner, 1000);  // Re-reads the triggers and rescans.
  Tick(*runner, 10);
  EXPECT_EQ(actions_.started.size(), 1u);
}

TEST_F(TriggerRunnerTest, SchedulesFireAtTheirTimesOnceEach) {
  TriggerSpec spec;
  spec.name = "every-5";
  spec.schedule = "*/5 * * * *";
  spec.pipeline = "churn";
  spec.parameters = {{"Note", "{trigger}@{time}"}};
  ASSERT_TRUE(CreateTrigger(*metadata_, spec).ok());
  clock_.Advance(60'000);  // 00:01.
  auto runner = NewRunner();
  Tick(*runner, 3 * 60'000);  // 00:04.
  EXPECT_TRUE(actions_.started.empty());
  Tick(*runner, 60'000);  // 00:05.
  ASSERT_EQ(actions_.started.size(), 1u);
  EXPECT_EQ(actions_.started[0].at("Note"), "every-5@2026-01-01T00:05:00.000Z");
  Tick(*runner, 1000);
  EXPECT_EQ(actions_.started.size(), 1u);
  Tick(*runner, 5 * 60'000);  // 00:10:01.
  ASSERT_EQ(actions_.started.size(), 2u);
  EXPECT_EQ(actions_.started[1].at("Note"), "every-5@2026-01-01T00:10:00.000Z");
}

TEST_F(TriggerRunnerTest, AnS3UploadUnderTheWatchedPrefixFiresOnce) {
  AddTraining();
  ASSERT_TRUE(metadata_->Transact([&](store::StoreTransaction& t) -> Status {
    RETURN_IF_ERROR(t.PutResource({store::kBucketKind, "data", Json::object(), 1, 1}));
    RETURN_IF_ERROR(t.PutResource({store::ObjectKind("data"), "training-dataset/D3/c.csv",
                                   {{"etag", "abc"}, {"size", 3}}, 5, 5}));
    return t.PutResource({store::ObjectKind("data"), "other/D3/c.csv", {{"etag", "abc"}}, 5, 5});
  }).ok());
  auto runner = NewRunner();
  Tick(*runner, 1000);
  ASSERT_EQ(actions_.started.size(), 1u);
  EXPECT_EQ(actions_.started[0].at("InputData"), "s3://data/training-dataset/D3/c.csv");
  EXPECT_EQ(actions_.started[0].at("StateDim"), "D3");
  Tick(*runner, 1000);
  auto again = NewRunner();
  Tick(*again, 1000);
  EXPECT_EQ(actions_.started.size(), 1u);
}

TEST_F(TriggerRunnerTest, StopReturnsPromptly) {
  AddTraining();
  TriggerRunnerOptions options;
  options.roots = {root_};
  TriggerRunner runner(metadata_.get(), &actions_, &watcher_, SystemClock::Default(), options);
  ASSERT_TRUE(runner.Start(nullptr).ok());
  auto begin = std::chrono::steady_clock::now();
  runner.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, std::chrono::seconds(1));
}

}  // namespace
}  // namespace grove::events
