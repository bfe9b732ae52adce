#include "store/metadata_store.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "store/store_test_fixture.h"

namespace grove::store {
namespace {

// The model registry's rows (the rules are registry::Registry's, tested there).
template <typename Backend>
class ModelStoreTest : public StoreTest<Backend> {};
TYPED_TEST_SUITE(ModelStoreTest, StoreBackends, BackendNames);

TYPED_TEST(ModelStoreTest, RowsRoundTripEveryField) {
  ModelVersionRecord v;
  v.group = "Abalone";
  v.version = 1;
  v.approval_status = kApproved;
  v.approval_comment = "mse ok";
  v.approved_by = "alice";
  v.approval_changed_at = 4242;
  v.model_digest = FakeDigest("model");
  v.metrics = Json{{"model_quality", FakeDigest("report")}};
  v.metadata = Json{{"algorithm", "xgboost"}};
  v.execution_id = "e1";
  v.step_name = "Register";
  v.created_at = 4000;
  Status s = this->store_->Transact([&](StoreTransaction& txn) -> Status {
    RETURN_IF_ERROR(txn.PutModelGroup({"Abalone", "ring counts", 0, 3000}));
    return txn.PutModelVersion(v);
  });
  ASSERT_TRUE(s.ok()) << s.ToString();

  auto got = this->store_->GetModelVersion("Abalone", 1);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->approval_status, kApproved);
  EXPECT_EQ(got->approval_comment, "mse ok");
  EXPECT_EQ(got->approved_by, "alice");
  EXPECT_EQ(got->approval_changed_at, 4242);
  EXPECT_EQ(got->model_digest, FakeDigest("model"));
  EXPECT_EQ(got->metrics["model_quality"], FakeDigest("report"));
  EXPECT_EQ(got->metadata["algorithm"], "xgboost");
  EXPECT_EQ(got->execution_id, "e1");
  EXPECT_EQ(got->step_name, "Register");
  EXPECT_EQ(got->created_at, 4000);
  auto groups = this->store_->ListModelGroups();
  ASSERT_EQ(groups->size(), 1u);
  EXPECT_EQ((*groups)[0].description, "ring counts");
  EXPECT_EQ((*groups)[0].version_count, 1);
  EXPECT_EQ((*groups)[0].created_at, 3000);

  v.approval_status = kRejected;  // Put replaces the row of (group, version).
  ASSERT_TRUE(this->store_->Transact([&](StoreTransaction& txn) { return txn.PutModelVersion(v); }).ok());
  EXPECT_EQ(this->store_->GetModelVersion("Abalone", 1)->approval_status, kRejected);
  EXPECT_EQ(this->store_->ListModelVersions("Abalone")->size(), 1u);
}

TYPED_TEST(ModelStoreTest, VersionsAreNumberedPerGroupFromOne) {
  EXPECT_EQ(this->AddVersionRow("Abalone"), 1);
  EXPECT_EQ(this->AddVersionRow("Abalone"), 2);
  EXPECT_EQ(this->AddVersionRow("Churn"), 1);
  auto groups = this->store_->ListModelGroups();
  ASSERT_EQ(groups->size(), 2u);
  EXPECT_EQ((*groups)[0].name, "Abalone");  // By name.
  EXPECT_EQ((*groups)[0].version_count, 2);
  auto versions = this->store_->ListModelVersions("Abalone");
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_EQ((*versions)[1].version, 2);  // Ascending.
}

// A number taken by a transaction that rolls back is not used: the next one gets it.
TYPED_TEST(ModelStoreTest, ARolledBackVersionLeavesNoGap) {
  ASSERT_EQ(this->AddVersionRow("G"), 1);
  Status failed = this->store_->Transact([&](StoreTransaction& txn) -> Status {
    ModelVersionRecord v;
    v.group = "G";
    ASSIGN_OR_RETURN(v.version, txn.NextModelVersion("G"));
    RETURN_IF_ERROR(txn.PutModelVersion(v));
    return Status::FailedPrecondition("changed my mind");
  });
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(this->AddVersionRow("G"), 2);
}

TYPED_TEST(ModelStoreTest, NotFoundMessagesSayWhatExists) {
  this->AddVersionRow("A");
  this->AddVersionRow("B");
  for (int i = 0; i < 3; ++i) this->AddVersionRow("X");

  auto no_group = this->store_->GetModelVersion("Y", 1);
  EXPECT_EQ(no_group.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(no_group.status().message(), "no model group 'Y' (groups: A, B, X)");
  EXPECT_EQ(this->store_->ListModelVersions("Y").status().message(), "no model group 'Y' (groups: A, B, X)");
  auto no_version = this->store_->GetModelVersion("X", 7);
  EXPECT_EQ(no_version.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(no_version.status().message(), "no version 7 in model group 'X' (versions 1-3)");
}

TYPED_TEST(ModelStoreTest, ConcurrentThreadsGetEachVersionExactlyOnce) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 25;
  std::vector<std::vector<int>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::unique_ptr<MetadataStore> own = t % 2 == 0 ? nullptr : this->Open();  // Shared and own connections.
      MetadataStore& store = own != nullptr ? *own : *this->store_;
      for (int i = 0; i < kPerThread; ++i) got[t].push_back(this->AddVersionRow(store, "G"));
    });
  }
  for (auto& th : threads) th.join();
  std::multiset<int> all;
  for (const auto& g : got) all.insert(g.begin(), g.end());
  ASSERT_EQ(all.size(), 100u);
  for (int v = 1; v <= 100; ++v) EXPECT_EQ(all.count(v), 1u) << "version " << v;
  EXPECT_EQ(this->store_->ListModelVersions("G")->back().version, 100);
}

