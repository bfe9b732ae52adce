#include "pipeline/executor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include "common/file_util.h"
#include "pipeline/step_inputs.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/yaml_reader.h"
#include "registry/registry.h"

namespace grove::pipeline {
namespace {

// Shared by the fake step types of one test.
struct Probe {
  std::atomic<int> running{0};
  std::atomic<int> max_running{0};
  std::atomic<int> runs{0};
  std::atomic<int> failures_left{0};
  std::atomic<int> threads{0};  // WideStep's StepContext::threads.
};

// Could use `wants` slots (as Tuning does with its parallel trials); records its thread budget.
class WideStep : public StepType {
 public:
  explicit WideStep(Probe* probe) : probe_(probe) {}
  std::string_view Name() const override { return "Wide"; }
  int Version() const override { return 1; }
  std::vector<std::string> Outputs(const StepDef&) const override { return {}; }
  int WantedSlots(const Json& arguments) const override { return arguments.value("wants", 1); }
  Status Validate(const StepDef&, const Definition&) const override { return Status::OK(); }
  Status Run(StepContext& ctx) const override {
    probe_->threads = ctx.threads;
    return Status::OK();
  }

 private:
  Probe* probe_;
};

// Writes its `text` argument (and the content of its optional `input` file) to output `out`.
class ProduceStep : public StepType {
 public:
  explicit ProduceStep(Probe* probe) : probe_(probe) {}
  std::string_view Name() const override { return "Produce"; }
  int Version() const override { return 1; }
  std::vector<std::string> Outputs(const StepDef&) const override { return {"out"}; }
  std::optional<std::string> PropertyFile(const StepDef&) const override { return "out"; }
  std::vector<std::string> InputArguments(const StepDef&) const override { return {"input"}; }
  Status Validate(const StepDef&, const Definition&) const override { return Status::OK(); }
  Status Run(StepContext& ctx) const override {
    int now = ++probe_->running;
    int seen = probe_->max_running.load();
    while (now > seen && !probe_->max_running.compare_exchange_weak(seen, now)) {
    }
    ++probe_->runs;
    std::this_thread::sleep_for(std::chrono::milliseconds(ctx.arguments.value("sleep_ms", 0)));
    --probe_->running;
    if (probe_->failures_left.load() > 0) {
      --probe_->failures_left;
      return Status::Internal("flaky failure");
    }
    std::string text = ctx.arguments.value("text", "");
    if (ctx.arguments.contains("input")) {
      ASSIGN_OR_RETURN(std::string in, ReadFile(ctx.arguments["input"].get<std::string>()));
      text += in;
    }
    Json doc = {{"text", text}, {"length", static_cast<int>(text.size())}};
    return WriteFileAtomic(ctx.OutputPath("out"), doc.dump());
  }

 private:
  Probe* probe_;
};

// Runs until asked to stop.
class BlockStep : public StepType {
 public:
  explicit BlockStep(Probe* probe) : probe_(probe) {}
  std::string_view Name() const override { return "Block"; }
  int Version() const override { return 1; }
  std::vector<std::string> Outputs(const StepDef&) const override { return {}; }
  Status Validate(const StepDef&, const Definition&) const override { return Status::OK(); }
  Status Run(StepContext& ctx) const override {
    ++probe_->running;
    while (!ctx.stopping()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return Status::Cancelled("stopped");
  }

 private:
  Probe* probe_;
};

class ExecutorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    metadata_ = std::move(store::OpenSqliteMetadataStore((dir_.path() / "grove.db").string()).value());
    artifacts_ = std::move(store::OpenLocalArtifactStore(dir_.path() / "artifacts").value());
    registry_ = std::make_unique<registry::Registry>(metadata_.get(), SystemClock::Default());
    types_.Register(std::make_unique<ProduceStep>(&probe_));
    types_.Register(std::make_unique<BlockStep>(&probe_));
    types_.Register(std::make_unique<WideStep>(&probe_));
    types_.Register(MakeConditionStep());
    types_.Register(MakeFailStep());
  }

  std::unique_ptr<Executor> NewExecutor(int parallel) {
    ExecutorServices services{metadata_.get(), artifacts_.get(), registry_.get(), SystemClock::Default(), &types_};
    ExecutorOptions options;
    options.max_parallel_steps = parallel;
    options.work_dir = dir_.path() / "work";
    options.stop_poll_ms = 20;
    return std::make_unique<Executor>(services, options);
  }

