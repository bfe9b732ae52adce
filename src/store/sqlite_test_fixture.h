#pragma once

// Shared setup for the SQLite metadata store tests: a fresh store file in a
// temporary folder, a fake clock, and helpers that create the rows most
// tests need.

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/file_util.h"
#include "common/sha256.h"
#include "store/sqlite_metadata_store.h"

namespace grove::store {

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (dir_.path() / "grove.db").string();
    auto opened = OpenSqliteMetadataStore(path_, &clock_);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value();
  }

  // Stores a one-line definition of `pipeline` and returns its version.
  int PutPipeline(const std::string& pipeline, const std::string& body = "steps: []") {
    DefinitionRecord def;
    def.pipeline = pipeline;
    def.body = body;
    def.source_path = pipeline + ".yaml";
    auto version = store_->PutDefinition(def, "");
    EXPECT_TRUE(version.ok()) << version.status().ToString();
    return version.ok() ? *version : 0;
  }

  // Creates an Executing execution `id` of a stored pipeline "p".
  ExecutionRecord MakeExecution(const std::string& id, TimeMs started_at = 0) {
    ExecutionRecord e;
    e.id = id;
    e.pipeline = "p";
    e.version = PutPipeline("p");
    e.status = kExecuting;
    e.parameters = {{"Threshold", 6.5}};
    e.started_at = started_at;
    Status s = store_->CreateExecution(e);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return e;
  }

  StepRunRecord MakeRun(const std::string& execution_id, const std::string& step, const std::string& status) {
    StepRunRecord run;
    run.execution_id = execution_id;
    run.step_name = step;
    run.step_type = "Processing";
    run.status = status;
    run.attempts = 1;
    run.started_at = clock_.Now();
    return run;
  }

  // All events, oldest first.
  std::vector<EventRecord> Events() {
    auto events = store_->ListEvents(0, 0);
    EXPECT_TRUE(events.ok()) << events.status().ToString();
    return events.ok() ? *events : std::vector<EventRecord>{};
  }

  TempDir dir_;
  std::string path_;
  FakeClock clock_;
  std::unique_ptr<MetadataStore> store_;
};

// A digest for records that need one, made from a short tag.
inline std::string FakeDigest(const std::string& tag) { return Sha256::Of(tag); }

inline ArtifactRecord FakeArtifact(const std::string& tag) {
  ArtifactRecord a;
  a.digest = FakeDigest(tag);
  a.uri = "file:///artifacts/" + a.digest;
  a.size_bytes = static_cast<int64_t>(tag.size());
  return a;
}

}  // namespace grove::store
