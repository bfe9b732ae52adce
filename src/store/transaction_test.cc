#include "store/metadata_store.h"

#include <gtest/gtest.h>

#include "store/store_test_fixture.h"

namespace grove::store {
namespace {

// Transact and Read themselves: what every backend's transactions guarantee.
template <typename Backend>
class TransactionStoreTest : public StoreTest<Backend> {};
TYPED_TEST_SUITE(TransactionStoreTest, StoreBackends, BackendNames);

TYPED_TEST(TransactionStoreTest, AnErrorRollsBackEveryWriteOfTheTransaction) {
  this->MakeExecution("e1");
  size_t events_before = this->Events().size();
  Status s = this->store_->Transact([&](StoreTransaction& txn) -> Status {
    RETURN_IF_ERROR(txn.PutPipeline({"q", "", 0, 1, 1}));
    RETURN_IF_ERROR(txn.PutStepRun(this->MakeRun("e1", "Train", kExecuting)));
    RETURN_IF_ERROR(txn.InsertArtifact(FakeArtifact("a")));
    RETURN_IF_ERROR(txn.PutModelGroup({"G", "", 0, 1}));
    RETURN_IF_ERROR(txn.AppendEvent(1, "test.event", "s", Json::object()).status());
    return Status::FailedPrecondition("changed my mind");
  });
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "changed my mind");
  EXPECT_EQ(this->store_->GetPipeline("q").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(this->store_->ListStepRuns("e1")->empty());
  EXPECT_EQ(this->store_->GetArtifact(FakeDigest("a")).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(this->store_->ListModelGroups()->empty());
  EXPECT_EQ(this->Events().size(), events_before);
  EXPECT_TRUE(this->store_->Transact([](StoreTransaction& txn) { return txn.PutModelGroup({"G", "", 0, 1}); }).ok());
  EXPECT_EQ(this->store_->ListModelGroups()->size(), 1u);  // The store is usable again.
}

TYPED_TEST(TransactionStoreTest, WritesAreVisibleInsideTheirTransaction) {
  auto seen = TransactValue(*this->store_, [&](StoreTransaction& txn) -> Result<std::string> {
    RETURN_IF_ERROR(txn.PutPipeline({"q", "described", 0, 1, 1}));
    ASSIGN_OR_RETURN(std::optional<PipelineRecord> p, txn.FindPipeline("q"));
    return p ? p->description : std::string("missing");
  });
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  EXPECT_EQ(*seen, "described");
}

TYPED_TEST(TransactionStoreTest, ReadValuePassesResultsAndErrorsThrough) {
  this->PutPipeline("p");
  auto count = ReadValue(*this->store_, [](StoreReader& rows) -> Result<size_t> {
    ASSIGN_OR_RETURN(std::vector<PipelineRecord> all, rows.ListPipelines());
    return all.size();
  });
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 1u);
  auto error = ReadValue(*this->store_, [](StoreReader&) -> Result<int> { return Status::NotFound("none"); });
  EXPECT_EQ(error.status().code(), StatusCode::kNotFound);
}

// Another connection (as another process) sees a transaction's writes only
// once it has committed, all of them at once.
TYPED_TEST(TransactionStoreTest, OtherConnectionsSeeCommittedWritesWhole) {
  std::unique_ptr<MetadataStore> other = this->Open();
  ASSERT_NE(other, nullptr);
  Status s = this->store_->Transact([&](StoreTransaction& txn) -> Status {
    RETURN_IF_ERROR(txn.PutModelGroup({"A", "", 0, 1}));
    RETURN_IF_ERROR(txn.PutModelGroup({"B", "", 0, 1}));
    auto during = other->ListModelGroups();  // Another connection: not a nested transaction.
    EXPECT_TRUE(during.ok()) << during.status().ToString();
    EXPECT_TRUE(during.ok() && during->empty());
    return Status::OK();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(other->ListModelGroups()->size(), 2u);
}

}  // namespace
}  // namespace grove::store