// The contract with several processes: two processes, each with its own
// connection, open one new store at once (both create and migrate it) and
// number versions of one group concurrently.
TYPED_TEST(ModelStoreTest, ConcurrentProcessesGetEachVersionExactlyOnce) {
  constexpr int kPerProcess = 50;
  this->store_.reset();  // No connection crosses fork().
  TempDir shared;
  RunInProcesses(2, [&](int p) {
    auto store = TypeParam::Open(shared.path(), {});
    bool ok = store.ok();
    if (!ok) std::fprintf(stderr, "process %d: %s\n", p, store.status().ToString().c_str());
    for (int i = 0; ok && i < kPerProcess; ++i) {
      ok = this->AddVersionRow(**store, "G", kApproved, "process" + std::to_string(p)) > 0;
    }
    return ok;
  });
  auto reopened = TypeParam::Open(shared.path(), {});
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

TYPED_TEST(ModelStoreTest, VersionsPageFromACursorEitherWay) {
  Status s = this->store_->Transact([&](StoreTransaction& txn) -> Status {
    RETURN_IF_ERROR(txn.PutModelGroup({"G", "", 0, 1}));
    RETURN_IF_ERROR(txn.PutModelGroup({"Other", "", 0, 1}));
    for (int v = 1; v <= 7; ++v) {
      ModelVersionRecord r;
      r.group = "G";
      r.version = v;
      r.approval_status = v == 2 ? kApproved : kPendingManualApproval;
      r.approval_changed_at = v == 2 ? 20 : 0;
      r.created_at = 10 * v;
      r.model_digest = "d";
      RETURN_IF_ERROR(txn.PutModelVersion(r));
    }
    return Status::OK();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto versions = [&](int after, int limit, bool descending) {
    std::vector<int> out;
    auto rows = ReadValue(*this->store_, [&](StoreReader& r) {
      return r.ListModelVersionsAfter("G", after, limit, descending);
    });
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    if (rows.ok()) {
      for (const auto& v : *rows) out.push_back(v.version);
    }
    return out;
  };
  EXPECT_EQ(versions(0, 3, false), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(versions(3, 3, false), (std::vector<int>{4, 5, 6}));
  EXPECT_EQ(versions(6, 3, false), (std::vector<int>{7}));
  EXPECT_EQ(versions(0, 3, true), (std::vector<int>{7, 6, 5}));
  EXPECT_EQ(versions(5, 0, true), (std::vector<int>{4, 3, 2, 1}));
  auto page = ReadValue(*this->store_, [&](StoreReader& r) { return r.ListModelVersionsAfter("G", 1, 1, false); });
  ASSERT_TRUE(page.ok() && page->size() == 1u);
  const ModelVersionRecord& summary = page->front();
  EXPECT_EQ(summary.group, "G");
  EXPECT_EQ(summary.approval_status, kApproved);
  EXPECT_EQ(summary.approval_changed_at, 20);
  EXPECT_EQ(summary.created_at, 20);
  EXPECT_EQ(summary.model_digest, "") << "a summary leaves what a listing does not show";
  auto groups = this->store_->ListModelGroups();
  ASSERT_TRUE(groups.ok());
  EXPECT_EQ((*groups)[0].name, "G");
  EXPECT_EQ((*groups)[0].version_count, 7);
  EXPECT_EQ((*groups)[1].version_count, 0) << "a group without versions counts none";
}

}  // namespace
}  // namespace grove::store
