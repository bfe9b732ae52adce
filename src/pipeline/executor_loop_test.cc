// The executor's loop driven through a fake launcher and a fake clock: the
// test decides when each attempt ends and when time passes, so nothing sleeps.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "common/file_util.h"
#include "pipeline/executor.h"
#include "pipeline/fake_launcher.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/yaml_reader.h"
#include "registry/registry.h"

namespace grove::pipeline {
namespace {

using std::chrono::milliseconds;

// Writes its `text` argument to output `out`.
class EchoStep : public StepType {
 public:
  std::string_view Name() const override { return "Echo"; }
  int Version() const override { return 1; }
  std::vector<std::string> Outputs(const StepDef&) const override { return {"out"}; }
  std::vector<std::string> InputArguments(const StepDef&) const override { return {"input"}; }
  Status Validate(const StepDef&, const Definition&) const override { return Status::OK(); }
  Status Run(StepContext& ctx) const override {
    return WriteFileAtomic(ctx.OutputPath("out"), ctx.arguments.value("text", std::string("echo")));
  }
};

// A step type added by a test: it touches only this class and the registry
// of types. It runs one of its two nested step lists, chosen by `go`.
class ForkStep : public StepType {
 public:
  std::string_view Name() const override { return "Fork"; }
  int Version() const override { return 1; }
  bool Cacheable(const StepDef&) const override { return false; }
  std::vector<std::string> Outputs(const StepDef&) const override { return {}; }
  std::vector<std::string> NestedStepLists() const override { return {"left", "right"}; }
  Status Validate(const StepDef&, const Definition&) const override { return Status::OK(); }
  Status Run(StepContext& ctx) const override {
    ctx.result = StepResult::Branch(ctx.arguments.value("go", std::string("left")));
    return Status::OK();
  }
};

// Adds one Echo step "E-<item>" per item of its `items`, each with `text`
// the item and, when `waits_for` is given, depending on that step.
class GrowStep : public StepType {
 public:
  std::string_view Name() const override { return "Grow"; }
  int Version() const override { return 1; }
  std::vector<std::string> Outputs(const StepDef&) const override { return {}; }
  Status Validate(const StepDef&, const Definition&) const override { return Status::OK(); }
  Status Run(StepContext& ctx) const override {
    std::vector<StepDef> added;
    for (const Json& item : ctx.arguments.value("items", Json::array())) {
      StepDef step;
      step.name = "E-" + item.get<std::string>();
      step.type = "Echo";
      step.arguments = {{"text", item}};
      if (ctx.arguments.contains("waits_for")) step.depends_on = {ctx.arguments["waits_for"].get<std::string>()};
      added.push_back(std::move(step));
    }
    ctx.result = StepResult::Expansion(std::move(added));
    return Status::OK();
  }
};

class Throws : public StepType {
 public:
  std::string_view Name() const override { return "Throws"; }
  int Version() const override { return 1; }
  std::vector<std::string> Outputs(const StepDef&) const override { return {}; }
  Status Validate(const StepDef&, const Definition&) const override { return Status::OK(); }
  Status Run(StepContext&) const override { throw std::runtime_error("bad argument: threshold"); }
};

class ExecutorLoopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    metadata_ = std::move(store::OpenSqliteMetadataStore((dir_.path() / "grove.db").string()).value());
    artifacts_ = std::move(store::OpenLocalArtifactStore(dir_.path() / "artifacts").value());
    registry_ = std::make_unique<registry::Registry>(metadata_.get(), &clock_);
    types_.Register(std::make_unique<EchoStep>());
    types_.Register(std::make_unique<ForkStep>());
    types_.Register(std::make_unique<GrowStep>());
    types_.Register(std::make_unique<Throws>());
    types_.Register(MakeFailStep());
    types_.Register(MakeRegisterModelStep());
  }

  // An executor over a fake launcher with `slots`; the launcher stays reachable as launcher_.
  std::unique_ptr<Executor> NewExecutor(int slots) {
    ExecutorServices services{metadata_.get(), artifacts_.get(), registry_.get(), &clock_, &types_};
    ExecutorOptions options;
    options.max_parallel_steps = slots;
    options.work_dir = dir_.path() / "work";
    options.stop_poll_ms = 20;
    options.lease_ms = 30'000;
    AttemptServices attempt{metadata_.get(), artifacts_.get(), &clock_, options.work_dir};
    auto launcher = std::make_unique<FakeLauncher>(slots, attempt);
    launcher_ = launcher.get();
    return std::make_unique<Executor>(services, options, std::move(launcher));
  }