  store::ExecutionRecord RunYaml(Executor& ex, const std::string& yaml, const Json& params = Json::object()) {
    auto def = ReadDefinition(yaml, "test.yaml");
    EXPECT_TRUE(def.ok()) << def.status().ToString();
    auto id = ex.Start(*def, 1, params);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return ex.Wait(*id).value();
  }

  std::map<std::string, store::StepRunRecord> Steps(const std::string& id) {
    std::map<std::string, store::StepRunRecord> out;
    for (auto& r : metadata_->ListStepRuns(id).value()) out[r.step_name] = r;
    return out;
  }

  TempDir dir_;
  Probe probe_;
  std::unique_ptr<store::MetadataStore> metadata_;
  std::unique_ptr<store::ArtifactStore> artifacts_;
  std::unique_ptr<registry::Registry> registry_;
  StepTypeRegistry types_;
};

const char* kFourSteps = R"(
pipeline: par
steps:
  - {name: A, type: Produce, arguments: {text: a, sleep_ms: 40}}
  - {name: B, type: Produce, arguments: {text: b, sleep_ms: 40}}
  - {name: C, type: Produce, arguments: {text: c, sleep_ms: 40}}
  - {name: D, type: Produce, arguments: {text: d, sleep_ms: 40}}
)";

TEST_F(ExecutorTest, RunsIndependentStepsInParallel) {
  auto ex = NewExecutor(4);
  EXPECT_EQ(RunYaml(*ex, kFourSteps).status, "Succeeded");
  EXPECT_GE(probe_.max_running.load(), 2);
  EXPECT_LE(probe_.max_running.load(), 4);
}

TEST_F(ExecutorTest, NeverRunsMoreStepsThanTheLimit) {
  auto ex = NewExecutor(1);
  EXPECT_EQ(RunYaml(*ex, kFourSteps).status, "Succeeded");
  EXPECT_EQ(probe_.runs.load(), 4);
  EXPECT_EQ(probe_.max_running.load(), 1);
}

TEST_F(ExecutorTest, AStepThatWantsMoreSlotsGetsTheFreeOnesAndThreadsToMatch) {
  const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto ex = NewExecutor(4);
  EXPECT_EQ(RunYaml(*ex, "pipeline: w\nsteps:\n  - {name: W, type: Wide, arguments: {wants: 3}}\n").status,
            "Succeeded");
  EXPECT_EQ(probe_.threads.load(), std::max(1, cores * 3 / 4));
  EXPECT_EQ(RunYaml(*ex, "pipeline: w\nsteps:\n  - {name: W, type: Wide, arguments: {wants: 9}}\n").status,
            "Succeeded");
  EXPECT_EQ(probe_.threads.load(), cores);  // All 4 slots, no more.
  EXPECT_EQ(RunYaml(*ex, "pipeline: w\nsteps:\n  - {name: W, type: Wide, arguments: {wants: 1}}\n").status,
            "Succeeded");
  EXPECT_EQ(probe_.threads.load(), std::max(1, cores / 4));
  // The slots were all given back: four steps still run at once.
  EXPECT_EQ(RunYaml(*ex, kFourSteps).status, "Succeeded");
  EXPECT_GE(probe_.max_running.load(), 2);
}

TEST_F(ExecutorTest, PassesOutputsAlongDependenciesAndRecordsLineage) {
  auto ex = NewExecutor(2);
  auto e = RunYaml(*ex, R"(
pipeline: chain
steps:
  - {name: A, type: Produce, arguments: {text: hello}}
  - {name: B, type: Produce, arguments: {text: "x", input: {Get: Steps.A.Outputs.out}}}
)");
  ASSERT_EQ(e.status, "Succeeded") << e.failure_reason;
  auto steps = Steps(e.id);
  std::string a_out = steps["A"].outputs["out"];
  std::string b_out = steps["B"].outputs["out"];
  auto text = ReadFile(artifacts_->LocalPath(b_out).value()).value();
  EXPECT_EQ(Json::parse(text)["text"], std::string("x") + R"({"text":"hello","length":5})");
  auto links = metadata_->ListArtifactLinks(a_out).value();
  bool produced_by_a = false, consumed_by_b = false;
  for (const auto& l : links) {
    produced_by_a |= l.step_name == "A" && l.role == "output";
    consumed_by_b |= l.step_name == "B" && l.role == "input";
  }
  EXPECT_TRUE(produced_by_a);
  EXPECT_TRUE(consumed_by_b);
}

