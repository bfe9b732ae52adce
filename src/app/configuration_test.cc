#include "app/configuration.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/access_keys.h"
#include "app/app_test_fixture.h"
#include "app/promotion_flow.h"
#include "events/hook_records.h"
#include "events/trigger_records.h"
#include "registry/traffic.h"

namespace grove::app {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

class ConfigurationTest : public testing::AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    Write("hello.yaml", testing::kScriptPipeline);
  }

  ConfigDocument Read(const std::string& yaml) {
    auto doc = ParseConfigText(yaml, "grove.yaml", dir_.path());
    EXPECT_TRUE(doc.ok()) << doc.status().ToString();
    return doc.ok() ? *doc : ConfigDocument{};
  }

  Status ReadError(const std::string& yaml) { return ParseConfigText(yaml, "grove.yaml", dir_.path()).status(); }

  // "+ endpoint models" for each change.
  std::vector<std::string> Changes(const ConfigPlan& plan) {
    std::vector<std::string> out;
    for (const ConfigChange& c : plan.changes) {
      out.push_back((c.action == "create" ? "+ " : c.action == "change" ? "~ " : "- ") + c.noun + " " + c.name);
    }
    return out;
  }

  ConfigPlan PlanOf(const std::string& yaml, bool prune = false) {
    auto plan = Configuration(*home_).Plan(Read(yaml), prune);
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    return plan.ok() ? *plan : ConfigPlan{};
  }

  ConfigApplied ApplyOf(const std::string& yaml, bool prune = false) {
    auto applied = Configuration(*home_).Apply(Read(yaml), prune, "ana");
    EXPECT_TRUE(applied.ok()) << applied.status().ToString();
    return applied.ok() ? *applied : ConfigApplied{};
  }

  // Endpoints last, so a test may append one.
  static constexpr const char* kConfig = R"(
pipelines:
  hello: hello.yaml
triggers:
  nightly: {schedule: "0 2 * * *", pipeline: hello, parameters: {Word: night}}
keys:
  ci: {role: operator}
hooks:
  notify: {on: model.approved, where: {group: "*-model-registry"}, command: "cat >> approvals.jsonl"}
endpoints:
  models:
    multi_model: true
    follow: [Abalone, "churn-*"]
)";
};

TEST_F(ConfigurationTest, ApplyCreatesThenASecondApplyChangesNothing) {
  EXPECT_THAT(Changes(PlanOf(kConfig)),
              ElementsAre("+ pipeline hello", "+ endpoint models", "+ trigger nightly", "+ hook notify", "+ key ci"));
  ConfigApplied applied = ApplyOf(kConfig);
  EXPECT_EQ(applied.plan.changes.size(), 5u);
  ASSERT_EQ(applied.created_keys.size(), 1u);
  EXPECT_EQ(applied.created_keys[0]["name"], "ci");
  EXPECT_EQ(applied.created_keys[0]["secret_access_key"].get<std::string>().size(), kSecretLength);

  auto endpoint = home_->metadata()->GetEndpoint("models");
  ASSERT_TRUE(endpoint.ok());
  EXPECT_TRUE(endpoint->multi_model);
  EXPECT_THAT(endpoint->follow, ElementsAre("Abalone", "churn-*"));
  auto trigger = events::GetTrigger(*home_->metadata(), "nightly");
  ASSERT_TRUE(trigger.ok()) << trigger.status().ToString();
  EXPECT_EQ(trigger->parameters.at("Word"), "night");
  EXPECT_EQ(trigger->source, "grove.yaml");
  EXPECT_EQ(home_->metadata()->GetPipeline("hello")->latest_version, 1);

  EXPECT_TRUE(PlanOf(kConfig).empty());
  EXPECT_TRUE(ApplyOf(kConfig).plan.empty());
  EXPECT_EQ(ListAccessKeys(*home_->metadata())->size(), 1u);  // No second key.
}

