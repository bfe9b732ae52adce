#include "store/pipeline_table.h"

#include <gtest/gtest.h>

#include "common/sha256.h"
#include "store/sqlite_test_fixture.h"

namespace grove::store {
namespace {

using PipelineTableTest = SqliteStoreTest;

TEST_F(PipelineTableTest, NewBodiesBecomeNewVersionsAndEqualBodiesReuseTheLatest) {
  EXPECT_EQ(PutPipeline("abalone", "a: 1"), 1);
  EXPECT_EQ(PutPipeline("abalone", "a: 1"), 1);
  EXPECT_EQ(PutPipeline("abalone", "a: 2"), 2);
  EXPECT_EQ(PutPipeline("abalone", "a: 1"), 3);  // Only the latest counts as "unchanged".
  EXPECT_EQ(PutPipeline("churn", "b"), 1);

  auto p = store_->GetPipeline("abalone");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->latest_version, 3);
  auto def = store_->GetDefinition("abalone", 2);
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(def->body, "a: 2");
  EXPECT_EQ(def->digest, Sha256::Of("a: 2"));
  EXPECT_EQ(def->source_path, "abalone.yaml");
  EXPECT_EQ(def->created_at, clock_.Now());
  auto latest = store_->GetDefinition("abalone", 0);
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(latest->version, 3);
  EXPECT_EQ(latest->body, "a: 1");
}

TEST_F(PipelineTableTest, EachNewVersionIsAnEvent) {
  PutPipeline("abalone", "a: 1");
  PutPipeline("abalone", "a: 1");
  PutPipeline("abalone", "a: 2");
  auto events = Events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].kind, kEventPipelineVersion);
  EXPECT_EQ(events[1].subject, "abalone");
  EXPECT_EQ(events[1].payload["version"], 2);
  EXPECT_EQ(events[1].payload["digest"], Sha256::Of("a: 2"));
}

TEST_F(PipelineTableTest, DescriptionIsKeptAndReplacedOnlyWhenGiven) {
  DefinitionRecord def{"abalone", 0, "", "a: 1", "", 0};
  ASSERT_TRUE(store_->PutDefinition(def, "first").ok());
  def.body = "a: 2";
  ASSERT_TRUE(store_->PutDefinition(def, "").ok());
  EXPECT_EQ(store_->GetPipeline("abalone")->description, "first");
  ASSERT_TRUE(store_->PutDefinition(def, "second").ok());
  EXPECT_EQ(store_->GetPipeline("abalone")->description, "second");
}

TEST_F(PipelineTableTest, ListIsByName) {
  PutPipeline("zeta");
  PutPipeline("alpha");
  auto all = store_->ListPipelines();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "alpha");
  EXPECT_EQ((*all)[1].name, "zeta");
}

TEST_F(PipelineTableTest, NotFoundNamesWhatExists) {
  PutPipeline("abalone", "a: 1");
  PutPipeline("abalone", "a: 2");
  PutPipeline("churn");
  auto missing = store_->GetPipeline("nope");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "no pipeline 'nope' (pipelines: abalone, churn)");
  auto bad_version = store_->GetDefinition("abalone", 7);
  EXPECT_EQ(bad_version.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(bad_version.status().message(), "no version 7 of pipeline 'abalone' (versions 1-2)");
  EXPECT_EQ(store_->GetDefinition("nope", 0).status().code(), StatusCode::kNotFound);
}

TEST_F(PipelineTableTest, EmptyPipelineNameIsRejected) {
  DefinitionRecord def;
  def.body = "x";
  EXPECT_EQ(store_->PutDefinition(def, "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(store_->ListPipelines()->empty());
}

}  // namespace
}  // namespace grove::store