TEST_F(ExecutorTest, RetriesPerPolicyThenSucceeds) {
  probe_.failures_left = 2;
  auto ex = NewExecutor(1);
  auto e = RunYaml(*ex, R"(
pipeline: retry
steps:
  - {name: A, type: Produce, arguments: {text: a}, retry: {max_attempts: 3, interval_seconds: 0.01, backoff_rate: 2}}
)");
  EXPECT_EQ(e.status, "Succeeded");
  EXPECT_EQ(Steps(e.id)["A"].attempts, 3);
}

TEST_F(ExecutorTest, FailsWhenAttemptsRunOutAndStartsNothingAfter) {
  probe_.failures_left = 5;
  auto ex = NewExecutor(1);
  auto e = RunYaml(*ex, R"(
pipeline: retry
steps:
  - {name: A, type: Produce, arguments: {text: a}, retry: {max_attempts: 2, interval_seconds: 0.01}}
  - {name: B, type: Produce, arguments: {text: b}, depends_on: [A]}
)");
  EXPECT_EQ(e.status, "Failed");
  EXPECT_NE(e.failure_reason.find("flaky failure"), std::string::npos) << e.failure_reason;
  auto steps = Steps(e.id);
  EXPECT_EQ(steps["A"].status, "Failed");
  EXPECT_EQ(steps["A"].attempts, 2);
  EXPECT_EQ(steps.count("B"), 0u);
}

TEST_F(ExecutorTest, StopEndsRunningStepsAndTheExecutionStopped) {
  auto ex = NewExecutor(2);
  auto def = ReadDefinition(R"(
pipeline: stop
steps:
  - {name: Wait, type: Block}
  - {name: After, type: Produce, arguments: {text: a}, depends_on: [Wait]}
)", "t.yaml");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  auto id = ex->Start(*def, 1, Json::object()).value();
  while (probe_.running.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  // A stop request recorded by another process (the CLI) is noticed by polling.
  ASSERT_TRUE(metadata_->RequestStop(id).ok());
  auto e = ex->Wait(id).value();
  EXPECT_EQ(e.status, "Stopped");
  auto steps = Steps(id);
  EXPECT_EQ(steps["Wait"].status, "Stopped");
  EXPECT_EQ(steps.count("After"), 0u);
}

// A fixed step, one that takes a parameter and one that reads its output.
const char* kParameterChain = R"(
pipeline: cache
parameters:
  Text: {type: String, default: one}
steps:
  - {name: A, type: Produce, arguments: {text: fixed}}
  - {name: B, type: Produce, arguments: {text: {Get: Parameters.Text}}}
  - {name: C, type: Produce, arguments: {text: c, input: {Get: Steps.B.Outputs.out}}}
)";

TEST_F(ExecutorTest, SecondRunIsServedFromCacheAndChangedArgumentsRerunDependantsOnly) {
  auto ex = NewExecutor(2);
  const std::string yaml = kParameterChain;
  auto first = RunYaml(*ex, yaml, {{"Text", "one"}});
  ASSERT_EQ(first.status, "Succeeded");
  EXPECT_EQ(probe_.runs.load(), 3);
  auto second = RunYaml(*ex, yaml, {{"Text", "one"}});
  EXPECT_EQ(probe_.runs.load(), 3);
  for (auto& [name, run] : Steps(second.id)) EXPECT_EQ(run.cache_hit_source, first.id) << name;
  auto third = RunYaml(*ex, yaml, {{"Text", "two"}});
  EXPECT_EQ(probe_.runs.load(), 5);
  auto steps = Steps(third.id);
  EXPECT_EQ(steps["A"].cache_hit_source, first.id);
  EXPECT_TRUE(steps["B"].cache_hit_source.empty());
  EXPECT_TRUE(steps["C"].cache_hit_source.empty());
}