TEST_F(ConfigurationTest, AChangeNamesWhatDiffers) {
  ApplyOf(kConfig);
  std::string changed = kConfig;
  changed.replace(changed.find("\"churn-*\"]"), 10, "\"churn-*\", \"fleet-*\"]");
  changed.replace(changed.find("role: operator"), 14, "role: approver");
  ConfigPlan plan = PlanOf(changed);
  EXPECT_THAT(Changes(plan), ElementsAre("~ endpoint models", "~ key ci"));
  EXPECT_THAT(plan.changes[0].details,
              ElementsAre("follow: [\"Abalone\",\"churn-*\"] -> [\"Abalone\",\"churn-*\",\"fleet-*\"]"));
  ApplyOf(changed);
  EXPECT_THAT(home_->metadata()->GetEndpoint("models")->follow, ElementsAre("Abalone", "churn-*", "fleet-*"));
  EXPECT_EQ(ListAccessKeys(*home_->metadata())->at(0).role, Role::kApprover);
  EXPECT_TRUE(PlanOf(changed).empty());
}

TEST_F(ConfigurationTest, HooksAreDeclaredChangedAndErrorsNameTheirMember) {
  ApplyOf(kConfig);
  auto hooks = store::ReadValue(*home_->metadata(), [](store::StoreReader& rows) { return events::ListHooks(rows); });
  ASSERT_TRUE(hooks.ok());
  ASSERT_EQ(hooks->size(), 1u);
  EXPECT_EQ((*hooks)[0].where.at("group"), "*-model-registry");
  std::string changed = kConfig;
  changed.replace(changed.find("on: model.approved"), 18, "on: model.rejected");
  ConfigPlan plan = PlanOf(changed);
  EXPECT_THAT(Changes(plan), ElementsAre("~ hook notify"));
  EXPECT_THAT(plan.changes[0].details, ElementsAre("on: \"model.approved\" -> \"model.rejected\""));
  EXPECT_THAT(ReadError("hooks:\n  h: {on: model.approved, webhok: http://x}\n").message(),
              AllOf(HasSubstr("grove.yaml:2:27: hooks.h.webhok: "), HasSubstr("did you mean 'webhook'")));
}

TEST_F(ConfigurationTest, PromotionFlowsReadTheirSampleFile) {
  Write("sample.csv", "M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15\n");
  const std::string config = R"(
promotions:
  abalone:
    groups: ["Abalone*"]
    staging: abalone-staging
    production: abalone-prod
    gate: {sample_file: sample.csv, input: raw}
    approvers: [release-manager]
)";
  EXPECT_THAT(Changes(ApplyOf(config).plan), ElementsAre("+ promotion flow abalone"));
  auto flows = store::ReadValue(*home_->metadata(), [](store::StoreReader& rows) { return ListPromotionFlows(rows); });
  ASSERT_TRUE(flows.ok()) << flows.status().ToString();
  ASSERT_EQ(flows->size(), 1u);
  EXPECT_EQ((*flows)[0].gate.sample, "M,0.455,0.365,0.095,0.514,0.2245,0.101,0.15\n");
  EXPECT_TRUE((*flows)[0].gate.raw);
  EXPECT_TRUE(PlanOf(config).empty());
  // The sample is compared by content: a changed file changes the flow.
  Write("sample.csv", "F,0.5,0.4,0.1,0.5,0.2,0.1,0.2\n");
  EXPECT_THAT(Changes(PlanOf(config)), ElementsAre("~ promotion flow abalone"));
  EXPECT_THAT(ReadError("promotions:\n  p:\n    gate: {sample_file: none.csv}\n").message(),
              HasSubstr("grove.yaml:3:12: promotions.p.gate.sample_file: "));
}

