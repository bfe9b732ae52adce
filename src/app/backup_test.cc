#include "app/backup.h"

#include <gtest/gtest.h>

#include "app/app_test_fixture.h"

namespace grove::app {
namespace {

namespace fs = std::filesystem;

class BackupTest : public testing::AppTest {
 protected:
  fs::path Backup() {
    fs::path dest = dir_.path() / "backup";
    auto report = BackupHome(*home_, dest, nullptr);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return dest;
  }
};

TEST_F(BackupTest, ARestoredFolderHasEverythingTheBackupSaw) {
  store::ExecutionRecord e = Run(Write("hello.yaml", testing::kScriptPipeline));
  store::ModelVersionRecord v = RegisterAbalone("G", /*approve=*/true);
  RecordArtifacts(v);
  fs::path dest = dir_.path() / "backup";
  auto backup = BackupHome(*home_, dest, nullptr);
  ASSERT_TRUE(backup.ok()) << backup.status().ToString();
  EXPECT_EQ(backup->metadata_format, "sqlite");
  EXPECT_GE(backup->artifacts, 4);  // Output, log, model, transform.
  EXPECT_TRUE(fs::exists(dest / "MANIFEST.json"));
  EXPECT_FALSE(fs::exists(dest / "artifacts" / "tmp"));

  fs::path target = dir_.path() / "restored";
  auto restored = RestoreHome(dest, target, {}, {}, nullptr);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ(restored->artifacts, backup->artifacts);
  EXPECT_TRUE(restored->doctor.Healthy());
  EXPECT_TRUE(restored->doctor.findings.empty());
  auto home = Home::Open(target);
  ASSERT_TRUE(home.ok());
  EXPECT_EQ((*home)->metadata()->GetExecution(e.id)->status, store::kSucceeded);
  auto version = (*home)->metadata()->GetModelVersion("G", 1);
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version->model_digest, v.model_digest);
  // Artifacts are named where they now are.
  auto artifact = (*home)->metadata()->GetArtifact(v.model_digest);
  ASSERT_TRUE(artifact.ok());
  EXPECT_EQ(artifact->uri.rfind("file://" + target.string() + "/", 0), 0u) << artifact->uri;
}

TEST_F(BackupTest, RestoreRefusesAFolderInUseUnlessForced) {
  Run(Write("hello.yaml", testing::kScriptPipeline));
  fs::path dest = Backup();
  auto refused = RestoreHome(dest, home_->root(), {}, {}, nullptr);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("is not empty: restore into a new or empty folder, or pass --force"),
            std::string::npos)
      << refused.status().message();

  fs::path other = dir_.path() / "other";
  ASSERT_TRUE(MakeDirs(other).ok());
  ASSERT_TRUE(WriteFile(other / "notes.txt", "mine").ok());
  RestoreOptions force;
  force.force = true;
  auto restored = RestoreHome(dest, other, {}, force, nullptr);
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_TRUE(restored->doctor.Healthy());
  EXPECT_TRUE(fs::exists(other / "notes.txt"));
}

TEST_F(BackupTest, ABackupMissingAnArtifactItsMetadataNamesIsRefused) {
  store::ExecutionRecord e = Run(Write("hello.yaml", testing::kScriptPipeline));
  fs::path dest = Backup();
  std::string log = home_->metadata()->GetStepRun(e.id, "Write")->log_digest;
  ASSERT_FALSE(log.empty());
  fs::remove(dest / "artifacts" / "sha256" / log.substr(0, 2) / log);
  auto refused = RestoreHome(dest, dir_.path() / "new", {}, {}, nullptr);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(),
            "the backup " + dest.string() + " lacks artifact " + log + ", which its metadata names: it is incomplete");
}

TEST_F(BackupTest, AnIncompleteBackupIsRefused) {
  fs::path dest = Backup();
  fs::remove(dest / "MANIFEST.json");
  auto refused = RestoreHome(dest, dir_.path() / "new", {}, {}, nullptr);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("has no MANIFEST.json"), std::string::npos);
  EXPECT_FALSE(BackupHome(*home_, dest, nullptr).ok());  // Never into a folder that holds something.
}

}  // namespace
}  // namespace grove::app