  std::string Start(Executor& ex, const std::string& yaml) {
    auto def = ReadDefinition(yaml, "t.yaml", types_);
    EXPECT_TRUE(def.ok()) << def.status().ToString();
    return ex.Start(*def, 1, Json::object()).value();
  }

  StepTask Started(size_t n) {
    auto task = launcher_->AwaitStart(n);
    EXPECT_TRUE(task.has_value()) << "task " << n << " never started";
    return task.value_or(StepTask{});
  }

  // Waits until the executor has scheduled the retry after attempt `attempt`
  // of `step` failed (it logs that line), so moving the clock afterwards counts.
  void AwaitRetryScheduled(const std::string& id, const std::string& step, int attempt) {
    const std::string line = "attempt " + std::to_string(attempt) + " failed";
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      auto log = ReadFile(dir_.path() / "work" / id / step / "log");
      if (log.ok() && log->find(line) != std::string::npos) return;
      std::this_thread::sleep_for(milliseconds(2));
    }
    ADD_FAILURE() << "the retry after attempt " << attempt << " was never scheduled";
  }

  // Whether task `n` starts within a short while (for "must not start yet").
  bool StartsSoon(size_t n) { return launcher_->AwaitStart(n, milliseconds(300)).has_value(); }

  // Starts `yaml`, runs its one step (the `n`th task started) for real and waits; returns the execution id.
  std::string RunOneStep(Executor& ex, const std::string& yaml, size_t n) {
    std::string id = Start(ex, yaml);
    launcher_->RunForReal(Started(n));
    EXPECT_EQ(ex.Wait(id)->status, "Succeeded");
    return id;
  }

  store::StepRunRecord StepRun(const std::string& id, const std::string& step) {
    return metadata_->GetStepRun(id, step).value();
  }

  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<store::MetadataStore> metadata_;
  std::unique_ptr<store::ArtifactStore> artifacts_;
  std::unique_ptr<registry::Registry> registry_;
  StepTypeRegistry types_;
  FakeLauncher* launcher_ = nullptr;
};

constexpr const char* kTwoSteps = R"(
pipeline: two
steps:
  - {name: A, type: Echo, arguments: {text: a}}
  - {name: B, type: Echo, arguments: {text: b}}
)";

TEST_F(ExecutorLoopTest, StartsWorkOnlyWhileTheLauncherHasFreeSlots) {
  auto ex = NewExecutor(1);
  std::string id = Start(*ex, kTwoSteps);
  StepTask a = Started(0);
  EXPECT_EQ(a.step->name, "A");
  EXPECT_FALSE(StartsSoon(1));
  launcher_->RunForReal(a);
  StepTask b = Started(1);
  EXPECT_EQ(b.step->name, "B");
  launcher_->RunForReal(b);
  EXPECT_EQ(ex->Wait(id)->status, "Succeeded");
  EXPECT_EQ(launcher_->max_running(), 1);
}

TEST_F(ExecutorLoopTest, OneSlotPoolIsSharedByAllExecutions) {
  auto ex = NewExecutor(1);
  std::string first = Start(*ex, "pipeline: one\nsteps:\n  - {name: A, type: Echo}\n");
  std::string second = Start(*ex, "pipeline: other\nsteps:\n  - {name: A, type: Echo}\n");
  StepTask t0 = Started(0);
  EXPECT_FALSE(StartsSoon(1));
  launcher_->RunForReal(t0);
  launcher_->RunForReal(Started(1));
  EXPECT_EQ(ex->Wait(first)->status, "Succeeded");
  EXPECT_EQ(ex->Wait(second)->status, "Succeeded");
  EXPECT_EQ(launcher_->max_running(), 1);
}

