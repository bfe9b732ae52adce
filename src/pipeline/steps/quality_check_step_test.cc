// The QualityCheck step: its baseline lifecycle run directly, and a pipeline
// that registers a baseline the first time a group is seen and fails on drift
// against it once a version is approved.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/file_util.h"
#include "data/cell_text.h"
#include "pipeline/executor.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/yaml_reader.h"
#include "registry/registry.h"
#include "store/artifact_store.h"
#include "store/sqlite_metadata_store.h"

namespace grove::pipeline {
namespace {

using ::testing::HasSubstr;

// Label-first rows without a header, as Grove's preparation writes them; `shift` moves feature 1.
std::string QualityRows(double shift) {
  std::string csv;
  for (int i = 0; i < 40; ++i) {
    csv += std::to_string(i % 2) + "," + data::FormatNumber(i * 0.25 + shift) + "," + std::to_string(i % 3) + "\n";
  }
  return csv;
}

class QualityCheckStepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    metadata_ = std::move(store::OpenSqliteMetadataStore((dir_.path() / "grove.db").string()).value());
    artifacts_ = std::move(store::OpenLocalArtifactStore(dir_.path() / "artifacts").value());
    registry_ = std::make_unique<registry::Registry>(metadata_.get(), SystemClock::Default());
    base_ = Write("base.csv", QualityRows(0));
    drifted_ = Write("drifted.csv", QualityRows(5));
    model_ = Write("model.json", "{}");
    step_.name = "Check";
    step_.type = "QualityCheck";
  }

  std::string Write(const std::string& name, const std::string& text) {
    std::filesystem::path p = dir_.path() / name;
    EXPECT_TRUE(WriteFile(p, text).ok());
    return p.string();
  }

  // One attempt of the step, run directly as the executor would.
  Status RunStep(Json arguments, StepContext* ctx) {
    ctx->step = &step_;
    ctx->arguments = std::move(arguments);
    ctx->output_dir = dir_.path() / ("out" + std::to_string(++attempts_));
    ctx->log = [this](const std::string& line) { log_ += line + "\n"; };
    ctx->store = metadata_.get();
    ctx->artifacts = artifacts_.get();
    EXPECT_TRUE(MakeDirs(ctx->output_dir).ok());
    return StepTypeRegistry::BuiltIn().Find("QualityCheck")->Run(*ctx);
  }

  Json Output(const StepContext& ctx, const std::string& name) {
    return Json::parse(ReadFile(ctx.OutputPath(name)).value());
  }

  Json DataArgs(const std::string& dataset) {
    return {{"check_type", "data_quality"}, {"dataset", dataset}, {"header", false}, {"exclude_label", true}};
  }

  // A supplied baseline from the base data.
  Json Supplied(const std::string& dataset) {
    StepContext first;
    Json args = DataArgs(base_);
    args["skip_check"] = true;
    EXPECT_TRUE(RunStep(args, &first).ok());
    Json out = DataArgs(dataset);
    out["baseline_statistics"] = first.OutputPath("statistics").string();
    out["baseline_constraints"] = first.OutputPath("constraints").string();
    return out;
  }

  store::ExecutionRecord RunYaml(Executor& ex, const std::string& yaml, const Json& params) {
    auto def = ReadDefinition(yaml, "quality.yaml");
    EXPECT_TRUE(def.ok()) << def.status().ToString();
    Json coerced = params;
    coerced["StateDim"] = "DummyDim1";  // Start takes coerced values: defaults are the caller's to fill in.
    auto id = ex.Start(*def, 1, coerced);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return ex.Wait(*id).value();
  }

  store::StepRunRecord StepRun(const std::string& id, const std::string& step) {
    return metadata_->GetStepRun(id, step).value();
  }

  TempDir dir_;
  std::unique_ptr<store::MetadataStore> metadata_;
  std::unique_ptr<store::ArtifactStore> artifacts_;
  std::unique_ptr<registry::Registry> registry_;
  std::string base_, drifted_, model_;
  StepDef step_;
  int attempts_ = 0;
  std::string log_;
};

