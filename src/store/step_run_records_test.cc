#include "store/metadata_store.h"

#include <gtest/gtest.h>

#include "store/store_test_fixture.h"

namespace grove::store {
namespace {

template <typename Backend>
class StepRunStoreTest : public StoreTest<Backend> {};
TYPED_TEST_SUITE(StepRunStoreTest, StoreBackends, BackendNames);

size_t CountKind(const std::vector<EventRecord>& events, const std::string& kind) {
  size_t n = 0;
  for (const EventRecord& e : events) n += e.kind == kind ? 1 : 0;
  return n;
}

TYPED_TEST(StepRunStoreTest, PutInsertsThenUpdatesTheRun) {
  this->MakeExecution("e1");
  StepRunRecord run = this->MakeRun("e1", "Train", kStarting);
  ASSERT_TRUE(this->store_->PutStepRun(run, {}, {}).ok());
  EXPECT_EQ(this->store_->GetStepRun("e1", "Train")->arguments, Json::object());  // Not resolved yet.
  run.status = kSucceeded;
  run.attempts = 2;
  run.arguments = Json{{"train", "artifact:sha256:" + FakeDigest("d")}, {"hyperparameters", {{"eta", 0.2}}}};
  run.ended_at = 777;
  run.cache_key = "key";
  run.metadata = Json{{"model_version", {{"group", "G"}, {"version", 3}}}};
  run.outputs = Json{{"model", FakeDigest("m")}};
  ASSERT_TRUE(this->store_->PutStepRun(run, {}, {}).ok());

  auto runs = this->store_->ListStepRuns("e1");
  ASSERT_TRUE(runs.ok()) << runs.status().ToString();
  ASSERT_EQ(runs->size(), 1u);
  const StepRunRecord& got = (*runs)[0];
  EXPECT_EQ(got.status, kSucceeded);
  EXPECT_EQ(got.attempts, 2);
  EXPECT_EQ(got.ended_at, 777);
  EXPECT_EQ(got.step_type, "Processing");
  EXPECT_EQ(got.metadata["model_version"]["version"], 3);
  EXPECT_EQ(got.outputs["model"], FakeDigest("m"));
  EXPECT_EQ(got.arguments, run.arguments);
  EXPECT_EQ(this->store_->GetStepRun("e1", "Train")->arguments, run.arguments);
}

TYPED_TEST(StepRunStoreTest, StepStatusEventsOnlyWhenTheStatusChanges) {
  this->MakeExecution("e1");
  StepRunRecord run = this->MakeRun("e1", "Train", kStarting);
  ASSERT_TRUE(this->store_->PutStepRun(run, {}, {}).ok());
  run.attempts = 2;
  ASSERT_TRUE(this->store_->PutStepRun(run, {}, {}).ok());  // Same status: no event.
  run.status = kExecuting;
  ASSERT_TRUE(this->store_->PutStepRun(run, {}, {}).ok());
  auto events = this->Events();
  ASSERT_EQ(CountKind(events, kEventStepStatus), 2u);
  EXPECT_EQ(events.back().subject, "e1");
  EXPECT_EQ(events.back().payload, Json({{"execution_id", "e1"}, {"step", "Train"}, {"status", "Executing"}}));
}

TYPED_TEST(StepRunStoreTest, PutRejectsUnknownExecutionAndStatus) {
  Status s = this->store_->PutStepRun(this->MakeRun("nope", "Train", kStarting), {}, {});
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "no execution 'nope'");
  this->MakeExecution("e1");
  EXPECT_EQ(this->store_->PutStepRun(this->MakeRun("e1", "Train", "Running"), {}, {}).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(this->store_->ListStepRuns("e1")->empty());
}

TYPED_TEST(StepRunStoreTest, ArtifactsAndLineageAreRecordedAndReplaced) {
  this->MakeExecution("e1");
  ArtifactRecord data = FakeArtifact("data");
  ArtifactRecord model = FakeArtifact("model");
  StepRunRecord train = this->MakeRun("e1", "Train", kSucceeded);
  std::vector<ArtifactLink> links = {{"e1", "Train", "input", "train", data.digest},
                                     {"e1", "Train", "output", "model", model.digest}};
  ASSERT_TRUE(this->store_->PutStepRun(train, {data, model, data}, links).ok());
  StepRunRecord eval = this->MakeRun("e1", "Eval", kSucceeded);
  ASSERT_TRUE(this->store_->PutStepRun(eval, {}, {{"e1", "Eval", "input", "model", model.digest}}).ok());

  auto stored = this->store_->GetArtifact(model.digest);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->uri, model.uri);
  EXPECT_EQ(stored->created_at, this->clock_.Now());
  auto model_links = this->store_->ListArtifactLinks(model.digest);
  ASSERT_TRUE(model_links.ok());
  ASSERT_EQ(model_links->size(), 2u);
  EXPECT_EQ((*model_links)[0].role, "output");  // Producer first.
  EXPECT_EQ((*model_links)[0].step_name, "Train");
  EXPECT_EQ((*model_links)[1].step_name, "Eval");

