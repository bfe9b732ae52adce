#include "store/metadata_store.h"

#include <gtest/gtest.h>

#include "common/sha256.h"
#include "store/store_test_fixture.h"

namespace grove::store {
namespace {

template <typename Backend>
class PipelineStoreTest : public StoreTest<Backend> {};
TYPED_TEST_SUITE(PipelineStoreTest, StoreBackends, BackendNames);

TYPED_TEST(PipelineStoreTest, NewBodiesBecomeNewVersionsAndEqualBodiesReuseTheLatest) {
  EXPECT_EQ(this->PutPipeline("abalone", "a: 1"), 1);
  EXPECT_EQ(this->PutPipeline("abalone", "a: 1"), 1);
  EXPECT_EQ(this->PutPipeline("abalone", "a: 2"), 2);
  EXPECT_EQ(this->PutPipeline("abalone", "a: 1"), 3);  // Only the latest counts as "unchanged".
  EXPECT_EQ(this->PutPipeline("churn", "b"), 1);

  auto p = this->store_->GetPipeline("abalone");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->latest_version, 3);
  auto def = this->store_->GetDefinition("abalone", 2);
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(def->body, "a: 2");
  EXPECT_EQ(def->digest, Sha256::Of("a: 2"));
  EXPECT_EQ(def->source_path, "abalone.yaml");
  EXPECT_EQ(def->created_at, this->clock_.Now());
  auto latest = this->store_->GetDefinition("abalone", 0);
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->version, 3);
  EXPECT_EQ(latest->body, "a: 1");
}

TYPED_TEST(PipelineStoreTest, ADeletedPipelineIsGoneButItsHistoryStaysAndItsNameComesBack) {
  ExecutionRecord running = this->MakeExecution("e1");
  this->PutPipeline("q", "q: 1");
  Status refused = this->store_->DeletePipeline("p");
  EXPECT_EQ(refused.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.message().find("Executing (e1)"), std::string::npos) << refused.message();
  ASSERT_TRUE(this->store_->UpdateExecutionStatus("e1", kSucceeded, "", this->clock_.Now()).ok());

  this->clock_.Advance(1000);
  ASSERT_TRUE(this->store_->DeletePipeline("p").ok());
  auto gone = this->store_->GetPipeline("p");
  EXPECT_EQ(gone.status().code(), StatusCode::kNotFound);
  EXPECT_NE(gone.status().message().find("it was deleted"), std::string::npos) << gone.status().message();
  EXPECT_EQ(this->store_->GetDefinition("p", 1).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(this->store_->DeletePipeline("p").code(), StatusCode::kNotFound);
  ASSERT_EQ(this->store_->ListPipelines()->size(), 1u);
  EXPECT_EQ(this->store_->ListPipelines()->at(0).name, "q");
  EXPECT_EQ(this->store_->GetExecution("e1")->status, kSucceeded) << "executions stay";
  auto events = this->store_->ListEvents(0, 0);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->back().kind, kEventPipelineDeleted);
  EXPECT_EQ(events->back().subject, "p");

  this->clock_.Advance(1000);
  EXPECT_EQ(this->PutPipeline("p", "p: 2"), 2) << "numbering continues, so old executions keep their versions";
  auto back = this->store_->GetPipeline("p");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->deleted_at, 0);
  EXPECT_EQ(back->created_at, this->clock_.Now());
  EXPECT_EQ(this->store_->ListPipelines()->size(), 2u);
  (void)running;
}

TYPED_TEST(PipelineStoreTest, EachNewVersionIsAnEvent) {
  this->PutPipeline("abalone", "a: 1");
  this->PutPipeline("abalone", "a: 1");
  this->PutPipeline("abalone", "a: 2");
  auto events = this->Events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].kind, kEventPipelineVersion);
  EXPECT_EQ(events[1].subject, "abalone");
  EXPECT_EQ(events[1].payload["version"], 2);
  EXPECT_EQ(events[1].payload["digest"], Sha256::Of("a: 2"));
}

TYPED_TEST(PipelineStoreTest, DescriptionIsKeptAndReplacedOnlyWhenGiven) {
  DefinitionRecord def{"abalone", 0, "", "a: 1", "", 0};
  ASSERT_TRUE(this->store_->PutDefinition(def, "first").ok());
  def.body = "a: 2";
  ASSERT_TRUE(this->store_->PutDefinition(def, "").ok());
  EXPECT_EQ(this->store_->GetPipeline("abalone")->description, "first");
  ASSERT_TRUE(this->store_->PutDefinition(def, "second").ok());
  EXPECT_EQ(this->store_->GetPipeline("abalone")->description, "second");
}

TYPED_TEST(PipelineStoreTest, ListIsByName) {
  this->PutPipeline("zeta");
  this->PutPipeline("alpha");
  auto all = this->store_->ListPipelines();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "alpha");
  EXPECT_EQ((*all)[1].name, "zeta");
}

TYPED_TEST(PipelineStoreTest, NotFoundNamesWhatExists) {
  this->PutPipeline("abalone", "a: 1");
  this->PutPipeline("abalone", "a: 2");
  this->PutPipeline("churn");
  auto missing = this->store_->GetPipeline("nope");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "no pipeline 'nope' (pipelines: abalone, churn)");
  auto bad_version = this->store_->GetDefinition("abalone", 7);
  EXPECT_EQ(bad_version.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(bad_version.status().message(), "no version 7 of pipeline 'abalone' (versions 1-2)");
  EXPECT_EQ(this->store_->GetDefinition("nope", 0).status().code(), StatusCode::kNotFound);
}

TYPED_TEST(PipelineStoreTest, EmptyPipelineNameIsRejected) {
  DefinitionRecord def;
  def.body = "x";
  EXPECT_EQ(this->store_->PutDefinition(def, "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(this->store_->ListPipelines()->empty());
}

}  // namespace
}  // namespace grove::store
