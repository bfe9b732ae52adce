#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <mutex>

#include "common/file_util.h"
#include "pipeline/executor.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/step_arguments.h"
#include "pipeline/validator.h"
#include "pipeline/yaml_reader.h"
#include "registry/registry.h"
#include "store/local_artifact_store.h"
#include "store/sqlite_metadata_store.h"

namespace grove::pipeline {
namespace {

// Counts the lines of `input` into output `count`; fails when the text holds `fail_on`.
// Remembers which steps ran (not from the cache).
class CountStep : public StepType {
 public:
  explicit CountStep(std::map<std::string, int>* runs, std::mutex* mu) : runs_(runs), mu_(mu) {}
  std::string_view Name() const override { return "Count"; }
  int Version() const override { return 1; }
  std::vector<std::string> Outputs(const StepDef&) const override { return {"count"}; }
  std::optional<std::string> PropertyFile(const StepDef&) const override { return "count"; }
  std::vector<std::string> InputArguments(const StepDef&) const override { return {"input"}; }
  std::vector<ArgumentSpec> ArgumentSchema() const override {
    return {{"input", ArgType::kPath}, {"label", ArgType::kString}, {"fail_on", ArgType::kString}};
  }
  Status Validate(const StepDef& step, const Definition& def) const override {
    return CheckArgumentKeys(step, def, {}, {"input", "label", "fail_on"});
  }
  Status Run(StepContext& ctx) const override {
    {
      std::lock_guard<std::mutex> lock(*mu_);
      ++(*runs_)[ctx.step->name];
    }
    std::string text = ctx.arguments.contains("input") ? ReadFile(ArgumentText(ctx.arguments, "input")).value() : "";
    std::string label = ArgumentText(ctx.arguments, "label");
    std::string fail_on = ArgumentText(ctx.arguments, "fail_on");
    if (!fail_on.empty() && (text.find(fail_on) != std::string::npos || label == fail_on)) {
      return Status::InvalidArgument("found " + fail_on);
    }
    Json out = {{"lines", std::count(text.begin(), text.end(), '\n')}, {"label", label}};
    return WriteFileAtomic(ctx.OutputPath("count"), out.dump());
  }

 private:
  std::map<std::string, int>* runs_;
  std::mutex* mu_;
};

class ForEachTest : public ::testing::Test {
 protected:
  void SetUp() override {
    metadata_ = std::move(store::OpenSqliteMetadataStore((dir_.path() / "grove.db").string()).value());
    artifacts_ = std::move(store::OpenLocalArtifactStore(dir_.path() / "artifacts").value());
    registry_ = std::make_unique<registry::Registry>(metadata_.get(), SystemClock::Default());
    types_.Register(std::make_unique<CountStep>(&runs_, &mu_));
    types_.Register(MakeForEachStep(&types_));
    types_.Register(MakeConditionStep());
    types_.Register(MakeFailStep());
    ExecutorServices services{metadata_.get(), artifacts_.get(), registry_.get(), SystemClock::Default(), &types_};
    ExecutorOptions options;
    options.max_parallel_steps = 2;
    options.work_dir = dir_.path() / "work";
    executor_ = std::make_unique<Executor>(services, options);
  }

  // `params` as the app layer passes them: every parameter given (Only defaults to "").
  store::ExecutionRecord Run(const std::string& yaml, Json params = Json::object()) {
    runs_.clear();
    if (yaml.find("Only:") != std::string::npos && !params.contains("Only")) params["Only"] = "";
    auto def = ReadDefinition(yaml, "fleet.yaml", types_);
    EXPECT_TRUE(def.ok()) << def.status().ToString();
    auto id = executor_->Start(*def, 1, params);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    return executor_->Wait(*id).value();
  }

  std::map<std::string, store::StepRunRecord> Steps(const std::string& id) {
    std::map<std::string, store::StepRunRecord> out;
    for (auto& r : metadata_->ListStepRuns(id).value()) out[r.step_name] = r;
    return out;
  }

