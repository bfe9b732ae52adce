#include "events/trigger_spec.h"

#include <gtest/gtest.h>

namespace grove::events {
namespace {

using Bindings = std::map<std::string, std::string>;

std::optional<Bindings> MatchOf(const std::string& pattern, const std::string& path) {
  auto parsed = WatchPattern::Parse(pattern);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? parsed->Match(path) : std::nullopt;
}

TEST(WatchPatternTest, BindsTheFolderName) {
  auto bound = MatchOf("training-dataset/{StateDim}/*.csv", "training-dataset/DummyDim2/churn_dummy_dim2.csv");
  ASSERT_TRUE(bound);
  EXPECT_EQ(*bound, (Bindings{{"StateDim", "DummyDim2"}}));
}

TEST(WatchPatternTest, RejectsOtherDepthsSuffixesAndFolders) {
  const std::string p = "training-dataset/{StateDim}/*.csv";
  EXPECT_FALSE(MatchOf(p, "training-dataset/churn.csv"));
  EXPECT_FALSE(MatchOf(p, "training-dataset/A/B/churn.csv"));
  EXPECT_FALSE(MatchOf(p, "training-dataset/A/churn.csv.tmp"));
  EXPECT_FALSE(MatchOf(p, "inference-dataset/A/churn.csv"));
  EXPECT_FALSE(MatchOf(p, ""));
}

TEST(WatchPatternTest, PartialSegmentsQuestionMarkAndDoubleStar) {
  EXPECT_EQ(*MatchOf("in/dim_{N}_test.csv", "in/dim_12_test.csv"), (Bindings{{"N", "12"}}));
  EXPECT_TRUE(MatchOf("in/file?.csv", "in/file1.csv"));
  EXPECT_FALSE(MatchOf("in/file?.csv", "in/file12.csv"));
  EXPECT_EQ(*MatchOf("**/{Dim}/*.csv", "a/b/X/f.csv"), (Bindings{{"Dim", "X"}}));
  EXPECT_EQ(*MatchOf("**/{Dim}/*.csv", "X/f.csv"), (Bindings{{"Dim", "X"}}));
  // A failed branch leaves no binding behind.
  EXPECT_EQ(*MatchOf("{A}/x/*.csv", "q/x/f.csv"), (Bindings{{"A", "q"}}));
}

TEST(WatchPatternTest, StaticPrefix) {
  EXPECT_EQ(WatchPattern::Parse("training-dataset/{StateDim}/*.csv")->StaticPrefix(), "training-dataset/");
  EXPECT_EQ(WatchPattern::Parse("a/b/*.csv")->StaticPrefix(), "a/b/");
  EXPECT_EQ(WatchPattern::Parse("{X}/*.csv")->StaticPrefix(), "");
}

TEST(WatchPatternTest, BadPatterns) {
  for (const char* bad : {"", "/abs/*.csv", "a/../b", "a//b", "a/{X", "a/{}/b", "{X}/{X}", "a/x**/b", "{path}/a"}) {
    EXPECT_FALSE(WatchPattern::Parse(bad).ok()) << bad;
  }
}

TEST(TemplateTest, ExpandsAndNamesUnknowns) {
  Bindings values{{"StateDim", "D2"}, {"path", "/in/f.csv"}};
  EXPECT_EQ(*ExpandTemplate("{StateDim}-model-registry", values), "D2-model-registry");
  EXPECT_EQ(*ExpandTemplate("{path}", values), "/in/f.csv");
  EXPECT_EQ(*ExpandTemplate("plain", values), "plain");
  auto bad = ExpandTemplate("{Dim}", values);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("no {Dim} here (there are {StateDim}, {path})"), std::string::npos)
      << bad.status().message();
}

constexpr const char* kFleet = R"(triggers:
  - name: fleet-training
    watch: "training-dataset/{StateDim}/*.csv"
    pipeline: fleet.yaml            # a file, relative to this triggers file
    parameters: {StateDim: "{StateDim}", InputData: "{path}"}
  - name: fleet-inference
    watch: "inference-dataset/{Dimension}/*.csv"
    queue: {dimension: "{Dimension}", endpoint: fleet, model: "{Dimension}-model-registry"}
  - name: nightly
    schedule: "0 2 * * *"
    pipeline: churn
    parameters: {Note: "{trigger} at {time}"}
)";

