#include "registry/registry.h"

#include <gtest/gtest.h>

#include <map>

#include "common/file_util.h"
#include "store/store_test_fixture.h"

namespace grove::registry {
namespace {

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    metadata_ = std::move(store::OpenSqliteMetadataStore((dir_.path() / "grove.db").string()).value());
    registry_ = std::make_unique<Registry>(metadata_.get(), &clock_);
  }

  store::ModelVersionRecord Register(const std::string& group, const std::string& status = "") {
    store::ModelVersionRecord v;
    v.group = group;
    v.approval_status = status;
    v.model_digest = "abc";
    return registry_->Register(v).value();
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<store::MetadataStore> metadata_;
  std::unique_ptr<Registry> registry_;
};

TEST_F(RegistryTest, NumbersVersionsPerGroupAndDefaultsToPending) {
  EXPECT_EQ(Register("A").version, 1);
  EXPECT_EQ(Register("A").version, 2);
  EXPECT_EQ(Register("B").version, 1);
  auto v = registry_->Get("A", 2).value();
  EXPECT_EQ(v.approval_status, "PendingManualApproval");
  EXPECT_EQ(registry_->Groups()->size(), 2u);
}

TEST_F(RegistryTest, CreatesEmptyGroupsOnceAndVersionsFillThem) {
  auto created = registry_->CreateGroup("Churn", "one model per state");
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(registry_->Groups()->at(0).description, "one model per state");
  EXPECT_EQ(registry_->Groups()->at(0).version_count, 0);
  EXPECT_EQ(registry_->CreateGroup("Churn", "again").status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(registry_->Groups()->at(0).description, "one model per state") << "a refused create changes nothing";
  EXPECT_EQ(registry_->CreateGroup("bad group/x", "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Register("Churn").version, 1);
  EXPECT_EQ(registry_->Groups()->at(0).description, "one model per state") << "registering keeps the description";
}

TEST_F(RegistryTest, OnlyEmptyGroupsAreDeleted) {
  ASSERT_TRUE(registry_->CreateGroup("Empty", "").ok());
  Register("Full");
  EXPECT_TRUE(registry_->DeleteGroup("Empty").ok());
  EXPECT_EQ(registry_->DeleteGroup("Empty").code(), StatusCode::kNotFound);
  Status refused = registry_->DeleteGroup("Full");
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("has 1 versions"), std::string::npos) << refused.message();
  ASSERT_EQ(registry_->Groups()->size(), 1u);
  EXPECT_EQ(registry_->Groups()->at(0).name, "Full");
  ASSERT_TRUE(registry_->CreateGroup("Empty", "again").ok()) << "a deleted group's name is free again";
  EXPECT_EQ(Register("Empty").version, 1);
}

TEST_F(RegistryTest, ApproveRecordsWhoWhenAndWhy) {
  Register("A");
  clock_.Set(1'800'000'000'000);
  auto v = registry_->Approve("A", 1, "looks good", "ana").value();
  EXPECT_EQ(v.approval_status, "Approved");
  auto stored = registry_->Get("A", 1).value();
  EXPECT_EQ(stored.approval_comment, "looks good");
  EXPECT_EQ(stored.approved_by, "ana");
  EXPECT_EQ(stored.approval_changed_at, 1'800'000'000'000);
}

TEST_F(RegistryTest, ApprovingTwiceFailsAndChangesNothing) {
  Register("A");
  ASSERT_TRUE(registry_->Approve("A", 1, "first", "ana").ok());
  auto events_before = metadata_->ListEvents(0, 1000)->size();
  auto again = registry_->Approve("A", 1, "second", "bob");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(again.status().message().find("A/1"), std::string::npos);
  auto stored = registry_->Get("A", 1).value();
  EXPECT_EQ(stored.approval_comment, "first");
  EXPECT_EQ(stored.approved_by, "ana");
  EXPECT_EQ(metadata_->ListEvents(0, 1000)->size(), events_before);
}

TEST_F(RegistryTest, UnknownVersionOrGroupIsNotFound) {
  Register("A");
  auto v = registry_->Reject("A", 7, "", "ana");
  EXPECT_EQ(v.status().code(), StatusCode::kNotFound);
  auto g = registry_->Approve("Nope", 1, "", "ana");
  EXPECT_EQ(g.status().code(), StatusCode::kNotFound);
}

TEST_F(RegistryTest, RejectAfterApproveAndEveryChangeIsAnEvent) {
  Register("A");
  ASSERT_TRUE(registry_->Approve("A", 1, "ok", "ana").ok());
  ASSERT_TRUE(registry_->Reject("A", 1, "drift", "bob").ok());
  int approvals = 0, created = 0;
  for (const auto& e : *metadata_->ListEvents(0, 1000)) {
    approvals += e.kind == "model.approval";
    created += e.kind == "model.created";
  }
  EXPECT_EQ(created, 1);
  EXPECT_EQ(approvals, 2);
  EXPECT_EQ(registry_->Get("A", 1)->approval_status, "Rejected");
}

TEST_F(RegistryTest, RejectsAnUnknownInitialStatus) {
  store::ModelVersionRecord v;
  v.group = "A";
  v.approval_status = "Maybe";
  EXPECT_EQ(registry_->Register(v).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(registry_->Groups()->size(), 0u);
}

TEST_F(RegistryTest, RegisterStoresEveryFieldAndAppendsModelCreated) {
  clock_.Set(1'800'000'000'000);
  store::ModelVersionRecord v;
  v.group = "Abalone";
  v.version = 99;  // Ignored: the registry numbers versions.
  v.model_digest = "digest";
  v.metrics = {{"model_quality", "report"}};
  v.metadata = {{"algorithm", "xgboost"}};
  v.execution_id = "e1";
  v.step_name = "Register";
  auto stored = registry_->Register(v);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->version, 1);
  EXPECT_EQ(stored->created_at, 1'800'000'000'000);
  EXPECT_EQ(stored->approval_changed_at, 0);  // Pending: never changed.
  auto got = registry_->Get("Abalone", 1).value();
  EXPECT_EQ(got.metrics["model_quality"], "report");
  EXPECT_EQ(got.metadata["algorithm"], "xgboost");
  EXPECT_EQ(got.step_name, "Register");
  auto events = metadata_->ListEvents(0, 0).value();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].kind, store::kEventModelCreated);
  EXPECT_EQ(events[0].subject, "Abalone/1");
  EXPECT_EQ(events[0].payload, Json({{"group", "Abalone"},
                                     {"version", 1},
                                     {"approval_status", "PendingManualApproval"},
                                     {"model_digest", "digest"},
                                     {"execution_id", "e1"}}));
  auto approved = Register("Abalone", "Approved");
  EXPECT_EQ(approved.approval_changed_at, approved.created_at);
}

TEST_F(RegistryTest, ApprovalEventSaysWhatChangedAndWhoChangedIt) {
  Register("AbalonePackageGroup");
  ASSERT_TRUE(registry_->Approve("AbalonePackageGroup", 1, "mse ok", "alice").ok());
  store::EventRecord e = metadata_->ListEvents(0, 0)->back();
  EXPECT_EQ(e.kind, store::kEventModelApproval);
  EXPECT_EQ(e.subject, "AbalonePackageGroup/1");
  EXPECT_EQ(e.payload, Json({{"group", "AbalonePackageGroup"},
                             {"version", 1},
                             {"status", "Approved"},
                             {"previous_status", "PendingManualApproval"},
                             {"comment", "mse ok"},
                             {"by", "alice"}}));
  ASSERT_TRUE(registry_->Reject("AbalonePackageGroup", 1, "drift", "").ok());
  e = metadata_->ListEvents(0, 0)->back();
  EXPECT_EQ(e.payload["previous_status"], "Approved");
  EXPECT_EQ(e.payload["by"], "unknown");
  EXPECT_EQ(registry_->Get("AbalonePackageGroup", 1)->approved_by, "unknown");
}

TEST_F(RegistryTest, NotFoundMessagesSayWhatExists) {
  Register("A");
  Register("X");
  Register("X");
  auto no_group = registry_->Approve("Y", 1, "", "ana");
  EXPECT_EQ(no_group.status().message(), "no model group 'Y' (groups: A, X)");
  auto no_version = registry_->Approve("X", 7, "", "ana");
  EXPECT_EQ(no_version.status().message(), "no version 7 in model group 'X' (versions 1-2)");
}

// Regression (issue 8): `bad group/x` was accepted as a model group name,
// although "/" separates group and version everywhere. Group names follow the
// endpoint-name rule.
TEST_F(RegistryTest, ModelGroupNamesAreValidatedLikeEndpointNames) {
  for (const std::string& name :
       std::vector<std::string>{"", "bad group/x", "a/b", "-a", "a-", "under_score", "dot.ted", std::string(64, 'a')}) {
    store::ModelVersionRecord v;
    v.group = name;
    Status s = registry_->Register(v).status();
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << name;
    EXPECT_NE(s.message().find("model group name '" + name + "' is not valid"), std::string::npos) << s.message();
  }
  EXPECT_EQ(registry_->Groups()->size(), 0u);
  EXPECT_TRUE(metadata_->ListEvents(0, 0)->empty());
  for (const std::string& name : std::vector<std::string>{"AbalonePackageGroup", "sklearn-multimodel-iris", "a",
                                                          std::string(63, 'a')}) {
    EXPECT_EQ(Register(name).version, 1) << name;
  }
}

// A registration inside the caller's transaction commits or rolls back with it.
TEST_F(RegistryTest, RegisterInsideACallersTransactionRollsBackWithIt) {
  Status s = metadata_->Transact([&](store::StoreTransaction& txn) -> Status {
    store::ModelVersionRecord v;
    v.group = "A";
    RETURN_IF_ERROR(registry_->Register(txn, v).status());
    RETURN_IF_ERROR(registry_->Approve(txn, "A", 1, "", "ana").status());
    return Status::Internal("the step run could not be recorded");
  });
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_TRUE(registry_->Groups()->empty());
  EXPECT_TRUE(metadata_->ListEvents(0, 0)->empty());
  EXPECT_EQ(Register("A").version, 1);
}

// The store's contract seen through the registry: two processes registering
// into one group at once get every number from 1 to 100 exactly once.
TEST_F(RegistryTest, TwoProcessesRegisteringConcurrentlyGetUniqueGapFreeVersions) {
  constexpr int kPerProcess = 50;
  std::string path = (dir_.path() / "shared.db").string();
  store::RunInProcesses(2, [&](int p) {
    auto store = store::OpenSqliteMetadataStore(path);
    bool ok = store.ok();
    Registry registry(ok ? store->get() : nullptr, SystemClock::Default());
    for (int i = 0; ok && i < kPerProcess; ++i) {
      store::ModelVersionRecord v;
      v.group = "Shared";
      v.step_name = "process" + std::to_string(p);
      ok = registry.Register(v).ok();
    }
    return ok;
  });
  auto store = store::OpenSqliteMetadataStore(path).value();
  auto versions = Registry(store.get(), &clock_).Versions("Shared").value();
  ASSERT_EQ(versions.size(), 2u * kPerProcess);
  std::map<std::string, int> per_process;
  for (size_t i = 0; i < versions.size(); ++i) {
    EXPECT_EQ(versions[i].version, static_cast<int>(i) + 1);
    per_process[versions[i].step_name]++;
  }
  EXPECT_EQ(per_process["process0"], kPerProcess);
  EXPECT_EQ(per_process["process1"], kPerProcess);
  size_t created = 0;
  for (const auto& e : store->ListEvents(0, 0).value()) created += e.kind == store::kEventModelCreated;
  EXPECT_EQ(created, 2u * kPerProcess);
}

TEST(ParseVersionRefTest, AcceptsGroupSlashNumberOnly) {
  auto ok = Registry::ParseVersionRef("AbalonePackageGroup/12").value();
  EXPECT_EQ(ok.first, "AbalonePackageGroup");
  EXPECT_EQ(ok.second, 12);
  EXPECT_FALSE(Registry::ParseVersionRef("AbalonePackageGroup").ok());
  EXPECT_FALSE(Registry::ParseVersionRef("G/0").ok());
  EXPECT_FALSE(Registry::ParseVersionRef("G/x1").ok());
  EXPECT_FALSE(Registry::ParseVersionRef("/3").ok());
}

TEST(ParseVersionRefTest, ReadsBackWhatVersionRefWrites) {
  for (int version : {1, 9, 10, 123456, 999999999}) {  // ParseVersionRef stops near 10^9.
    for (const std::string& group : {std::string("G"), std::string("AbalonePackageGroup"), std::string(300, 'g')}) {
      std::string ref = store::VersionRef(group, version);
      EXPECT_EQ(ref, group + "/" + std::to_string(version));
      auto parsed = Registry::ParseVersionRef(ref).value();
      EXPECT_EQ(parsed.first, group);
      EXPECT_EQ(parsed.second, version);
    }
  }
}

}  // namespace
}  // namespace grove::registry