  // Recording Train again with only its output replaces its earlier links.
  ASSERT_TRUE(this->store_->PutStepRun(train, {}, {links[1]}).ok());
  EXPECT_TRUE(this->store_->ListArtifactLinks(data.digest)->empty());
  EXPECT_EQ(this->store_->ListArtifactLinks(model.digest)->size(), 2u);
}

TYPED_TEST(StepRunStoreTest, ArtifactLookupsNameTheDigest) {
  auto missing = this->store_->GetArtifact("abc");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "no artifact 'abc'");
  EXPECT_EQ(this->store_->ListArtifactLinks("abc").status().code(), StatusCode::kNotFound);
}

// A failure late in PutStepRun (the links) must undo the artifacts and the
// step run written earlier in the same transaction.
TYPED_TEST(StepRunStoreTest, FailedPutLeavesNothingBehind) {
  this->MakeExecution("e1");
  ArtifactRecord model = FakeArtifact("model");
  size_t events_before = this->Events().size();
  StepRunRecord run = this->MakeRun("e1", "Train", kSucceeded);

  Status foreign = this->store_->PutStepRun(run, {model}, {{"zzz", "Train", "output", "model", model.digest}});
  EXPECT_EQ(foreign.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(foreign.message().find("names step run zzz/Train"), std::string::npos) << foreign.message();

  Status unknown = this->store_->PutStepRun(run, {model}, {{"e1", "Train", "input", "data", FakeDigest("nope")}});
  EXPECT_EQ(unknown.code(), StatusCode::kNotFound);
  EXPECT_NE(unknown.message().find("which is not stored"), std::string::npos) << unknown.message();

  Status bad_role = this->store_->PutStepRun(run, {model}, {{"e1", "Train", "made", "model", model.digest}});
  EXPECT_EQ(bad_role.code(), StatusCode::kInvalidArgument);

  EXPECT_EQ(this->store_->GetArtifact(model.digest).status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(this->store_->ListStepRuns("e1")->empty());
  EXPECT_EQ(this->Events().size(), events_before);  // The step.status event rolled back too.
}

TYPED_TEST(StepRunStoreTest, GetStepRunNotFoundListsTheSteps) {
  this->MakeExecution("e1");
  ASSERT_TRUE(this->store_->PutStepRun(this->MakeRun("e1", "Prepare", kSucceeded), {}, {}).ok());
  ASSERT_TRUE(this->store_->PutStepRun(this->MakeRun("e1", "Train", kExecuting), {}, {}).ok());
  auto missing = this->store_->GetStepRun("e1", "Eval");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "no step 'Eval' in execution 'e1' (steps: Prepare, Train)");
  EXPECT_EQ(this->store_->GetStepRun("zz", "Eval").status().message(), "no execution 'zz'");
  EXPECT_EQ(this->store_->ListStepRuns("zz").status().message(), "no execution 'zz'");
}

TYPED_TEST(StepRunStoreTest, CacheHitIsTheNewestSucceededRunNotBeforeTheCutoff) {
  this->MakeExecution("e1");
  this->MakeExecution("e2");
  this->MakeExecution("e3");
  this->MakeExecution("e4");
  auto put = [&](const std::string& exec, const std::string& status, TimeMs started, const std::string& key) {
    StepRunRecord run = this->MakeRun(exec, "Train", status);
    run.started_at = started;
    run.cache_key = key;
    ASSERT_TRUE(this->store_->PutStepRun(run, {}, {}).ok());
  };
  put("e1", kSucceeded, 100, "k");
  put("e2", kSucceeded, 300, "k");
  put("e3", kFailed, 400, "k");     // Newer, but failed.
  put("e4", kSucceeded, 500, "k2");  // Newer, other key.

  auto hit = this->store_->FindCacheHit("k", 0);
  ASSERT_TRUE(hit.ok());
  ASSERT_TRUE(hit->has_value());
  EXPECT_EQ((*hit)->execution_id, "e2");
  auto at_cutoff = this->store_->FindCacheHit("k", 300);
  ASSERT_TRUE(at_cutoff->has_value());
  EXPECT_EQ((*at_cutoff)->execution_id, "e2");
  EXPECT_FALSE(this->store_->FindCacheHit("k", 301)->has_value());  // Expired.
  EXPECT_FALSE(this->store_->FindCacheHit("other", 0)->has_value());
}

TYPED_TEST(StepRunStoreTest, EmptyCacheKeyNeverHits) {
  this->MakeExecution("e1");
  ASSERT_TRUE(this->store_->PutStepRun(this->MakeRun("e1", "Train", kSucceeded), {}, {}).ok());
  auto hit = this->store_->FindCacheHit("", 0);
  ASSERT_TRUE(hit.ok());
  EXPECT_FALSE(hit->has_value());
}

}  // namespace
}  // namespace grove::store