// Lifecycle row false/false: the check runs against the supplied baseline, which drift checks use.
TEST_F(QualityCheckStepTest, CheckAgainstTheSuppliedBaselineKeepsItForDriftChecks) {
  Json args = Supplied(drifted_);
  StepContext ctx;
  ASSERT_TRUE(RunStep(args, &ctx).ok()) << log_;
  EXPECT_EQ(ctx.result.kind, StepResult::Kind::kExecutionFailure);
  EXPECT_THAT(ctx.result.message, HasSubstr("_c0 (baseline_drift_check)"));
  EXPECT_EQ(ctx.metadata["check_ran"], true);
  EXPECT_EQ(ctx.metadata["baseline_source"], "supplied");
  EXPECT_EQ(ctx.metadata["violations"][0]["constraint_check_type"], "baseline_drift_check");
  EXPECT_EQ(Output(ctx, "violations")["violations"].size(), ctx.metadata["violations"].size());
  EXPECT_EQ(ReadFile(ctx.OutputPath("drift_check_constraints")).value(),
            ReadFile(args["baseline_constraints"].get<std::string>()).value());
  EXPECT_NE(Output(ctx, "drift_check_statistics"), Output(ctx, "statistics"));
  EXPECT_THAT(log_, HasSubstr("constraint_violations.json"));
}

// Row false/true: the check runs, and drift checks use the new baseline.
TEST_F(QualityCheckStepTest, RegisteringANewBaselineStillChecks) {
  Json args = Supplied(drifted_);
  args["register_new_baseline"] = true;
  args["fail_on_violation"] = false;
  StepContext ctx;
  ASSERT_TRUE(RunStep(args, &ctx).ok()) << log_;
  EXPECT_EQ(ctx.result.kind, StepResult::Kind::kOutputs) << "fail_on_violation: false";
  EXPECT_GT(ctx.metadata["violation_count"].get<int>(), 0);
  EXPECT_EQ(Output(ctx, "drift_check_constraints"), Output(ctx, "constraints"));
  EXPECT_EQ(Output(ctx, "drift_check_statistics"), Output(ctx, "statistics"));
}

// Row true/false: no check; drift checks keep the supplied baseline.
TEST_F(QualityCheckStepTest, SkippingTheCheckKeepsTheSuppliedBaseline) {
  Json args = Supplied(drifted_);
  args["skip_check"] = true;
  StepContext ctx;
  ASSERT_TRUE(RunStep(args, &ctx).ok()) << log_;
  EXPECT_EQ(ctx.result.kind, StepResult::Kind::kOutputs);
  EXPECT_EQ(ctx.metadata["check_ran"], false);
  EXPECT_EQ(Output(ctx, "violations"), Json::parse(R"({"violations": []})"));
  EXPECT_EQ(ReadFile(ctx.OutputPath("drift_check_statistics")).value(),
            ReadFile(args["baseline_statistics"].get<std::string>()).value());
}

// Row true/true: no check; drift checks use the new baseline.
TEST_F(QualityCheckStepTest, SkippingAndRegisteringUsesTheNewBaseline) {
  Json args = Supplied(drifted_);
  args["skip_check"] = true;
  args["register_new_baseline"] = true;
  StepContext ctx;
  ASSERT_TRUE(RunStep(args, &ctx).ok()) << log_;
  EXPECT_EQ(ctx.metadata["check_ran"], false);
  EXPECT_EQ(Output(ctx, "drift_check_constraints"), Output(ctx, "constraints"));
  EXPECT_EQ(Output(ctx, "statistics")["dataset"]["item_count"], 40);
}

TEST_F(QualityCheckStepTest, ACheckWithoutAnyBaselineIsAnError) {
  StepContext ctx;
  Status s = RunStep(DataArgs(base_), &ctx);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(), HasSubstr("no baseline to check against"));
}

TEST_F(QualityCheckStepTest, ModelQualityFromGroundTruthAndProbabilities) {
  std::string csv = "ground_truth,probability\n0,0.1\n0,0.3\n1,0.7\n1,0.9\n";
  std::string worse = "ground_truth,probability\n0,0.8\n0,0.3\n1,0.7\n1,0.2\n";
  Json args = {{"check_type", "model_quality"}, {"problem_type", "BinaryClassification"},
               {"dataset", Write("mq.csv", csv)}, {"skip_check", true}};
  StepContext first;
  ASSERT_TRUE(RunStep(args, &first).ok()) << log_;
  EXPECT_EQ(Output(first, "statistics")["binary_classification_metrics"]["accuracy"]["value"], 1.0);
  EXPECT_EQ(Output(first, "constraints")["binary_classification_constraints"]["auc"]["comparison_operator"],
            "LessThanThreshold");
  args["dataset"] = Write("mq2.csv", worse);
  args["skip_check"] = false;
  args["baseline_constraints"] = first.OutputPath("constraints").string();
  StepContext second;
  ASSERT_TRUE(RunStep(args, &second).ok()) << log_;
  EXPECT_EQ(second.result.kind, StepResult::Kind::kExecutionFailure);
  EXPECT_THAT(second.result.message, HasSubstr("accuracy (LessThanThreshold)"));
}