  std::string Write(const std::string& name, const std::string& text) {
    auto path = dir_.path() / name;
    std::filesystem::create_directories(path.parent_path());
    std::ofstream(path) << text;
    return path.string();
  }

  TempDir dir_;
  std::mutex mu_;
  std::map<std::string, int> runs_;
  std::unique_ptr<store::MetadataStore> metadata_;
  std::unique_ptr<store::ArtifactStore> artifacts_;
  std::unique_ptr<registry::Registry> registry_;
  StepTypeRegistry types_;
  std::unique_ptr<Executor> executor_;
};

const char* kByColumn = R"(
pipeline: fleet
parameters:
  InputData: {type: String}
  Only: {type: String, default: ""}
steps:
  - name: PerDim
    type: ForEach
    arguments:
      input: {Get: Parameters.InputData}
      column: Dim
      only: {Get: Parameters.Only}
      steps:
        - {name: Prep, type: Count, arguments: {input: "${item.data}", label: "${item}-group"}}
        - name: Check
          type: Condition
          arguments:
            conditions:
              - GreaterThanOrEqualTo: [{JsonGet: {step: Prep, path: lines}}, 3]
            if_steps:
              - {name: Use, type: Count, arguments: {input: {Get: Steps.Prep.Outputs.count}}}
            else_steps:
              - {name: TooFew, type: Fail, arguments: {message: "too few rows for ${item}"}}
  - {name: After, type: Count, depends_on: [PerDim]}
)";

TEST_F(ForEachTest, RunsTheTemplateOncePerColumnValueWithTheItemsOwnRows) {
  std::string data = Write("fleet.csv", "Dim,x\nA,1\nB,2\nA,3\nB,4\n");
  auto done = Run(kByColumn, {{"InputData", data}});
  ASSERT_EQ(done.status, "Succeeded") << done.failure_reason;
  auto steps = Steps(done.id);
  for (const char* name : {"Prep[A]", "Prep[B]", "Check[A]", "Use[A]", "Use[B]", "After"}) {
    EXPECT_EQ(steps[name].status, "Succeeded") << name;
  }
  EXPECT_EQ(steps.count("TooFew[A]"), 0u);
  EXPECT_GT(steps["After"].started_at, 0);
  EXPECT_GE(steps["After"].started_at, steps["Use[B]"].ended_at) << "steps after a ForEach wait for every item";
  // Each item saw the header and its own two rows, and its own label.
  auto count = [&](const std::string& step) {
    return Json::parse(ReadFile(artifacts_->LocalPath(steps[step].outputs["count"]).value()).value());
  };
  EXPECT_EQ(count("Prep[A]")["lines"], 3);
  EXPECT_EQ(count("Prep[B]")["label"], "B-group");
}

TEST_F(ForEachTest, OnlyKeepsTheNamedItemAndAnUnknownOneIsAClearError) {
  std::string data = Write("fleet.csv", "Dim,x\nA,1\nB,2\nA,3\nB,4\n");
  auto one = Run(kByColumn, {{"InputData", data}, {"Only", "B"}});
  ASSERT_EQ(one.status, "Succeeded") << one.failure_reason;
  auto steps = Steps(one.id);
  EXPECT_EQ(steps.count("Prep[A]"), 0u);
  EXPECT_EQ(steps["Use[B]"].status, "Succeeded");
  auto unknown = Run(kByColumn, {{"InputData", data}, {"Only", "C"}});
  EXPECT_EQ(unknown.status, "Failed");
  EXPECT_NE(unknown.failure_reason.find("only: 'C' is not an item (items: A, B)"), std::string::npos)
      << unknown.failure_reason;
}

TEST_F(ForEachTest, AFailingItemFailsAloneAndTheForEachNamesIt) {
  std::string data = Write("fleet.csv", "Dim,x\nA,1\nB,2\nA,3\nC,5\nC,6\n");
  auto done = Run(kByColumn, {{"InputData", data}});
  EXPECT_EQ(done.status, "Failed");
  EXPECT_EQ(done.failure_reason, "step PerDim failed: 1 of 3 items failed: B");
  auto steps = Steps(done.id);
  EXPECT_EQ(steps["TooFew[B]"].status, "Failed");
  EXPECT_EQ(steps["TooFew[B]"].failure_reason, "too few rows for B");
  EXPECT_EQ(steps["Use[A]"].status, "Succeeded") << "other items go on";
  EXPECT_EQ(steps["Use[C]"].status, "Succeeded");
  EXPECT_EQ(steps.count("After"), 0u) << "what waits for the ForEach does not start";
  EXPECT_EQ(steps["PerDim"].status, "Failed");
  EXPECT_NE(steps["PerDim"].failure_reason.find("TooFew[B]: too few rows for B"), std::string::npos);
  EXPECT_EQ(steps["PerDim"].metadata["failed_items"], Json::array({"B"}));
}

TEST_F(ForEachTest, ChangingOneItemsDataRerunsOnlyThatItem) {
  std::string data = Write("fleet.csv", "Dim,x\nA,1\nB,2\nA,3\nB,4\n");
  ASSERT_EQ(Run(kByColumn, {{"InputData", data}}).status, "Succeeded");
  Write("fleet.csv", "Dim,x\nA,1\nB,2\nA,3\nB,40\n");
  auto second = Run(kByColumn, {{"InputData", data}});
  ASSERT_EQ(second.status, "Succeeded");
  EXPECT_EQ(runs_.count("Prep[A]"), 0u) << "item A's rows did not change";
  EXPECT_EQ(runs_["Prep[B]"], 1);
  auto steps = Steps(second.id);
  EXPECT_FALSE(steps["Prep[A]"].cache_hit_source.empty());
}

TEST_F(ForEachTest, ItemsFromAListOrFolders) {
  auto listed = Run(R"(
pipeline: listed
parameters:
  Names: {type: String}
steps:
  - name: Each
    type: ForEach
    arguments:
      items: {Get: Parameters.Names}
      steps: [{name: S, type: Count, arguments: {label: "${item}"}}]
)",
                    {{"Names", "x, y,x"}});
  ASSERT_EQ(listed.status, "Succeeded") << listed.failure_reason;
  auto steps = Steps(listed.id);
  EXPECT_EQ(steps.count("S[x]") + steps.count("S[y]"), 2u);
  EXPECT_EQ(steps.size(), 3u);

