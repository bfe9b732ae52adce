#include "app/inference_queue.h"

#include <gtest/gtest.h>

#include <sstream>

#include "app/app_test_fixture.h"
#include "app/endpoints.h"
#include "store/queue_records.h"

namespace grove::app {
namespace {

namespace fs = std::filesystem;
namespace st = serving::testing;

// Queued inference end to end on one data folder: a banknote model per
// dimension on the multi-model endpoint "fleet", workers on a fake clock.
class InferenceQueueTest : public testing::AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    clock_.Set(SystemClock::Default()->Now() + 3'600'000);  // After every enqueue (stamped by the system clock).
    fs::path out = dir_.path() / "prepared";
    prepared_ = st::Prepare(st::BanknoteArgs(), out);
    st::Train(prepared_.splits["train"], {{"objective", "binary:logistic"}, {"num_round", "4"}, {"max_depth", "3"}},
              out / "model.json");
    model_digest_ = home_->artifacts()->Put(out / "model.json")->digest;
    service_ = std::move(home_->Endpoints().value());
    EndpointSpec fleet;
    fleet.name = "fleet";
    fleet.multi_model = true;
    fleet.follow = {"*-model-registry"};
    ASSERT_TRUE(Endpoints(*home_, *service_).Create(fleet).ok());
  }

  void RegisterModel(const std::string& dimension) {
    store::ModelVersionRecord v;
    v.group = dimension + "-model-registry";
    v.model_digest = model_digest_;
    v.approval_status = store::kApproved;
    auto registered = home_->registry()->Register(v);
    ASSERT_TRUE(registered.ok()) << registered.status().ToString();
    ASSERT_TRUE(service_->Refresh().ok());
  }

  // An inference file: a header (label first, quirky quotes kept) and the
  // first `rows` rows of the prepared test split.
  fs::path InferenceFile(const std::string& name, int rows) {
    std::string text = "Churn?_True.,variance,skewness, \"curtosis\",entropy'\n";
    std::string test = ReadFile(prepared_.splits["test"]).value();
    std::istringstream lines(test);
    std::string line;
    for (int i = 0; i < rows && std::getline(lines, line); ++i) text += line + "\n";
    fs::path file = dir_.path() / "inference" / name;
    EXPECT_TRUE(WriteFileAtomic(file, text).ok());
    return file;
  }

  events::QueueWorkers Workers(EndpointInvoker* invoker) {
    events::QueueWorkerOptions options;
    options.batch = 7;  // Several batches per file.
    options.not_live_delay_ms = 5000;
    return events::QueueWorkers(home_->metadata(), invoker, &clock_, options);
  }

  // Rounds until none leases anything.
  events::RoundResult Drain(events::QueueWorkers& workers) {
    events::RoundResult total;
    while (true) {
      auto round = workers.RunOnce();
      EXPECT_TRUE(round.ok()) << round.status().ToString();
      if (!round.ok() || round->leased == 0) return total;
      total.leased += round->leased;
      total.recorded += round->recorded;
      total.deferred += round->deferred;
      total.failed += round->failed;
      total.files_moved += round->files_moved;
    }
  }

  data::PrepareSummary prepared_;
  std::string model_digest_;
  std::unique_ptr<serving::EndpointService> service_;
  FakeClock clock_;
};