TEST_F(ExecutorTest, RecordsTheResolvedArgumentsOfEveryStepRunCacheHitsIncluded) {
  auto ex = NewExecutor(2);
  auto first = RunYaml(*ex, kParameterChain, {{"Text", "two"}});
  ASSERT_EQ(first.status, "Succeeded") << first.failure_reason;
  auto steps = Steps(first.id);
  EXPECT_EQ(steps["A"].arguments, Json({{"text", "fixed"}}));
  EXPECT_EQ(steps["B"].arguments, Json({{"text", "two"}}));
  // A step output is an artifact reference, not the local path the step saw.
  const std::string b_out = steps["B"].outputs["out"];
  EXPECT_EQ(steps["C"].arguments, Json({{"text", "c"}, {"input", ArtifactRef(b_out)}}));

  auto hit = RunYaml(*ex, kParameterChain, {{"Text", "two"}});
  auto hits = Steps(hit.id);
  EXPECT_EQ(hits["C"].cache_hit_source, first.id);
  EXPECT_EQ(hits["B"].arguments, steps["B"].arguments);
  EXPECT_EQ(hits["C"].arguments, steps["C"].arguments);
}

TEST_F(ExecutorTest, ChangedFileContentAtTheSamePathMissesTheCache) {
  auto ex = NewExecutor(1);
  std::string path = (dir_.path() / "data.txt").string();
  ASSERT_TRUE(WriteFileAtomic(path, "v1").ok());
  const std::string yaml =
      "pipeline: file\nsteps:\n  - {name: A, type: Produce, arguments: {input: \"" + path + "\"}}\n";
  RunYaml(*ex, yaml);
  RunYaml(*ex, yaml);
  EXPECT_EQ(probe_.runs.load(), 1);
  ASSERT_TRUE(WriteFileAtomic(path, "v2").ok());
  auto e = RunYaml(*ex, yaml);
  EXPECT_EQ(probe_.runs.load(), 2);
  auto out = ReadFile(artifacts_->LocalPath(Steps(e.id)["A"].outputs["out"].get<std::string>()).value()).value();
  EXPECT_NE(out.find("v2"), std::string::npos);
}

TEST_F(ExecutorTest, ConditionPicksABranchAndFailStepEndsTheExecutionWithItsMessage) {
  auto ex = NewExecutor(2);
  const std::string yaml = R"(
pipeline: cond
parameters:
  Limit: {type: Integer, default: 10}
steps:
  - {name: Measure, type: Produce, arguments: {text: abcdef}}
  - name: Check
    type: Condition
    arguments:
      conditions:
        - LessThanOrEqualTo: [{JsonGet: {step: Measure, path: length}}, {Get: Parameters.Limit}]
      if_steps:
        - {name: Good, type: Produce, arguments: {text: ok}}
      else_steps:
        - name: Bad
          type: Fail
          arguments: {message: {Join: {on: " ", values: ["length above", {Get: Parameters.Limit}]}}}
)";
  auto pass = RunYaml(*ex, yaml, {{"Limit", 10}});
  EXPECT_EQ(pass.status, "Succeeded");
  auto steps = Steps(pass.id);
  EXPECT_EQ(steps["Good"].status, "Succeeded");
  EXPECT_EQ(steps.count("Bad"), 0u);
  auto fail = RunYaml(*ex, yaml, {{"Limit", 3}});
  EXPECT_EQ(fail.status, "Failed");
  EXPECT_EQ(fail.failure_reason, "length above 3");
  steps = Steps(fail.id);
  EXPECT_EQ(steps["Bad"].status, "Failed");
  EXPECT_EQ(steps.count("Good"), 0u);
}

TEST_F(ExecutorTest, RunsSeveralExecutionsAtOnce) {
  auto ex = NewExecutor(2);
  auto def = ReadDefinition(
      "pipeline: many\nparameters:\n  T: {type: String}\nsteps:\n"
      "  - {name: A, type: Produce, arguments: {text: {Get: Parameters.T}, sleep_ms: 30}}\n"
      "  - {name: B, type: Produce, arguments: {input: {Get: Steps.A.Outputs.out}}}\n",
      "t.yaml");
  ASSERT_TRUE(def.ok());
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(ex->Start(*def, 1, {{"T", "run" + std::to_string(i)}}).value());
  for (const auto& id : ids) EXPECT_EQ(ex->Wait(id)->status, "Succeeded");
  EXPECT_EQ(probe_.runs.load(), 8);
  // Steps of different executions ran side by side, and each execution saw its own parameter.
  EXPECT_EQ(probe_.max_running.load(), 2);
  for (int i = 0; i < 4; ++i) {
    auto out = ReadFile(artifacts_->LocalPath(Steps(ids[i])["B"].outputs["out"].get<std::string>()).value()).value();
    EXPECT_NE(out.find("run" + std::to_string(i)), std::string::npos) << out;
  }
}

}  // namespace
}  // namespace grove::pipeline