TEST(TriggersFileTest, ReadsTheFleetLayout) {
  auto specs = ParseTriggersText(kFleet, "fleet-triggers.yaml", "/data/examples");
  ASSERT_TRUE(specs.ok()) << specs.status().ToString();
  ASSERT_EQ(specs->size(), 3u);
  const TriggerSpec& training = (*specs)[0];
  EXPECT_EQ(training.name, "fleet-training");
  EXPECT_EQ(training.pipeline, "/data/examples/fleet.yaml");
  EXPECT_EQ(training.parameters, (Bindings{{"InputData", "{path}"}, {"StateDim", "{StateDim}"}}));
  EXPECT_EQ(training.settle_ms, 500);
  EXPECT_EQ(training.source, "fleet-triggers.yaml");
  const TriggerSpec& inference = (*specs)[1];
  EXPECT_TRUE(inference.queue);
  EXPECT_EQ(inference.queue_target.at("model"), "{Dimension}-model-registry");
  EXPECT_EQ((*specs)[2].pipeline, "churn");  // A registered pipeline's name stays a name.
  // JSON round trip (the store and the REST API).
  auto back = TriggerSpecFromJson(ToJson(training));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(ToJson(*back), ToJson(training));
}

std::string ErrorOf(const std::string& text) {
  auto specs = ParseTriggersText(text, "t.yaml", "/x");
  return specs.ok() ? "ok" : specs.status().message();
}

// A byte that is not UTF-8 would become a JSON string that throws when dumped (found by fuzzing the other YAML
// readers, fuzz/yaml_definition_fuzz.cc): refused where it is, before YAML is parsed.
TEST(TriggersFileTest, InvalidUtf8IsRefusedWithItsPosition) {
  EXPECT_EQ(ErrorOf("triggers:\n  - name: a\xff\n    watch: \"in/*.csv\"\n    pipeline: p.yaml\n"),
            "t.yaml:2:12: not valid UTF-8 (byte 0xFF); a triggers file must be UTF-8 text");
}

TEST(TriggersFileTest, ErrorsCarryLineAndColumn) {
  EXPECT_EQ(ErrorOf("triggers:\n  - name: a\n    watch: \"in/{X/*.csv\"\n    pipeline: p.yaml\n")
                .substr(0, 51), "t.yaml:3:12: triggers[0]: trigger a: watch pattern ");
  EXPECT_NE(ErrorOf("triggers:\n  - name: a\n    watch: \"in/*.csv\"\n    pipeline: p.yaml\n"
                    "    parameters: {A: \"{Dim}\"}\n")
                .find("t.yaml:5:17: triggers[0]: trigger a: parameters.A '{Dim}': no {Dim} here"),
            std::string::npos);
  EXPECT_EQ(ErrorOf("triggers:\n  - name: a\n    watch: \"in/*.csv\"\n    pipline: p.yaml\n").substr(0, 43),
            "t.yaml:4:14: triggers[0]: field 'pipline': ");
  EXPECT_NE(ErrorOf("triggers:\n  - name: a\n    watch: x/*.csv\n").find("t.yaml:2:5: triggers[0]: trigger a: "
                                                                         "give exactly one action"),
            std::string::npos);
  EXPECT_NE(ErrorOf("triggers:\n  - name: a\n    schedule: \"61 * * * *\"\n    pipeline: p\n")
                .find("t.yaml:3:15: triggers[0]: trigger a: schedule '61 * * * *': minute field"),
            std::string::npos);
  EXPECT_NE(ErrorOf("triggers: [\n").find("t.yaml:"), std::string::npos);
  EXPECT_EQ(ErrorOf("trigger: []\n"), "t.yaml:1:1: expected a top-level 'triggers:' list");
  EXPECT_NE(ErrorOf("triggers:\n  - {name: a, schedule: '* * * * *', pipeline: p}\n"
                    "  - {name: a, schedule: '* * * * *', pipeline: p}\n")
                .find("t.yaml:3:5: trigger a is defined twice (first at line 2)"),
            std::string::npos);
}

}  // namespace
}  // namespace grove::events