  Write("in/one/a.txt", "1\n");
  Write("in/two/b.txt", "1\n2\n");
  const std::string yaml = R"(
pipeline: folders
parameters:
  Root: {type: String}
steps:
  - name: Each
    type: ForEach
    arguments:
      input: {Get: Parameters.Root}
      steps: [{name: S, type: Count, arguments: {label: "${item}"}}]
)";
  auto folders = Run(yaml, {{"Root", (dir_.path() / "in").string()}});
  ASSERT_EQ(folders.status, "Succeeded") << folders.failure_reason;
  steps = Steps(folders.id);
  EXPECT_EQ(steps["S[one]"].status, "Succeeded");
  EXPECT_EQ(steps["S[two]"].status, "Succeeded");
}

TEST_F(ForEachTest, TemplateMistakesAreReportedBeforeAnythingRuns) {
  auto def = ReadDefinition(R"(
pipeline: bad
steps:
  - name: Each
    type: ForEach
    arguments:
      items: [a]
      steps:
        - {name: S, type: Count, arguments: {input: {Get: Steps.Nope.Outputs.count}}}
)",
                            "bad.yaml", types_);
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  Status s = ValidateDefinition(*def, types_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("bad.yaml:"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("Nope"), std::string::npos) << s.message();

  auto unknown = ReadDefinition(R"(
pipeline: bad
steps:
  - name: Each
    type: ForEach
    arguments:
      items: [a]
      steps: [{name: S, type: Cuont}]
)",
                                "bad.yaml", types_);
  ASSERT_TRUE(unknown.ok());
  s = ValidateDefinition(*unknown, types_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("steps[0].type: unknown step type \"Cuont\""), std::string::npos) << s.message();
}

}  // namespace
}  // namespace grove::pipeline