TEST_F(ConfigurationTest, ANewDefinitionIsANewVersion) {
  ApplyOf(kConfig);
  std::string text = testing::kScriptPipeline;
  Write("hello.yaml", text.replace(text.find("writes two files"), 16, "writes files"));
  EXPECT_THAT(Changes(PlanOf(kConfig)), ElementsAre("~ pipeline hello"));
  ApplyOf(kConfig);
  EXPECT_EQ(home_->metadata()->GetPipeline("hello")->latest_version, 2);
}

TEST_F(ConfigurationTest, OnlyPruneRemovesWhatIsNoLongerDeclared) {
  ApplyOf(kConfig);
  const std::string fewer = "pipelines:\n  hello: hello.yaml\n";
  ConfigPlan kept = PlanOf(fewer);
  EXPECT_TRUE(kept.empty());
  EXPECT_THAT(kept.kept, ElementsAre("endpoint models", "trigger nightly", "hook notify", "key ci"));
  EXPECT_TRUE(ApplyOf(fewer).plan.empty());

  EXPECT_THAT(Changes(PlanOf(fewer, true)), ElementsAre("- key ci", "- hook notify", "- trigger nightly", "- endpoint models"));
  ApplyOf(fewer, true);
  EXPECT_FALSE(home_->metadata()->GetEndpoint("models").ok());
  EXPECT_FALSE(events::GetTrigger(*home_->metadata(), "nightly").ok());
  EXPECT_FALSE(ListAccessKeys(*home_->metadata())->at(0).active());
  EXPECT_TRUE(PlanOf(fewer, true).empty());
}

TEST_F(ConfigurationTest, PruneNeverTouchesGrovesOwnKeys) {
  ASSERT_TRUE(CreateAccessKey(*home_->metadata(), Role::kAdmin, kAdminKeyName).ok());
  ASSERT_TRUE(CreateAccessKey(*home_->metadata(), Role::kOperator, kStepKeyName).ok());
  EXPECT_TRUE(PlanOf("{}", true).empty());
  EXPECT_THAT(ReadError("keys:\n  admin: {role: viewer}\n").message(),
              HasSubstr("grove.yaml:2:3: keys.admin: 'admin' is Grove's own key"));
}

TEST_F(ConfigurationTest, AnApplyThatFailsChangesNothing) {
  RegisterAbalone("Abalone", /*approve=*/false);
  const std::string config = std::string(kConfig) + "  staging:\n    follow: [Abalone]\n    deploy: [Abalone/1]\n";
  auto applied = Configuration(*home_).Apply(Read(config), false, "ana");
  ASSERT_FALSE(applied.ok());
  EXPECT_THAT(applied.status().message(), HasSubstr("endpoints/staging: Abalone/1 is PendingManualApproval"));
  // Nothing of the file was applied: not even the entries before the failing one.
  EXPECT_FALSE(home_->metadata()->GetPipeline("hello").ok());
  EXPECT_FALSE(home_->metadata()->GetEndpoint("models").ok());
  EXPECT_TRUE(ListAccessKeys(*home_->metadata())->empty());
  // The client points at the entry's line.
  EXPECT_THAT(Read(config).Located(applied.status()).message(),
              HasSubstr("grove.yaml:14:3: endpoints.staging: Abalone/1 is PendingManualApproval"));
}

TEST_F(ConfigurationTest, PinsAreManagedOnlyWhenDeclared) {
  RegisterAbalone("Abalone", /*approve=*/true);
  const std::string pinned = "endpoints:\n  prod:\n    follow: [Abalone]\n    deploy: [Abalone/1]\n";
  ApplyOf(pinned);
  ASSERT_EQ(home_->metadata()->GetEndpoint("prod")->deployments.size(), 1u);
  // Without `deploy`, pins are someone else's (a promotion flow, grove endpoint deploy).
  EXPECT_TRUE(PlanOf("endpoints:\n  prod:\n    follow: [Abalone]\n").empty());
  ConfigPlan unpin = PlanOf("endpoints:\n  prod:\n    follow: [Abalone]\n    deploy: []\n");
  ASSERT_THAT(Changes(unpin), ElementsAre("~ endpoint prod"));
  ApplyOf("endpoints:\n  prod:\n    follow: [Abalone]\n    deploy: []\n");
  EXPECT_TRUE(home_->metadata()->GetEndpoint("prod")->deployments.empty());
}

