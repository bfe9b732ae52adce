#include "registry/registry.h"

#include <gtest/gtest.h>

#include "common/file_util.h"

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

TEST(ParseVersionRefTest, AcceptsGroupSlashNumberOnly) {
  auto ok = Registry::ParseVersionRef("AbalonePackageGroup/12").value();
  EXPECT_EQ(ok.first, "AbalonePackageGroup");
  EXPECT_EQ(ok.second, 12);
  EXPECT_FALSE(Registry::ParseVersionRef("AbalonePackageGroup").ok());
  EXPECT_FALSE(Registry::ParseVersionRef("G/0").ok());
  EXPECT_FALSE(Registry::ParseVersionRef("G/x1").ok());
  EXPECT_FALSE(Registry::ParseVersionRef("/3").ok());
}

}  // namespace
}  // namespace grove::registry
