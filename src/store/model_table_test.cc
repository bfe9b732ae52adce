#include "store/model_table.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <set>
#include <thread>

#include "store/sqlite_test_fixture.h"

namespace grove::store {
namespace {

using ModelTableTest = SqliteStoreTest;

ModelVersionRecord NewVersion(const std::string& group, const std::string& model = "model") {
  ModelVersionRecord v;
  v.group = group;
  v.version = 99;  // Ignored: the store numbers versions.
  v.model_digest = FakeDigest(model);
  v.metrics = {{"model_quality", FakeDigest("report")}};
  v.metadata = {{"algorithm", "xgboost"}};
  v.execution_id = "e1";
  v.step_name = "Register";
  return v;
}

TEST_F(ModelTableTest, VersionsAreNumberedPerGroup) {
  auto v1 = store_->CreateModelVersion(NewVersion("Abalone"));
  ASSERT_TRUE(v1.ok()) << v1.status().ToString();
  EXPECT_EQ(v1->version, 1);
  EXPECT_EQ(v1->approval_status, kPendingManualApproval);
  EXPECT_EQ(v1->created_at, clock_.Now());
  EXPECT_EQ(store_->CreateModelVersion(NewVersion("Abalone"))->version, 2);
  EXPECT_EQ(store_->CreateModelVersion(NewVersion("Churn"))->version, 1);

  auto got = store_->GetModelVersion("Abalone", 1);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->model_digest, FakeDigest("model"));
  EXPECT_EQ(got->metrics["model_quality"], FakeDigest("report"));
  EXPECT_EQ(got->metadata["algorithm"], "xgboost");
  EXPECT_EQ(got->step_name, "Register");

  auto groups = store_->ListModelGroups();
  ASSERT_TRUE(groups.ok());
  ASSERT_EQ(groups->size(), 2u);
  EXPECT_EQ((*groups)[0].name, "Abalone");
  EXPECT_EQ((*groups)[0].version_count, 2);
  auto versions = store_->ListModelVersions("Abalone");
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[1].version, 2);

  auto events = Events();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].kind, kEventModelCreated);
  EXPECT_EQ(events[0].subject, "Abalone/1");
  EXPECT_EQ(events[2].subject, "Churn/1");
}

TEST_F(ModelTableTest, CreateValidatesGroupAndStatus) {
  EXPECT_EQ(store_->CreateModelVersion(NewVersion("")).status().code(), StatusCode::kInvalidArgument);
  ModelVersionRecord v = NewVersion("G");
  v.approval_status = "Maybe";
  EXPECT_EQ(store_->CreateModelVersion(v).status().code(), StatusCode::kInvalidArgument);
  v.approval_status = kApproved;
  EXPECT_EQ(store_->CreateModelVersion(v)->approval_status, kApproved);
}