TEST_F(ConfigurationTest, VariantsAreManagedOnlyWhenDeclared) {
  RegisterAbalone("Abalone", /*approve=*/true);
  RegisterAbalone("Abalone", /*approve=*/true);
  const std::string split =
      "endpoints:\n  prod:\n    follow: [Abalone]\n    variants:\n"
      "      - {name: a, model: Abalone/1, weight: 90}\n      - {name: b, model: Abalone/2, weight: 10}\n"
      "      - {name: s, model: Abalone/2, shadow: true}\n";
  ASSERT_THAT(Changes(PlanOf(split)), ElementsAre("+ endpoint prod"));
  ApplyOf(split);
  registry::TrafficSpec traffic = registry::Traffic(home_->metadata(), home_->clock()).Get("prod").value();
  ASSERT_EQ(traffic.variants.size(), 3u);
  EXPECT_DOUBLE_EQ(traffic.variants[1].weight, 10);
  EXPECT_TRUE(PlanOf(split).empty());
  // Without `variants`, they are someone else's (a rollout, grove endpoint variants).
  EXPECT_TRUE(PlanOf("endpoints:\n  prod:\n    follow: [Abalone]\n").empty());
  const std::string reweighted = std::string(split).replace(split.find("weight: 10"), 10, "weight: 50");
  ASSERT_THAT(Changes(PlanOf(reweighted)), ElementsAre("~ endpoint prod"));
  ApplyOf("endpoints:\n  prod:\n    follow: [Abalone]\n    variants: []\n");
  EXPECT_TRUE(registry::Traffic(home_->metadata(), home_->clock()).Get("prod")->variants.empty());
  EXPECT_EQ(ReadError("endpoints:\n  prod:\n    variants: [{name: a, model: Abalone}]\n").message(),
            "grove.yaml:2:3: endpoints.prod: variants[0].model: 'Abalone' is not a model version; expected "
            "<group>/<version>, e.g. AbalonePackageGroup/1");
}

TEST_F(ConfigurationTest, ExportThenApplyChangesNothing) {
  RegisterAbalone("Abalone", /*approve=*/true);
  ApplyOf(std::string(kConfig) + "  prod:\n    capture_percent: 12.5\n    deploy: [Abalone/1]\n" +
          "    variants: [{name: a, model: Abalone/1, weight: 2}, {name: s, model: Abalone/1, shadow: true}]\n");
  auto exported = Configuration(*home_).Export();
  ASSERT_TRUE(exported.ok()) << exported.status().ToString();
  std::map<std::string, std::string> files;
  for (const std::string dir : {"", "pipelines"}) {
    auto yaml = ExportYaml(*exported, dir, [&](const std::string& path, const std::string& text) {
      files[path] = text;
      return WriteFileAtomic(dir_.path() / path, text);
    });
    ASSERT_TRUE(yaml.ok()) << yaml.status().ToString();
    ConfigPlan plan = PlanOf(*yaml, /*prune=*/true);
    EXPECT_TRUE(plan.empty()) << *yaml << "\n" << ToJson(plan).dump(2);
  }
  EXPECT_EQ(files.at("pipelines/hello.yaml"), testing::kScriptPipeline);
}

TEST_F(ConfigurationTest, InlineDefinitionsAreStored) {
  ConfigApplied applied = ApplyOf(R"(
pipelines:
  inline:
    definition:
      pipeline: inline
      parameters: {Threshold: {type: Float, default: 0.5}}
      steps:
        - {name: Stop, type: Fail, arguments: {message: "not yet: 10"}}
)");
  EXPECT_THAT(Changes(applied.plan), ElementsAre("+ pipeline inline"));
  auto def = home_->metadata()->GetDefinition("inline", 1);
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_THAT(def->body, HasSubstr("\"not yet: 10\""));
}

