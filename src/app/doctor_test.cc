#include "app/doctor.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "app/app_test_fixture.h"
#include "registry/endpoints.h"
#include "registry/traffic.h"
#include "store/queue_records.h"
#include "store/sql_connection.h"

namespace grove::app {
namespace {

namespace fs = std::filesystem;

// Each test damages a real SQLite-backed data folder the way a crash or a
// careless hand could, and checks the finding grove doctor reports.
class DoctorTest : public testing::AppTest {
 protected:
  DoctorReport Check(DoctorOptions options = {}) {
    auto report = RunDoctor(*home_, options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : DoctorReport{};
  }

  // Runs the script pipeline once; returns its execution.
  store::ExecutionRecord RunScript() { return Run(Write("hello.yaml", testing::kScriptPipeline)); }

  // The path of the one output artifact of `e`'s Write step.
  fs::path OutputOf(const store::ExecutionRecord& e) {
    auto run = home_->metadata()->GetStepRun(e.id, "Write");
    EXPECT_TRUE(run.ok()) << run.status().ToString();
    auto path = home_->artifacts()->LocalPath(run->outputs["out"].get<std::string>());
    EXPECT_TRUE(path.ok()) << path.status().ToString();
    return *path;
  }

  Status Sql(const std::string& sql) {
    return home_->metadata()->WriteSql([&](store::SqlConnection& db) { return db.Exec(sql.c_str()); });
  }
};

TEST_F(DoctorTest, AHealthyFolderHasNoFindings) {
  RunScript();
  DoctorReport report = Check();
  EXPECT_TRUE(report.findings.empty()) << report.findings.front().kind << ": " << report.findings.front().what;
  EXPECT_TRUE(report.Healthy());
  EXPECT_GE(report.checked["artifacts"], 2);  // The output folder and the log.
  EXPECT_GE(report.checked["events"], 4);
  EXPECT_EQ(report.checked["executions"], 1);
  EXPECT_EQ(report.checked["metadata integrity checks"], 1);  // SQLite's PRAGMA quick_check.
}

TEST_F(DoctorTest, ADeletedArtifactIsLost) {
  fs::path output = OutputOf(RunScript());
  fs::remove_all(output);
  DoctorReport report = Check();
  ASSERT_EQ(report.OfKind("artifact-missing").size(), 1u);
  EXPECT_NE(report.OfKind("artifact-missing")[0].what.find("(a folder) is recorded but missing"), std::string::npos);
  EXPECT_FALSE(report.Healthy());
}

TEST_F(DoctorTest, AFlippedByteIsCorrupt) {
  fs::path file = OutputOf(RunScript()) / "hello.txt";
  fs::permissions(file, fs::perms::owner_write, fs::perm_options::add);
  {
    std::fstream f(file, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(0);
    f.put('J');
  }
  DoctorReport report = Check();
  auto corrupt = report.OfKind("artifact-corrupt");
  ASSERT_EQ(corrupt.size(), 1u);
  EXPECT_EQ(corrupt[0].where, file.parent_path().string());
  EXPECT_EQ(corrupt[0].severity, Severity::kLost);
}

TEST_F(DoctorTest, AStepRunLeftRunningInAnEndedExecutionIsLost) {
  store::ExecutionRecord e = RunScript();
  store::StepRunRecord run = *home_->metadata()->GetStepRun(e.id, "Write");
  run.status = store::kExecuting;
  ASSERT_TRUE(home_->metadata()->PutStepRun(run, {}, {}).ok());
  auto found = Check().OfKind("step-run-left-running");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].what, "step Write of execution " + e.id + " is Executing but its execution ended Succeeded");
}

TEST_F(DoctorTest, AnOrphanIsAWarningThatRepairFailsAsTheNextCommandWould) {
  store::ExecutionRecord e;
  e.id = "orphan000001";
  e.pipeline = "hello";
  e.version = 1;
  e.lease_owner = "elsewhere:1";
  e.lease_expires = home_->clock()->Now() - 60'000;  // Its owner stopped renewing a minute ago.
  ASSERT_TRUE(home_->metadata()->CreateExecution(e).ok());
  store::StepRunRecord step;
  step.execution_id = e.id;
  step.step_name = "Train";
  step.status = store::kExecuting;
  ASSERT_TRUE(home_->metadata()->PutStepRun(step, {}, {}).ok());

  DoctorReport report = Check();
  ASSERT_EQ(report.OfKind("orphaned-execution").size(), 1u);
  EXPECT_TRUE(report.OfKind("step-run-left-running").empty());  // Its execution has not ended.
  EXPECT_TRUE(report.Healthy());
  EXPECT_EQ(home_->metadata()->GetExecution(e.id)->status, store::kExecuting);  // Looking changes nothing.

  DoctorOptions repair;
  repair.repair = true;
  report = Check(repair);
  EXPECT_NE(report.OfKind("orphaned-execution")[0].repair.find("failed it"), std::string::npos);
  EXPECT_EQ(home_->metadata()->GetExecution(e.id)->status, store::kFailed);
  EXPECT_EQ(home_->metadata()->GetStepRun(e.id, "Train")->status, store::kFailed);
  EXPECT_TRUE(Check().findings.empty());
}

TEST_F(DoctorTest, ADeletedEventIsAGap) {
  RunScript();
  ASSERT_TRUE(Sql("DELETE FROM events WHERE seq IN (2, 3)").ok());
  auto gaps = Check().OfKind("event-gap");
  ASSERT_EQ(gaps.size(), 1u);
  EXPECT_EQ(gaps[0].what, "events 2-3 missing from the event log (between seq 1 and 4)");
}

TEST_F(DoctorTest, EachQueuedRowHasExactlyOneResult) {
  store::QueueFileRecord file;
  file.key = "k1";
  file.path = "/in/a.csv";
  file.rows = 2;
  ASSERT_TRUE(home_->metadata()
                  ->Transact([&](store::StoreTransaction& txn) {
                    return store::EnqueueFileRows(txn, file, {"1,2", "3,4"}, 2, 1).status();
                  })
                  .ok());
  EXPECT_TRUE(Check().findings.empty());
  // A row marked answered without its prediction, and a file whose rows do not add up.
  ASSERT_TRUE(Sql("UPDATE queue_messages SET state = 'done' WHERE row_number = 1").ok());
  ASSERT_TRUE(Sql("UPDATE queue_files SET rows = 3").ok());
  DoctorReport report = Check();
  ASSERT_EQ(report.OfKind("queue-result-missing").size(), 1u);
  EXPECT_NE(report.OfKind("queue-result-missing")[0].what.find("(/in/a.csv, row 1) is done but has no prediction"),
            std::string::npos);
  ASSERT_EQ(report.OfKind("queue-file-rows").size(), 1u);
  EXPECT_EQ(report.OfKind("queue-file-rows")[0].what, "queued file /in/a.csv has 3 rows but 2 messages");
}

TEST_F(DoctorTest, RegistryAndEndpointsNameVersionsThatExist) {
  RecordArtifacts(RegisterAbalone("G", /*approve=*/true));
  RecordArtifacts(RegisterAbalone("G", /*approve=*/true));
  registry::Endpoints endpoints(home_->metadata(), home_->clock());
  store::EndpointRecord endpoint;
  endpoint.name = "prod";
  endpoint.follow = {"G", "Other*"};
  ASSERT_TRUE(endpoints.Create(endpoint).ok());
  registry::Traffic traffic(home_->metadata(), home_->clock());
  ASSERT_TRUE(traffic.Set("prod", {{"a", "G", 1, 1, false}, {"b", "G", 2, 1, false}}, "me").ok());
  DoctorReport report = Check();
  ASSERT_EQ(report.findings.size(), 1u);
  EXPECT_EQ(report.findings[0].kind, "endpoint-follows-nothing");  // Other*: a warning.
  EXPECT_TRUE(report.Healthy());

  // Version 2 renumbered 3: a gap, and a variant naming a version that is gone.
  ASSERT_TRUE(Sql("UPDATE model_versions SET version = 3 WHERE version = 2").ok());
  report = Check();
  ASSERT_EQ(report.OfKind("model-version-gap").size(), 1u);
  ASSERT_EQ(report.OfKind("traffic-version-missing").size(), 1u);
  EXPECT_EQ(report.OfKind("traffic-version-missing")[0].what,
            "variant b of endpoint prod names model version G/2, which does not exist");
  // A model whose artifact row is gone.
  ASSERT_TRUE(Sql("UPDATE model_versions SET model_digest = '" + std::string(64, 'a') + "' WHERE version = 1").ok());
  EXPECT_EQ(Check().OfKind("artifact-not-recorded").size(), 1u);
}

TEST_F(DoctorTest, TemporaryFilesAreWarningsThatRepairRemovesOnceStale) {
  fs::path tmp = home_->root() / "artifacts" / "tmp" / "put-abc123";
  ASSERT_TRUE(WriteFile(tmp, "half").ok());
  DoctorReport report = Check();
  ASSERT_EQ(report.OfKind("temp-file").size(), 1u);
  EXPECT_EQ(report.OfKind("temp-file")[0].where, tmp.string());
  EXPECT_TRUE(report.Healthy());

  DoctorOptions repair;
  repair.repair = true;
  report = Check(repair);  // Fresh: a Put may still be writing it.
  EXPECT_NE(report.OfKind("temp-file")[0].repair.find("kept"), std::string::npos);
  EXPECT_TRUE(fs::exists(tmp));
  repair.stale_temp_ms = 0;
  report = Check(repair);
  EXPECT_EQ(report.OfKind("temp-file")[0].repair, "removed");
  EXPECT_FALSE(fs::exists(tmp));
}

TEST_F(DoctorTest, ADamagedPageOfTheMetadataFileIsCorrupt) {
  for (int i = 0; i < 5; ++i) RunScript();  // Enough events for the table to span pages of its own.
  int64_t root = 0;
  ASSERT_TRUE(home_->metadata()->ReadSql([&](store::SqlConnection& db) -> Status {
    ASSIGN_OR_RETURN(store::Statement s, db.Prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'events'"));
    ASSIGN_OR_RETURN(bool row, s.Step());
    if (row) root = s.Int64(0);
    return Status::OK();
  }).ok());
  ASSERT_GT(root, 1);
  fs::path db = dir_.path() / "home" / "grove.db";
  home_.reset();  // Closed, so that nothing writes the page back.
  {
    // Scribble over the page's header and cell pointers (SQLite's default page is 4096 bytes).
    std::fstream f(db, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp((root - 1) * 4096 + 3);
    for (int i = 0; i < 16; ++i) f.put(static_cast<char>(0xEF));
  }
  auto home = Home::Open(dir_.path() / "home", {}, HomeOptions{.recover_orphans = false});
  ASSERT_TRUE(home.ok()) << home.status().ToString();
  home_ = std::move(home).value();
  DoctorReport report = Check();
  auto corrupt = report.OfKind("metadata-corrupt");
  ASSERT_FALSE(corrupt.empty());
  EXPECT_EQ(corrupt[0].where, db.string());
  EXPECT_NE(corrupt[0].what.find("the store's own check reports: "), std::string::npos);
  // Reading the events fails as well: a finding too, and the other checks still ran.
  EXPECT_FALSE(report.OfKind("metadata-unreadable").empty());
  EXPECT_GE(report.checked["artifacts"], 2);
  EXPECT_FALSE(report.Healthy());
}

}  // namespace
}  // namespace grove::app