TEST_F(ExecutorLoopTest, RetriesWaitForTheBackoffOnTheClock) {
  auto ex = NewExecutor(1);
  std::string id = Start(*ex, R"(
pipeline: retry
steps:
  - {name: A, type: Echo, retry: {max_attempts: 3, interval_seconds: 60, backoff_rate: 2}}
)");
  launcher_->Fail(Started(0), "flaky");
  AwaitRetryScheduled(id, "A", 1);
  EXPECT_FALSE(StartsSoon(1));  // The first retry waits 60 s.
  clock_.Advance(59'000);
  EXPECT_FALSE(StartsSoon(1));
  clock_.Advance(1'000);
  StepTask second = Started(1);
  EXPECT_EQ(second.attempt, 2);
  EXPECT_FALSE(second.use_cache);
  launcher_->Fail(second, "flaky again");
  AwaitRetryScheduled(id, "A", 2);
  clock_.Advance(60'000);  // The second waits 60 s x 2.
  EXPECT_FALSE(StartsSoon(2));
  clock_.Advance(60'000);
  StepTask third = Started(2);
  EXPECT_EQ(third.attempt, 3);
  launcher_->RunForReal(third);
  EXPECT_EQ(ex->Wait(id)->status, "Succeeded");
  EXPECT_EQ(StepRun(id, "A").attempts, 3);
  std::string log = ReadFile(dir_.path() / "work" / id / "A" / "log").value();
  EXPECT_NE(log.find("attempt 1 failed: flaky; retrying in 60"), std::string::npos) << log;
}

TEST_F(ExecutorLoopTest, AStopDuringARetryWaitEndsTheStepAtOnce) {
  auto ex = NewExecutor(1);
  std::string id = Start(*ex, R"(
pipeline: retry
steps:
  - {name: A, type: Echo, retry: {max_attempts: 5, interval_seconds: 3600}}
)");
  launcher_->Fail(Started(0), "flaky");
  ASSERT_TRUE(ex->Stop(id).ok());
  EXPECT_EQ(ex->Wait(id)->status, "Stopped");
  EXPECT_EQ(StepRun(id, "A").status, "Stopped");
  EXPECT_EQ(launcher_->started(), 1u);
}

TEST_F(ExecutorLoopTest, AStopCancelsRunningTasks) {
  auto ex = NewExecutor(1);
  std::string id = Start(*ex, "pipeline: s\nsteps:\n  - {name: A, type: Echo}\n");
  StepTask a = Started(0);
  ASSERT_TRUE(ex->Stop(id).ok());
  EXPECT_TRUE(a.stop->load());
  for (int i = 0; i < 1000 && launcher_->cancelled().empty(); ++i) std::this_thread::yield();
  EXPECT_EQ(launcher_->cancelled(), std::vector<uint64_t>{a.id});
  EXPECT_EQ(StepRun(id, "A").status, "Stopping");
  launcher_->Fail(a, "terminated");
  EXPECT_EQ(ex->Wait(id)->status, "Stopped");
  EXPECT_EQ(StepRun(id, "A").status, "Stopped");
}

TEST_F(ExecutorLoopTest, AFailStepIsNeverRetried) {
  auto ex = NewExecutor(1);
  std::string id = Start(*ex, R"(
pipeline: f
steps:
  - {name: F, type: Fail, arguments: {message: enough}, retry: {max_attempts: 3, interval_seconds: 0}}
)");
  launcher_->RunForReal(Started(0));
  auto e = ex->Wait(id);
  EXPECT_EQ(e->status, "Failed");
  EXPECT_EQ(e->failure_reason, "enough");
  EXPECT_EQ(launcher_->started(), 1u);
}

TEST_F(ExecutorLoopTest, LeasesAreRenewedAsTheClockMoves) {
  auto ex = NewExecutor(1);
  TimeMs t0 = clock_.Now();
  std::string id = Start(*ex, "pipeline: l\nsteps:\n  - {name: A, type: Echo}\n");
  StepTask a = Started(0);
  EXPECT_EQ(metadata_->GetExecution(id)->lease_expires, t0 + 30'000);
  clock_.Advance(10'001);
  TimeMs expected = t0 + 10'001 + 30'000;
  for (int i = 0; i < 500 && metadata_->GetExecution(id)->lease_expires != expected; ++i) {
    launcher_->Wake();
    std::this_thread::sleep_for(milliseconds(2));
  }
  EXPECT_EQ(metadata_->GetExecution(id)->lease_expires, expected);
  launcher_->RunForReal(a);
  EXPECT_EQ(ex->Wait(id)->status, "Succeeded");
}

TEST_F(ExecutorLoopTest, CacheEntriesExpireAfterTheirTime) {
  auto ex = NewExecutor(1);
  const std::string yaml = "pipeline: c\nsteps:\n  - {name: A, type: Echo, cache: {expire_after: PT1H}}\n";
  std::string first = RunOneStep(*ex, yaml, 0);
  clock_.Advance(30 * 60'000);
  std::string second = RunOneStep(*ex, yaml, 1);
  EXPECT_EQ(StepRun(second, "A").cache_hit_source, first);
  clock_.Advance(31 * 60'000);  // 61 minutes after the first run.
  std::string third = RunOneStep(*ex, yaml, 2);
  EXPECT_EQ(StepRun(third, "A").cache_hit_source, "");
}

TEST_F(ExecutorLoopTest, DeletedOutputsAreProducedAgainInsteadOfServedFromCache) {
  auto ex = NewExecutor(1);
  const std::string yaml = "pipeline: c\nsteps:\n  - {name: A, type: Echo}\n";
  std::string first = RunOneStep(*ex, yaml, 0);
  std::string digest = StepRun(first, "A").outputs["out"];
  std::filesystem::path stored = artifacts_->LocalPath(digest).value();
  std::filesystem::permissions(stored.parent_path(), std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::add);
  std::filesystem::remove(stored);
  std::string second = RunOneStep(*ex, yaml, 1);
  EXPECT_EQ(StepRun(second, "A").cache_hit_source, "");
  EXPECT_TRUE(artifacts_->Contains(digest));
}

TEST_F(ExecutorLoopTest, TheSameContentAtAnotherPathHitsTheCache) {
  auto ex = NewExecutor(1);
  for (const char* name : {"one.csv", "two.csv"}) ASSERT_TRUE(WriteFile(dir_.path() / name, "same bytes").ok());
  auto yaml = [&](const char* name) {
    return "pipeline: c\nsteps:\n  - {name: A, type: Echo, arguments: {input: \"" + (dir_.path() / name).string() +
           "\"}}\n";
  };
  std::string first = RunOneStep(*ex, yaml("one.csv"), 0);
  std::string second = RunOneStep(*ex, yaml("two.csv"), 1);
  EXPECT_EQ(StepRun(second, "A").cache_hit_source, first);
}

TEST_F(ExecutorLoopTest, ABranchResultRunsOnlyTheChosenNestedList) {
  auto ex = NewExecutor(2);
  std::string id = Start(*ex, R"(
pipeline: fork
steps:
  - name: F
    type: Fork
    arguments:
      go: right
      left: [{name: L, type: Echo}]
      right: [{name: R, type: Echo}]
)");
  launcher_->RunForReal(Started(0));
  StepTask next = Started(1);
  EXPECT_EQ(next.step->name, "R");
  launcher_->RunForReal(next);
  EXPECT_EQ(ex->Wait(id)->status, "Succeeded");
  EXPECT_EQ(StepRun(id, "F").metadata["branch"], "right");
  EXPECT_FALSE(metadata_->GetStepRun(id, "L").ok());
}

constexpr char kGrowing[] = R"(
pipeline: grow
steps:
  - {name: G, type: Grow, arguments: {items: [a, b]}}
  - {name: After, type: Echo, depends_on: [G]}
)";

TEST_F(ExecutorLoopTest, AnExpansionAddsStepsThatRunBeforeTheStepsAfterIt) {
  auto ex = NewExecutor(2);
  std::string id = Start(*ex, kGrowing);
  StepTask grow = Started(0);
  EXPECT_EQ(grow.step->name, "G");
  launcher_->RunForReal(grow);
  StepTask first = Started(1);
  StepTask second = Started(2);
  EXPECT_EQ(first.step->name, "E-a");
  EXPECT_EQ(second.step->name, "E-b");
  launcher_->RunForReal(first);
  EXPECT_FALSE(StartsSoon(3)) << "After must wait for every added step";
  launcher_->RunForReal(second);
  StepTask after = Started(3);
  EXPECT_EQ(after.step->name, "After");
  launcher_->RunForReal(after);
  EXPECT_EQ(ex->Wait(id)->status, "Succeeded");

  const Json expansion = StepRun(id, "G").metadata["expansion"];
  ASSERT_EQ(expansion.size(), 2u);
  EXPECT_EQ(expansion[1]["name"], "E-b");
  store::StepRunRecord b = StepRun(id, "E-b");
  EXPECT_EQ(b.status, "Succeeded");
  EXPECT_EQ(b.step_type, "Echo");
  EXPECT_EQ(ReadFile(artifacts_->LocalPath(b.outputs["out"].get<std::string>()).value()).value(), "b");
}

// Another process ran G (which added E-a and E-b) and E-a, and died while E-b
// ran: resuming runs E-b and After only, with G's expansion replayed.
TEST_F(ExecutorLoopTest, AResumedExecutionRunsOnlyTheStepsThatHadNotSucceeded) {
  auto def = ReadDefinition(kGrowing, "t.yaml", types_);
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  store::ExecutionRecord orphan;
  orphan.id = "orphan";
  orphan.pipeline = "grow";
  orphan.version = 1;
  orphan.status = "Executing";
  ASSERT_TRUE(metadata_->CreateExecution(orphan).ok());
  auto step_run = [&](const std::string& name, const std::string& type, const std::string& status) {
    store::StepRunRecord r;
    r.execution_id = "orphan";
    r.step_name = name;
    r.step_type = type;
    r.status = status;
    r.attempts = 1;
    r.started_at = 5;
    return r;
  };
  std::vector<StepDef> added;
  for (const char* item : {"a", "b"}) {
    StepDef step;
    step.name = std::string("E-") + item;
    step.type = "Echo";
    step.arguments = {{"text", item}};
    added.push_back(step);
  }
  store::StepRunRecord grow = step_run("G", "Grow", "Succeeded");
  StepResult::Expansion(added).RecordInMetadata(grow.metadata);
  store::ArtifactRecord a_out = artifacts_->PutBytes("a").value();
  store::StepRunRecord echo_a = step_run("E-a", "Echo", "Succeeded");
  echo_a.outputs = {{"out", a_out.digest}};
  ASSERT_TRUE(metadata_->PutStepRun(grow, {}, {}).ok());
  ASSERT_TRUE(metadata_->PutStepRun(echo_a, {a_out}, {}).ok());
  ASSERT_TRUE(metadata_->PutStepRun(step_run("E-b", "Echo", "Executing"), {}, {}).ok());

  auto ex = NewExecutor(2);
  ASSERT_TRUE(ex->Resume(*def, orphan, metadata_->ListStepRuns("orphan").value()).ok());
  StepTask first = Started(0);
  EXPECT_EQ(first.step->name, "E-b");
  EXPECT_FALSE(StartsSoon(1)) << "After waits for every added step";
  launcher_->RunForReal(first);
  StepTask after = Started(1);
  EXPECT_EQ(after.step->name, "After");
  launcher_->RunForReal(after);
  EXPECT_EQ(ex->Wait("orphan")->status, "Succeeded");
  EXPECT_FALSE(StartsSoon(2)) << "G and E-a ran once, in the process that died";
  store::StepRunRecord a = StepRun("orphan", "E-a");
  EXPECT_EQ(a.started_at, 5);
  EXPECT_EQ(a.outputs, echo_a.outputs);
  EXPECT_EQ(StepRun("orphan", "E-b").status, "Succeeded");
}

TEST_F(ExecutorLoopTest, ACachedExpansionAddsTheSameSteps) {
  auto ex = NewExecutor(1);
  std::string first = Start(*ex, kGrowing);
  for (size_t n = 0; n < 4; ++n) launcher_->RunForReal(Started(n));
  ASSERT_EQ(ex->Wait(first)->status, "Succeeded");
  std::string second = Start(*ex, kGrowing);
  for (size_t n = 4; n < 8; ++n) launcher_->RunForReal(Started(n));
  ASSERT_EQ(ex->Wait(second)->status, "Succeeded");
  EXPECT_EQ(StepRun(second, "G").cache_hit_source, first);
  EXPECT_EQ(StepRun(second, "E-b").cache_hit_source, first);
  EXPECT_EQ(StepRun(second, "After").status, "Succeeded");
}

TEST_F(ExecutorLoopTest, AnExpansionThatWouldWaitForItsOwnDependantIsRefused) {
  auto ex = NewExecutor(1);
  std::string id = Start(*ex, R"(
pipeline: loop
steps:
  - {name: G, type: Grow, arguments: {items: [a], waits_for: After}}
  - {name: After, type: Echo, depends_on: [G]}
)");
  launcher_->RunForReal(Started(0));
  auto e = ex->Wait(id);
  EXPECT_EQ(e->status, "Failed");
  EXPECT_NE(e->failure_reason.find("added step E-a would wait for After, which waits for G"), std::string::npos)
      << e->failure_reason;
  EXPECT_EQ(StepRun(id, "G").status, "Failed");
  EXPECT_FALSE(metadata_->GetStepRun(id, "E-a").ok());
  EXPECT_FALSE(metadata_->GetStepRun(id, "After").ok());
}

TEST_F(ExecutorLoopTest, AnExpansionReusingAStepNameIsRefused) {
  auto ex = NewExecutor(1);
  std::string id = Start(*ex, R"(
pipeline: clash
steps:
  - {name: G, type: Grow, arguments: {items: [a]}, retry: {max_attempts: 3, interval_seconds: 0}}
  - {name: E-a, type: Echo, depends_on: [G]}
)");
  launcher_->RunForReal(Started(0));
  auto e = ex->Wait(id);
  EXPECT_EQ(e->status, "Failed");
  EXPECT_NE(e->failure_reason.find("step G added steps that are not valid"), std::string::npos) << e->failure_reason;
  EXPECT_NE(e->failure_reason.find("E-a"), std::string::npos) << e->failure_reason;
  EXPECT_EQ(StepRun(id, "G").attempts, 1) << "a refused expansion is not retried";
}

// What a RegisterModel attempt reports, linking `output_digest` as an output.
AttemptResult Registering(const std::string& execution_id, const std::string& output_digest) {
  AttemptResult r;
  r.status = "Succeeded";
  r.arguments = {{"group", "churn"}};
  r.effects = {{"register",
                {{"group", "churn"},
                 {"approval_status", "Approved"},
                 {"model_digest", "m"},
                 {"metrics", Json::object()},
                 {"metadata", Json::object()}}}};
  r.links = {{execution_id, "R", "output", "model", output_digest}};
  return r;
}

TEST_F(ExecutorLoopTest, AVersionIsRegisteredOnlyWithTheStepRunThatMadeIt) {
  auto ex = NewExecutor(1);
  const std::string yaml = "pipeline: r\nsteps:\n  - {name: R, type: RegisterModel, arguments: {group: churn, model: m}}\n";
  std::string bad = Start(*ex, yaml);
  // The step run cannot be stored (its output is no stored artifact): the version must not stay registered.
  launcher_->Finish(Started(0), Registering(bad, "0000"));
  auto failed = ex->Wait(bad);
  EXPECT_EQ(failed->status, "Failed");
  EXPECT_EQ(StepRun(bad, "R").status, "Failed");
  EXPECT_TRUE(StepRun(bad, "R").metadata.is_object() && !StepRun(bad, "R").metadata.contains("model_version"));
  EXPECT_FALSE(registry_->Versions("churn").ok()) << "the version outlived its failed step run";

  std::string good = Start(*ex, yaml);
  StepTask task = Started(1);  // The executor has recorded the step run by now.
  auto stored = artifacts_->PutBytes("model bytes").value();
  ASSERT_TRUE(metadata_->PutStepRun(StepRun(good, "R"), {stored}, {}).ok());
  launcher_->Finish(task, Registering(good, stored.digest));
  EXPECT_EQ(ex->Wait(good)->status, "Succeeded");
  EXPECT_EQ(StepRun(good, "R").metadata["model_version"]["version"], 1);
  EXPECT_EQ(registry_->Versions("churn")->size(), 1u);
}

TEST_F(ExecutorLoopTest, AStepThatThrowsFailsWithTheMessage) {
  auto ex = NewExecutor(1);
  std::string id = Start(*ex, "pipeline: t\nsteps:\n  - {name: T, type: Throws}\n");
  launcher_->RunForReal(Started(0));
  auto e = ex->Wait(id);
  EXPECT_EQ(e->status, "Failed");
  EXPECT_EQ(e->failure_reason, "step T failed: the step threw an exception: bad argument: threshold");
}

TEST_F(ExecutorLoopTest, ACrashedAttemptIsRetriedAndTheExecutionCarriesOn) {
  auto ex = NewExecutor(1);
  std::string id = Start(*ex, R"(
pipeline: crash
steps:
  - {name: A, type: Echo, retry: {max_attempts: 2, interval_seconds: 0}}
)");
  launcher_->Fail(Started(0), "the step's process was killed by signal 9 (Killed)");
  launcher_->RunForReal(Started(1));
  EXPECT_EQ(ex->Wait(id)->status, "Succeeded");
  std::string log = ReadFile(dir_.path() / "work" / id / "A" / "log").value();
  EXPECT_NE(log.find("killed by signal 9"), std::string::npos) << log;
}

}  // namespace
}  // namespace grove::pipeline
