#pragma once

// The fixture of the app/ use-case tests (header-only, test-only): a fresh
// data folder per test, with helpers that run small pipelines and register
// a real Abalone model.

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "app/executions.h"
#include "app/home.h"
#include "common/file_util.h"
#include "serving/serving_test_util.h"

namespace grove::app::testing {

// One Processing step whose script writes out/hello.txt and out/sub/n.txt
// and logs a line; `Word` is only there to be coerced.
inline constexpr const char* kScriptPipeline = R"(pipeline: hello
description: writes two files
parameters:
  Word: {type: String, default: world}
steps:
  - name: Write
    type: Processing
    arguments:
      command: [sh, -c, 'echo hello > "$GROVE_OUTPUT_OUT/hello.txt"; mkdir "$GROVE_OUTPUT_OUT/sub"; echo 7 > "$GROVE_OUTPUT_OUT/sub/n.txt"; echo logged']
      outputs: [out]
)";

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto home = Home::Open(dir_.path() / "home");
    ASSERT_TRUE(home.ok()) << home.status().ToString();
    home_ = std::move(home).value();
  }

  std::filesystem::path Write(const std::string& name, const std::string& text) {
    std::filesystem::path p = dir_.path() / name;
    EXPECT_TRUE(WriteFileAtomic(p, text).ok());
    return p;
  }

  // Runs `file` to its end on a one-step-at-a-time executor; returns the final record.
  store::ExecutionRecord Run(const std::filesystem::path& file,
                             const std::map<std::string, std::string>& parameters = {}) {
    auto executor = home_->NewExecutor(1).value();
    Executions executions(*home_, executor.get());
    auto started = executions.Start(file.string(), parameters);
    EXPECT_TRUE(started.ok()) << started.status().ToString();
    if (!started.ok()) return {};
    auto done = executions.Wait(started->id);
    EXPECT_TRUE(done.ok()) << done.status().ToString();
    return done.ok() ? *done : store::ExecutionRecord{};
  }

  // Registers a version of `group` with an Abalone model trained for a few
  // rounds, its fitted transform and `report` as its evaluation report.
  store::ModelVersionRecord RegisterAbalone(const std::string& group, bool approve, const Json& report = Json()) {
    namespace st = serving::testing;
    std::filesystem::path out = dir_.path() / ("prepared-" + group);
    Json args = st::AbaloneArgs();
    data::PrepareSummary prepared = st::Prepare(args, out);
    st::Train(prepared.splits["train"], {{"num_round", "3"}, {"max_depth", "2"}}, out / "model.json");
    store::ModelVersionRecord v;
    v.group = group;
    v.model_digest = home_->artifacts()->Put(out / "model.json")->digest;
    v.metadata["transform"] = home_->artifacts()->Put(prepared.transform)->digest;
    if (!report.is_null()) v.metrics["model_quality"] = home_->artifacts()->PutBytes(report.dump())->digest;
    v.approval_status = approve ? store::kApproved : store::kPendingManualApproval;
    auto registered = home_->registry()->Register(v);
    EXPECT_TRUE(registered.ok()) << registered.status().ToString();
    return registered.ok() ? *registered : v;
  }

  // Records the artifacts of `v` (model, transform, metrics documents) in the metadata, as a pipeline's
  // RegisterModel step does (RegisterAbalone only stores them): what grove doctor and grove backup go by.
  void RecordArtifacts(const store::ModelVersionRecord& v) {
    std::vector<std::string> digests = {v.model_digest, v.metadata.value("transform", "")};
    for (const auto& [name, digest] : v.metrics.items()) digests.push_back(digest.get<std::string>());
    for (const std::string& digest : digests) {
      if (digest.empty()) continue;
      auto record = home_->artifacts()->Put(*home_->artifacts()->LocalPath(digest));
      ASSERT_TRUE(record.ok()) << record.status().ToString();
      ASSERT_TRUE(home_->metadata()
                      ->Transact([&](store::StoreTransaction& txn) { return txn.InsertArtifact(*record); })
                      .ok());
    }
  }

  TempDir dir_;
  std::unique_ptr<Home> home_;
};

}  // namespace grove::app::testing