TEST_F(QualityCheckStepTest, AGroupsFirstRunRegistersTheBaselineAndDriftAgainstItFailsOnceApproved) {
  // The pipeline tests/quality_e2e_test.cc runs too.
  auto pipeline = ReadFile(std::string(GROVE_SOURCE_DIR) + "/src/pipeline/testdata/quality_baselines.yaml");
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().ToString();
  const std::string& yaml = *pipeline;
  ExecutorServices services{metadata_.get(), artifacts_.get(), registry_.get(), SystemClock::Default(),
                            &StepTypeRegistry::BuiltIn()};
  ExecutorOptions options;
  options.max_parallel_steps = 1;
  options.work_dir = dir_.path() / "work";
  options.stop_poll_ms = 20;
  Executor ex(services, options);
  const std::string group = "DummyDim1-model-registry";

  // First time the group is seen: no check, the calculated baseline is registered.
  store::ExecutionRecord first = RunYaml(ex, yaml, {{"Data", base_}, {"Model", model_}});
  ASSERT_EQ(first.status, "Succeeded") << first.failure_reason;
  EXPECT_EQ(StepRun(first.id, "DataQuality").metadata["check_ran"], false);
  EXPECT_EQ(StepRun(first.id, "DataQuality").metadata["register_new_baseline"], true);
  store::ModelVersionRecord v1 = registry_->Get(group, 1).value();
  ASSERT_TRUE(v1.metrics.contains("data_statistics") && v1.metrics.contains("data_constraints")) << v1.metrics.dump();
  EXPECT_EQ(v1.metrics["data_constraints"], StepRun(first.id, "DataQuality").outputs["constraints"]);

  // Not approved yet: still the first time, so drifted data passes.
  store::ExecutionRecord pending = RunYaml(ex, yaml, {{"Data", drifted_}, {"Model", model_}});
  ASSERT_EQ(pending.status, "Succeeded") << pending.failure_reason;

  ASSERT_TRUE(registry_->Approve(group, 1, "baseline ok", "test").ok());
  // The same data as the baseline passes the check against version 1.
  store::ExecutionRecord same = RunYaml(ex, yaml, {{"Data", base_}, {"Model", model_}});
  ASSERT_EQ(same.status, "Succeeded") << same.failure_reason;
  EXPECT_EQ(StepRun(same.id, "DataQuality").metadata["check_ran"], true);
  EXPECT_EQ(StepRun(same.id, "DataQuality").metadata["baseline_version"], group + "/1");
  EXPECT_EQ(registry_->Get(group, 3)->metrics["data_constraints"], v1.metrics["data_constraints"])
      << "the version checked against version 1's baseline carries it on";

  // Drifted data fails against the approved baseline, with the report kept.
  store::ExecutionRecord drifted = RunYaml(ex, yaml, {{"Data", drifted_}, {"Model", model_}});
  EXPECT_EQ(drifted.status, "Failed");
  EXPECT_THAT(drifted.failure_reason, HasSubstr("baseline_drift_check"));
  store::StepRunRecord check = StepRun(drifted.id, "DataQuality");
  EXPECT_EQ(check.status, "Failed");
  ASSERT_TRUE(check.metadata.contains("violations")) << check.metadata.dump();
  EXPECT_EQ(check.metadata["violations"][0]["feature_name"], "_c0");
  EXPECT_EQ(check.metadata["baseline_version"], group + "/1");
  EXPECT_FALSE(metadata_->GetStepRun(drifted.id, "Register").ok() &&
               metadata_->GetStepRun(drifted.id, "Register")->status == "Succeeded");
  EXPECT_EQ(registry_->Versions(group)->size(), 3u);

  // One quality.violation event, recorded with the failed step run (hooks deliver it, events/event_types.h).
  std::vector<store::EventRecord> violations;
  for (const store::EventRecord& e : metadata_->ListEvents(0, 0).value()) {
    if (e.kind == "quality.violation") violations.push_back(e);
  }
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].subject, drifted.id);
  EXPECT_EQ(violations[0].payload["execution_id"], drifted.id);
  EXPECT_EQ(violations[0].payload["step"], "DataQuality");
  EXPECT_EQ(violations[0].payload["kind"], "data");
  EXPECT_EQ(violations[0].payload["violations"], check.metadata["violations"].size());
  EXPECT_EQ(violations[0].payload["group"], group);
  EXPECT_EQ(violations[0].payload["version"], 1);
}

}  // namespace
}  // namespace grove::pipeline