TEST_F(ConfigurationTest, ErrorsPointAtTheLineAndColumn) {
  EXPECT_THAT(ReadError("endpoint:\n  x: {}\n").message(),
              HasSubstr("grove.yaml:1:1: unknown section 'endpoint'; did you mean 'endpoints'? (sections: pipelines, "));
  EXPECT_EQ(ReadError("endpoints:\n  models:\n    follow: [a, 7]\n").message(),
            "grove.yaml:3:17: endpoints.models.follow[1]: expected text");
  EXPECT_EQ(ReadError("endpoints:\n  models:\n    capture: 5\n").message(),
            "grove.yaml:3:5: endpoints.models.capture: unknown member 'capture' (expected multi_model, follow, "
            "capture_percent, deploy, variants)");
  EXPECT_THAT(ReadError("pipelines:\n  hello: missing.yaml\n").message(), HasSubstr("grove.yaml:2:3: pipelines.hello:"));
  EXPECT_THAT(ReadError("pipelines:\n  other: hello.yaml\n").message(),
              HasSubstr("grove.yaml:2:3: pipelines.other: "));
  EXPECT_THAT(ReadError("pipelines:\n  other: hello.yaml\n").message(), HasSubstr("names pipeline 'hello', not 'other'"));
  EXPECT_THAT(ReadError("endpoints:\n  e:\n    deploy: [A/1, A/2]\n").message(),
              HasSubstr("grove.yaml:3:19: endpoints.e.deploy[1]: a second pin of group 'A'"));
  EXPECT_THAT(ReadError("keys:\n  ci: {role: boss}\n").message(), HasSubstr("grove.yaml:2:8: keys.ci.role: expected a role"));
  EXPECT_THAT(ReadError("triggers:\n  t: {schedule: \"61 * * * *\", pipeline: hello}\n").message(),
              HasSubstr("grove.yaml:2:"));
  EXPECT_THAT(ReadError("endpoints: [a\n").message(), HasSubstr("grove.yaml:"));
  EXPECT_THAT(ReadError("&a [*a]\n").message(), HasSubstr("grove.yaml:1:1: nested more than 256 levels deep"));
}

TEST_F(ConfigurationTest, TheDocumentSurvivesJson) {
  ConfigDocument doc = Read(kConfig);
  auto again = ConfigDocumentFromJson(ToJson(doc));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->sections, doc.sections);
  EXPECT_THAT(ConfigDocumentFromJson(Json{{"widgets", 1}}).status().message(), HasSubstr("unknown section 'widgets'"));
  // Wrong types are errors, never exceptions.
  EXPECT_FALSE(ConfigDocumentFromJson(Json{{"source", 7}}).ok());
  EXPECT_FALSE(ConfigDocumentFromJson(Json{{"pipelines", {{"hello", {{"text", "x"}, {"source", 7}}}}}}).ok());
  EXPECT_FALSE(ConfigDocumentFromJson(Json{{"endpoints", {{"e", {{"capture_percent", "ten"}}}}}}).ok());
  EXPECT_FALSE(ConfigDocumentFromJson(Json{{"keys", {{"k", Json::array()}}}}).ok());
  EXPECT_FALSE(ConfigDocumentFromJson(Json{{"hooks", {{"h", {{"on", 5}, {"email", {1, 2}}}}}}}).ok());
  EXPECT_FALSE(ConfigDocumentFromJson(Json{{"triggers", {{"t", {{"schedule", 5}}}}}}).ok());
  EXPECT_FALSE(ConfigDocumentFromJson(Json{{"promotions", {{"p", {{"gate", {{"sample_file", 3}}}}}}}}).ok());
}

}  // namespace
}  // namespace grove::app
