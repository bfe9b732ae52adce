// End-to-end: queued batch inference is exactly once. `grove queue work` is
// killed with SIGKILL at random moments, again and again, and restarted; in
// the end every row of every file has exactly one prediction record and every
// file sits in processed/.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <random>
#include <thread>

#include "common/file_util.h"
#include "tests/grove_cli.h"

namespace grove::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kFeatures = 100;

// A header like the churn-100x inference files': the label first, stray quotes kept.
std::string Header() {
  std::string header = "Churn?_True.";
  for (int f = 0; f < kFeatures; ++f) {
    header += "," + (f == 98 ? std::string(" \"Int'l Plan_no\"") : "Feature_" + std::to_string(f));
  }
  return header + "\n";
}

std::string Rows(std::mt19937& random, int rows) {
  std::uniform_real_distribution<double> value(0, 1);
  std::string text;
  for (int r = 0; r < rows; ++r) {
    std::vector<double> cells(kFeatures);
    for (double& c : cells) c = value(random);
    text += cells[0] + cells[1] > 1 ? "1" : "0";
    for (double c : cells) text += "," + std::to_string(c);
    text += "\n";
  }
  return text;
}

constexpr const char* kQueuePipeline = R"(pipeline: dimtrain
parameters:
  InputData: {type: String}
steps:
  - name: Prep
    type: Processing
    arguments:
      input: {Get: Parameters.InputData}
      header: true
      label: "Churn?_True."
      split: {train: 0.8, test: 0.2, seed: 1}
  - name: Train
    type: Training
    arguments:
      train: {Get: Steps.Prep.Outputs.train}
      hyperparameters: {objective: "binary:logistic", num_round: 5, max_depth: 3}
  - name: Register
    type: RegisterModel
    arguments: {group: DummyDim2-model-registry, model: {Get: Steps.Train.Outputs.model}, approval_status: Approved}
)";

class QueueE2ETest : public ::testing::Test {
 protected:
  CommandResult Grove(const std::vector<std::string>& args) { return RunGrove(home_.path() / "home", args); }
  CommandResult Expect(const std::vector<std::string>& args) {
    CommandResult r = Grove(args);
    EXPECT_EQ(r.exit_code, 0) << args[0] << " " << args[1] << ": " << r.out << r.err;
    return r;
  }
  fs::path Path(const std::string& name) { return home_.path() / name; }

  TempDir home_;
};

TEST_F(QueueE2ETest, KilledWorkersRestartedRecordEveryRowExactlyOnce) {
  std::mt19937 random(20240611);
  ASSERT_TRUE(WriteFileAtomic(Path("train.csv"), Header() + Rows(random, 400)).ok());
  ASSERT_TRUE(WriteFileAtomic(Path("dimtrain.yaml"), kQueuePipeline).ok());
  Expect({"run", Path("dimtrain.yaml").string(), "-p", "InputData=" + Path("train.csv").string(), "-q"});
  Expect({"endpoint", "create", "fleet", "--multi-model", "--follow", "*-model-registry"});

  constexpr int kFiles = 4, kRowsPerFile = 2500;
  std::vector<fs::path> files;
  for (int i = 0; i < kFiles; ++i) {
    files.push_back(Path("inference/DummyDim2/dim_2_part" + std::to_string(i) + ".csv"));
    ASSERT_TRUE(WriteFileAtomic(files.back(), Header() + Rows(random, kRowsPerFile)).ok());
  }
  // The last file's enqueue is itself killed once, then repeated.
  for (int i = 0; i + 1 < kFiles; ++i) Expect({"queue", "enqueue", files[i].string(), "--dim", "DummyDim2"});
  int enqueuer = StartGrove(Path("home"), {"queue", "enqueue", files.back().string(), "--dim", "DummyDim2"},
                            Path("enqueue.log"));
  std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 60)(random)));
  kill(enqueuer, SIGKILL);
  WaitGrove(enqueuer);

  const std::vector<std::string> work = {"queue", "work", "--visibility-ms", "500", "--batch", "64"};
  int killed_mid_work = 0;
  for (int round = 0; round < 8; ++round) {
    int worker = StartGrove(Path("home"), work, Path("work.log"));
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(20, 250)(random)));
    kill(worker, SIGKILL);
    WaitGrove(worker);
    Json counts = Expect({"queue", "list", "--json"}).json()["counts"];
    if (counts["queued"].get<int>() > 0 && counts["done"].get<int>() > 0) ++killed_mid_work;
    // After a restart, enqueueing again adds nothing (files already moved are gone from their folder).
    for (const fs::path& file : files) {
      if (!fs::exists(file)) continue;
      CommandResult again = Expect({"queue", "enqueue", file.string(), "--dim", "DummyDim2", "--json"});
      if (file != files.back() || round > 0) {
        EXPECT_EQ(again.json()["enqueued"], 0) << file << " round " << round;
      }
    }
  }
  EXPECT_GT(killed_mid_work, 0) << "no kill landed while rows were being answered";
  Expect({"queue", "work", "--visibility-ms", "500", "--until-empty"});

  CommandResult listed = Expect({"predictions", "list", "--dim", "DummyDim2", "--json"});
  const Json predictions = listed.json()["predictions"];
  ASSERT_EQ(predictions.size(), static_cast<size_t>(kFiles * kRowsPerFile));
  std::map<std::pair<std::string, int64_t>, int> per_row;
  for (const Json& p : predictions) {
    per_row[{p["source_file"].get<std::string>(), p["row_number"].get<int64_t>()}] += 1;
    EXPECT_EQ(p["features"].size(), static_cast<size_t>(kFeatures));
    EXPECT_TRUE(p["ground_truth"] == 0 || p["ground_truth"] == 1) << p.dump();
  }
  EXPECT_EQ(per_row.size(), static_cast<size_t>(kFiles * kRowsPerFile));
  for (const auto& [row, count] : per_row) EXPECT_EQ(count, 1) << row.first << " row " << row.second;
  for (const fs::path& file : files) {
    EXPECT_FALSE(fs::exists(file)) << file;
    EXPECT_TRUE(fs::exists(file.parent_path() / "processed" / file.filename())) << file;
  }
  Json summary = Expect({"queue", "list", "--json"}).json();
  EXPECT_EQ(summary["counts"]["done"], kFiles * kRowsPerFile);
  EXPECT_EQ(summary["counts"]["dead"], 0);
  EXPECT_EQ(Expect({"predictions", "list", "--dim", "DummyDim2", "--limit", "3", "--json"}).json()["predictions"].size(),
            3u);
}

}  // namespace
}  // namespace grove::testing