TEST_F(ModelTableTest, NotFoundMessagesSayWhatExists) {
  ASSERT_TRUE(store_->CreateModelVersion(NewVersion("A")).ok());
  ASSERT_TRUE(store_->CreateModelVersion(NewVersion("B")).ok());
  ASSERT_TRUE(store_->CreateModelVersion(NewVersion("X")).ok());
  ASSERT_TRUE(store_->CreateModelVersion(NewVersion("X")).ok());
  ASSERT_TRUE(store_->CreateModelVersion(NewVersion("X")).ok());

  auto no_group = store_->GetModelVersion("Y", 1);
  EXPECT_EQ(no_group.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(no_group.status().message(), "no model group 'Y' (groups: A, B, X)");
  EXPECT_EQ(store_->ListModelVersions("Y").status().message(), "no model group 'Y' (groups: A, B, X)");
  auto no_version = store_->GetModelVersion("X", 7);
  EXPECT_EQ(no_version.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(no_version.status().message(), "no version 7 in model group 'X' (versions 1-3)");
  EXPECT_EQ(store_->SetApproval("X", 7, {kApproved, "", "me", 0}).status().message(),
            "no version 7 in model group 'X' (versions 1-3)");
}

TEST_F(ModelTableTest, ApprovalChangesStatusAndAppendsAnEvent) {
  ASSERT_TRUE(store_->CreateModelVersion(NewVersion("AbalonePackageGroup")).ok());
  auto approved = store_->SetApproval("AbalonePackageGroup", 1, {kApproved, "mse ok", "alice", 4242});
  ASSERT_TRUE(approved.ok()) << approved.status().ToString();
  EXPECT_EQ(approved->approval_status, kApproved);
  EXPECT_EQ(approved->approval_comment, "mse ok");
  EXPECT_EQ(approved->approved_by, "alice");
  EXPECT_EQ(approved->approval_changed_at, 4242);
  EXPECT_EQ(store_->GetModelVersion("AbalonePackageGroup", 1)->approval_status, kApproved);

  EventRecord e = Events().back();
  EXPECT_EQ(e.kind, kEventModelApproval);
  EXPECT_EQ(e.subject, "AbalonePackageGroup/1");
  EXPECT_EQ(e.payload, Json({{"group", "AbalonePackageGroup"},
                             {"version", 1},
                             {"status", "Approved"},
                             {"previous_status", "PendingManualApproval"},
                             {"comment", "mse ok"},
                             {"by", "alice"}}));

  auto rejected = store_->SetApproval("AbalonePackageGroup", 1, {kRejected, "drift", "bob", 0});
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->approval_changed_at, clock_.Now());  // 0 given: the store's clock.
  EXPECT_EQ(Events().back().payload["previous_status"], "Approved");
}

TEST_F(ModelTableTest, FailedApprovalChangesNothing) {
  ASSERT_TRUE(store_->CreateModelVersion(NewVersion("AbalonePackageGroup")).ok());
  ASSERT_TRUE(store_->SetApproval("AbalonePackageGroup", 1, {kApproved, "first", "alice", 10}).ok());
  size_t events_before = Events().size();

  auto twice = store_->SetApproval("AbalonePackageGroup", 1, {kApproved, "second", "bob", 20});
  EXPECT_EQ(twice.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(twice.status().message(), "AbalonePackageGroup/1 is already Approved");
  auto bad = store_->SetApproval("AbalonePackageGroup", 1, {"Sure", "third", "carol", 30});
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);

  auto v = store_->GetModelVersion("AbalonePackageGroup", 1);
  EXPECT_EQ(v->approval_comment, "first");
  EXPECT_EQ(v->approved_by, "alice");
  EXPECT_EQ(v->approval_changed_at, 10);
  EXPECT_EQ(Events().size(), events_before);
}

TEST_F(ModelTableTest, ConcurrentThreadsGetEachVersionExactlyOnce) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::vector<int>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto v = store_->CreateModelVersion(NewVersion("G"));
        got[t].push_back(v.ok() ? v->version : -1);
      }
    });
  }
  for (auto& th : threads) th.join();
  std::multiset<int> all;
  for (const auto& g : got) all.insert(g.begin(), g.end());
  ASSERT_EQ(all.size(), 100u);
  for (int v = 1; v <= 100; ++v) EXPECT_EQ(all.count(v), 1u) << "version " << v;
  auto versions = store_->ListModelVersions("G");
  ASSERT_EQ(versions->size(), 100u);
  EXPECT_EQ(versions->back().version, 100);
}

// Two processes on one new file, each with its own connection, as two
// `grove run` processes on one data folder would be: both create and migrate
// the file at once, then register versions in the same group.
TEST_F(ModelTableTest, ConcurrentProcessesGetEachVersionExactlyOnce) {
  constexpr int kPerProcess = 50;
  store_.reset();  // No connection crosses fork().
  std::string shared = (dir_.path() / "shared.db").string();
  std::vector<pid_t> children;
  for (int p = 0; p < 2; ++p) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto store = OpenSqliteMetadataStore(shared);
      bool ok = store.ok();
      for (int i = 0; ok && i < kPerProcess; ++i) {
        ModelVersionRecord v = NewVersion("G");
        v.step_name = "process" + std::to_string(p);
        ok = (*store)->CreateModelVersion(v).ok();
      }
      _exit(ok ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child failed, status " << status;
  }
  auto reopened = OpenSqliteMetadataStore(shared, &clock_);
  ASSERT_TRUE(reopened.ok());
  auto versions = (*reopened)->ListModelVersions("G");
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u * kPerProcess);
  std::map<std::string, int> per_process;
  for (size_t i = 0; i < versions->size(); ++i) {
    EXPECT_EQ((*versions)[i].version, static_cast<int>(i) + 1);
    per_process[(*versions)[i].step_name]++;
  }
  EXPECT_EQ(per_process["process0"], kPerProcess);
  EXPECT_EQ(per_process["process1"], kPerProcess);
}

}  // namespace
}  // namespace grove::store