TEST_F(InferenceQueueTest, WorkersRecordOnePredictionPerRowEqualToADirectInvocation) {
  RegisterModel("DummyDim1");
  fs::path file = InferenceFile("dim_1_test.csv", 30);
  InferenceQueue queue(*home_);
  QueueTarget target;
  target.dimension = "DummyDim1";
  ASSERT_EQ(queue.EnqueueFile(file, target).value(), 30);
  EXPECT_EQ(queue.EnqueueFile(file, target).value(), 0);  // Idempotent.

  EndpointInvoker invoker(*service_);
  events::QueueWorkers workers = Workers(&invoker);
  events::RoundResult total = Drain(workers);
  EXPECT_EQ(total.recorded, 30);
  EXPECT_EQ(total.files_moved, 1);
  EXPECT_FALSE(fs::exists(file));
  EXPECT_TRUE(fs::exists(file.parent_path() / "processed" / "dim_1_test.csv"));

  auto predictions = queue.Predictions("DummyDim1", {});
  ASSERT_TRUE(predictions.ok());
  ASSERT_EQ(predictions->size(), 30u);
  std::string test = ReadFile(prepared_.splits["test"]).value();
  std::istringstream lines(test);
  for (const store::PredictionRecord& p : *predictions) {
    std::string line;
    std::getline(lines, line);
    // The same row, invoked directly.
    auto request = serving::ParseCsvRequest(line.substr(line.find(',') + 1));
    ASSERT_TRUE(request.ok());
    request->output = serving::OutputRequest::kProbability;
    auto direct = service_->Invoke("fleet", "DummyDim1-model-registry", *request);
    ASSERT_TRUE(direct.ok()) << direct.status().ToString();
    EXPECT_DOUBLE_EQ(p.probability, direct->predictions.values[0]) << "row " << p.row_number;
    EXPECT_EQ(p.prediction, direct->predictions.values[0] >= 0.5 ? 1 : 0);
    EXPECT_EQ(p.ground_truth, line.substr(0, line.find(',')));
    EXPECT_EQ(p.model_key, "DummyDim1-model-registry/1");
    EXPECT_EQ(p.id.size(), 36u);
    Json view = ToJson(p);
    EXPECT_EQ(view["features"].size(), 4u);
    EXPECT_TRUE(view["features"].contains(" \"curtosis\""));
  }
  std::ostringstream csv;
  ASSERT_EQ(queue.ExportCsv("DummyDim1", csv).value(), 30);
  EXPECT_EQ(csv.str().substr(0, csv.str().find('\n')),
            "id,dimension,prediction,probability,ground_truth,created_at,variance,skewness,\" \"\"curtosis\"\"\","
            "entropy'");
}

TEST_F(InferenceQueueTest, RowsForAModelNotLiveYetWaitAndAreAnsweredOnceItIs) {
  fs::path file = InferenceFile("dim_2_test.csv", 10);
  InferenceQueue queue(*home_);
  QueueTarget target;
  target.dimension = "DummyDim2";
  ASSERT_EQ(queue.EnqueueFile(file, target).value(), 10);
  EndpointInvoker invoker(*service_, std::chrono::milliseconds(0));
  events::QueueWorkers workers = Workers(&invoker);
  for (int i = 0; i < 3; ++i) {
    events::RoundResult waited = Drain(workers);
    EXPECT_EQ(waited.deferred, 10);
    EXPECT_EQ(waited.recorded, 0);
    clock_.Advance(5000);
  }
  RegisterModel("DummyDim2");
  EXPECT_EQ(Drain(workers).recorded, 10);
  Json summary = queue.Summary().value();
  EXPECT_EQ(summary["counts"]["done"], 10);
  EXPECT_EQ(summary["counts"]["dead"], 0);
}

TEST_F(InferenceQueueTest, ABadRowIsDeadLetteredNamingWhereAndReplayed) {
  RegisterModel("DummyDim1");
  fs::path file = dir_.path() / "inference" / "bad.csv";
  ASSERT_TRUE(WriteFileAtomic(file, "label,a,b,c,d\n1,0.5,0.1,x,2\n0,1,2,3,4\n").ok());
  InferenceQueue queue(*home_);
  QueueTarget target;
  target.dimension = "DummyDim1";
  ASSERT_EQ(queue.EnqueueFile(file, target).value(), 2);
  EndpointInvoker invoker(*service_);
  events::QueueWorkers workers = Workers(&invoker);
  EXPECT_EQ(Drain(workers).recorded, 1);
  clock_.Advance(1000);
  Drain(workers);
  Json summary = queue.Summary().value();
  ASSERT_EQ(summary["dead_letters"].size(), 1u);
  EXPECT_EQ(summary["dead_letters"][0]["last_error"],
            fs::absolute(file).string() + " row 1 column 4 ('c'): 'x' is not a number");
  EXPECT_TRUE(fs::exists(file));  // A dead letter keeps the file waiting.
  EXPECT_EQ(queue.ReplayAllDead().value(), 1);
  EXPECT_EQ(queue.Replay(summary["dead_letters"][0]["id"].get<int64_t>()).status().code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(InferenceQueueTest, ProcessedFilesGoUnderTheWatchRootOrBesideTheFile) {
  EXPECT_EQ(InferenceQueue::ProcessedDir("/data/in/DummyDim1/a.csv", "/data/in"), "/data/in/processed/DummyDim1");
  EXPECT_EQ(InferenceQueue::ProcessedDir("/data/in/DummyDim1/a.csv"), "/data/in/DummyDim1/processed");
  EXPECT_EQ(InferenceQueue::ProcessedDir("/elsewhere/a.csv", "/data/in"), "/elsewhere/processed");
}

}  // namespace
}  // namespace grove::app
