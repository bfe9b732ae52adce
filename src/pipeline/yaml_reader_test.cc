#include "pipeline/yaml_reader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/file_util.h"
#include "pipeline/validator.h"

namespace grove::pipeline {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

const std::string kAbalonePath = std::string(GROVE_SOURCE_DIR) + "/src/pipeline/testdata/abalone.yaml";

std::vector<std::string> StepNames(const Definition& def) {
  std::vector<std::string> names;
  for (const StepDef& s : def.steps) names.push_back(s.name);
  return names;
}

std::pair<int, int> At(const Definition& def, const std::string& field) {
  auto it = def.locations.find(field);
  if (it == def.locations.end()) return {-1, -1};
  return {it->second.line, it->second.column};
}

// The error message of reading `text` as "f.yaml"; fails the test if it parses.
std::string ReadError(const std::string& text) {
  Result<Definition> def = ReadDefinition(text, "f.yaml");
  EXPECT_FALSE(def.ok()) << "parsed unexpectedly: " << text;
  if (def.ok()) return "";
  EXPECT_EQ(def.status().code(), StatusCode::kInvalidArgument);
  return def.status().message();
}

// A definition with one step whose arguments are `args` (a flow mapping).
Result<Definition> WithArguments(const std::string& args) {
  return ReadDefinition("pipeline: p\nsteps:\n  - name: A\n    type: T\n    arguments: " + args + "\n",
                        "f.yaml");
}

TEST(YamlReaderTest, ParsesDesignSketch) {
  Result<Definition> def = ReadDefinitionFile(kAbalonePath);
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(def->name, "abalone");
  EXPECT_EQ(def->description, "SageMaker Projects abalone template");
  EXPECT_EQ(def->source_path, kAbalonePath);
  EXPECT_EQ(def->source_text, *ReadFile(kAbalonePath));

  ASSERT_EQ(def->parameters.size(), 3u);
  EXPECT_EQ(def->parameters[0].name, "InputData");
  EXPECT_EQ(def->parameters[0].type, ParamType::kString);
  EXPECT_EQ(*def->parameters[0].default_value, Json("datasets/abalone/abalone-dataset.csv"));
  EXPECT_EQ(def->parameters[1].name, "MseThreshold");
  EXPECT_EQ(def->parameters[1].type, ParamType::kFloat);
  EXPECT_TRUE(def->parameters[1].default_value->is_number_float());
  EXPECT_EQ(def->parameters[1].default_value->get<double>(), 6.0);
  EXPECT_THAT(def->parameters[2].enum_values,
              ElementsAre(Json("PendingManualApproval"), Json("Approved"), Json("Rejected")));

  EXPECT_THAT(StepNames(*def), ElementsAre("AbalonePrepare", "AbaloneTrain", "AbaloneEval", "CheckMse",
                                           "RegisterAbalone", "MseTooHigh"));
  const StepDef* prepare = def->FindStep("AbalonePrepare");
  EXPECT_EQ(prepare->type, "Processing");
  EXPECT_EQ(prepare->arguments["header"], Json(false));
  EXPECT_TRUE(prepare->arguments["split"]["train"].is_number_float());
  EXPECT_EQ(prepare->arguments["split"]["seed"], Json(42));
  EXPECT_TRUE(prepare->arguments["split"]["seed"].is_number_integer());
  EXPECT_EQ(prepare->arguments["input"], Json::parse(R"({"Get": "Parameters.InputData"})"));
  EXPECT_EQ(def->FindStep("AbaloneTrain")->arguments["hyperparameters"]["objective"], "reg:squarederror");
}

TEST(YamlReaderTest, LiftsConditionBranches) {
  Result<Definition> def = ReadDefinitionFile(kAbalonePath);
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  const StepDef* check = def->FindStep("CheckMse");
  EXPECT_THAT(check->Branch("if_steps"), ElementsAre("RegisterAbalone"));
  EXPECT_THAT(check->Branch("else_steps"), ElementsAre("MseTooHigh"));
  EXPECT_FALSE(check->arguments.contains("if_steps"));
  EXPECT_FALSE(check->arguments.contains("else_steps"));
  EXPECT_TRUE(check->arguments.contains("conditions"));
  EXPECT_TRUE(check->guard_step.empty());

  const StepDef* reg = def->FindStep("RegisterAbalone");
  EXPECT_EQ(reg->guard_step, "CheckMse");
  EXPECT_EQ(reg->guard_branch, "if_steps");
  EXPECT_EQ(reg->arguments["group"], "AbalonePackageGroup");
  const StepDef* fail = def->FindStep("MseTooHigh");
  EXPECT_EQ(fail->guard_step, "CheckMse");
  EXPECT_EQ(fail->guard_branch, "else_steps");
}

TEST(YamlReaderTest, RecordsLocations) {
  Result<Definition> def = ReadDefinitionFile(kAbalonePath);
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(At(*def, "pipeline"), std::make_pair(1, 11));
  EXPECT_EQ(At(*def, "parameters.MseThreshold"), std::make_pair(5, 3));
  EXPECT_EQ(At(*def, "parameters.MseThreshold.default"), std::make_pair(5, 48));
  EXPECT_EQ(At(*def, "parameters.ModelApprovalStatus.enum[1]"), std::make_pair(7, 56));
  EXPECT_EQ(At(*def, "steps.AbaloneTrain"), std::make_pair(21, 5));
  EXPECT_EQ(At(*def, "steps.AbaloneTrain.type"), std::make_pair(22, 11));
  EXPECT_EQ(At(*def, "steps.AbaloneTrain.arguments.hyperparameters.eta").first, 27);
  EXPECT_EQ(At(*def, "steps.AbalonePrepare.arguments.transforms[1].impute.constant").first, 19);
  EXPECT_EQ(At(*def, "steps.AbalonePrepare.arguments.columns[8]").first, 14);
  EXPECT_EQ(At(*def, "steps.CheckMse.arguments.conditions[0]").first, 37);
  EXPECT_EQ(At(*def, "steps.CheckMse.arguments.conditions[0].LessThanOrEqualTo[1].Get").first, 38);
  EXPECT_EQ(At(*def, "steps.RegisterAbalone"), std::make_pair(40, 11));
  EXPECT_EQ(At(*def, "steps.MseTooHigh.type").first, 46);
  // ErrorAt uses these: a field without its own entry falls back to its parent.
  EXPECT_EQ(def->ErrorAt("steps.AbaloneTrain.type.x", "boom").message(),
            kAbalonePath + ":22:11: steps.AbaloneTrain.type.x: boom");
}

TEST(YamlReaderTest, TypesPlainScalarsAndKeepsQuotedOnesAsStrings) {
  Result<Definition> def = WithArguments(
      "{i: 1, neg: -3, pos: +4, f: 1.5, e: 1e3, dot: .5, t: true, T: True, F: FALSE, tilde: ~, n: null, "
      "empty: , yes: yes, hex: 0x1F, q: \"42\", sq: 'true', ver: 1.0.0, inf: .inf, big: "
      "123456789012345678901234, "
      "tagged: !!str 5, s: hello world}");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  const Json& a = def->steps[0].arguments;
  EXPECT_EQ(a["i"], Json(1));
  EXPECT_TRUE(a["i"].is_number_integer());
  EXPECT_EQ(a["neg"], Json(-3));
  EXPECT_EQ(a["pos"], Json(4));
  EXPECT_EQ(a["f"], Json(1.5));
  EXPECT_TRUE(a["e"].is_number_float());
  EXPECT_EQ(a["e"].get<double>(), 1000.0);
  EXPECT_EQ(a["dot"], Json(0.5));
  EXPECT_EQ(a["t"], Json(true));
  EXPECT_EQ(a["T"], Json(true));
  EXPECT_EQ(a["F"], Json(false));
  EXPECT_TRUE(a["tilde"].is_null());
  EXPECT_TRUE(a["n"].is_null());
  EXPECT_TRUE(a["empty"].is_null());
  EXPECT_EQ(a["yes"], Json("yes"));
  EXPECT_EQ(a["hex"], Json("0x1F"));
  EXPECT_EQ(a["q"], Json("42"));
  EXPECT_EQ(a["sq"], Json("true"));
  EXPECT_EQ(a["ver"], Json("1.0.0"));
  EXPECT_EQ(a["inf"], Json(".inf"));
  EXPECT_TRUE(a["big"].is_number_float());
  EXPECT_EQ(a["tagged"], Json("5"));
  EXPECT_EQ(a["s"], Json("hello world"));
  // Keys keep the order they were written in.
  EXPECT_EQ(a.begin().key(), "i");
  EXPECT_EQ((--a.end()).key(), "s");
}

TEST(YamlReaderTest, BlockScalarsAreStrings) {
  Result<Definition> def = ReadDefinition(
      "pipeline: p\nsteps:\n  - name: A\n    type: T\n    arguments:\n      script: |\n        12\n",
      "f.yaml");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(def->steps[0].arguments["script"], Json("12\n"));
}

TEST(YamlReaderTest, ReadsJson) {
  const std::string text = R"({
  "pipeline": "p",
  "parameters": {"N": {"type": "Integer", "default": 3}},
  "steps": [
    {"name": "A", "type": "T", "arguments": {"n": {"Get": "Parameters.N"}, "s": "5", "x": 2.5}},
    {"name": "B", "type": "T", "depends_on": ["A"]}
  ]
})";
  Result<Definition> def = ReadDefinition(text, "p.json");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(*def->parameters[0].default_value, Json(3));
  EXPECT_EQ(def->steps[0].arguments["s"], Json("5"));
  EXPECT_EQ(def->steps[0].arguments["x"], Json(2.5));
  EXPECT_THAT(def->steps[1].depends_on, ElementsAre("A"));
  EXPECT_EQ(At(*def, "steps.B.depends_on[0]").first, 6);
}

TEST(YamlReaderTest, ReadsCacheRetryDependsOnAndFloatDefaults) {
  Result<Definition> def = ReadDefinition(R"(pipeline: p
parameters:
  F: {type: Float, default: 6, enum: [6, 7.5]}
steps:
  - name: A
    type: T
    cache: {enabled: true, expire_after: P30D}
    retry: {max_attempts: 3, interval_seconds: 0.5, backoff_rate: 3}
  - name: B
    type: T
    depends_on: A
    cache: false
)",
                                          "f.yaml");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_TRUE(def->parameters[0].default_value->is_number_float());
  EXPECT_TRUE(def->parameters[0].enum_values[0].is_number_float());
  EXPECT_TRUE(def->steps[0].cache.enabled);
  EXPECT_EQ(def->steps[0].cache.expire_after, 30LL * 86'400'000);
  EXPECT_EQ(def->steps[0].retry.max_attempts, 3);
  EXPECT_EQ(def->steps[0].retry.interval_seconds, 0.5);
  EXPECT_EQ(def->steps[0].retry.backoff_rate, 3.0);
  EXPECT_THAT(def->steps[1].depends_on, ElementsAre("A"));
  EXPECT_FALSE(def->steps[1].cache.enabled);
  EXPECT_EQ(def->steps[1].retry.max_attempts, 1);  // The default.
}

TEST(YamlReaderTest, FlattensNestedConditionsDepthFirst) {
  Result<Definition> def = ReadDefinition(R"(pipeline: p
steps:
  - name: Outer
    type: Condition
    arguments:
      conditions: [{Equals: [1, 1]}]
      if_steps:
        - name: Inner
          type: Condition
          arguments:
            conditions: [{Equals: [1, 2]}]
            else_steps:
              - {name: InnerElse, type: T}
        - {name: AfterInner, type: T}
      else_steps:
        - {name: OuterElse, type: T}
  - {name: Last, type: T}
)",
                                          "f.yaml");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_THAT(StepNames(*def), ElementsAre("Outer", "Inner", "InnerElse", "AfterInner", "OuterElse", "Last"));
  EXPECT_THAT(def->FindStep("Outer")->Branch("if_steps"), ElementsAre("Inner", "AfterInner"));
  EXPECT_EQ(def->FindStep("InnerElse")->guard_step, "Inner");
  EXPECT_EQ(def->FindStep("InnerElse")->guard_branch, "else_steps");
  EXPECT_EQ(def->FindStep("Inner")->guard_step, "Outer");
  EXPECT_TRUE(def->FindStep("Last")->guard_step.empty());
  EXPECT_TRUE(def->FindStep("Inner")->Branch("if_steps").empty());
}

TEST(YamlReaderTest, KeepsBranchKeysOfOtherStepTypesAsArguments) {
  Result<Definition> def = WithArguments("{if_steps: [1, 2]}");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(def->steps[0].arguments["if_steps"], Json::parse("[1, 2]"));
  EXPECT_EQ(def->steps.size(), 1u);
}

TEST(YamlReaderTest, MalformedYamlNamesFileLineAndColumn) {
  EXPECT_EQ(ReadError("pipeline: p\nsteps: [1, 2\nx: 3"), "f.yaml:3:2: end of sequence flow not found");
  EXPECT_EQ(ReadError("pipeline: p: q\n"), "f.yaml:1:12: illegal map value");
}

TEST(YamlReaderTest, TopLevelErrors) {
  EXPECT_THAT(ReadError(""), HasSubstr("the definition is empty"));
  EXPECT_EQ(ReadError("- a\n- b\n"), "f.yaml:1:1: pipeline: expected a mapping, got a list");
  EXPECT_EQ(ReadError("steps: [{name: A, type: T}]\n"),
            "f.yaml:1:1: pipeline: missing (the pipeline's name: letters, digits, '_' and '-', "
            "starting with a letter or digit)");
  EXPECT_THAT(ReadError("pipeline: my pipeline\nsteps: [{name: A, type: T}]\n"),
              HasSubstr("f.yaml:1:11: pipeline: 'my pipeline' is not a valid pipeline name"));
  EXPECT_EQ(ReadError("pipeline: p\nstep: []\n"),
            "f.yaml:2:1: step: unknown key 'step' (accepted keys: pipeline, description, parameters, steps)");
  EXPECT_EQ(ReadError("pipeline: p\n"), "f.yaml:1:1: steps: expected a non-empty list of steps");
  EXPECT_EQ(ReadError("pipeline: p\nsteps: []\n"), "f.yaml:2:1: steps: expected a non-empty list of steps");
  EXPECT_EQ(ReadError("pipeline: p\nsteps: {a: 1}\n"),
            "f.yaml:2:1: steps: expected a list of steps, got a mapping");
}

TEST(YamlReaderTest, StepErrors) {
  const std::string head = "pipeline: p\nsteps:\n";
  EXPECT_EQ(ReadError(head + "  - type: T\n"),
            "f.yaml:3:5: steps[0]: missing 'name' (every step needs one: letters, digits, '_' and '-', "
            "starting with a letter or digit)");
  EXPECT_EQ(ReadError(head + "  - name: A\n"),
            "f.yaml:3:5: steps.A.type: missing (every step needs a type, e.g. Processing or Training)");
  EXPECT_EQ(ReadError(head + "  - name: A\n    type: T\n    dependson: [B]\n"),
            "f.yaml:5:5: steps.A.dependson: unknown key 'dependson' (accepted keys: name, type, description, "
            "depends_on, cache, retry, arguments)");
  EXPECT_EQ(ReadError(head + "  - name: A\n    type:\n"),
            "f.yaml:4:5: steps.A.type: missing (every step needs a type, e.g. Processing or Training)");
  EXPECT_THAT(ReadError(head + "  - name: A.b\n    type: T\n"),
              HasSubstr("f.yaml:3:11: steps[0].name: 'A.b' is not a valid step name"));
  EXPECT_EQ(ReadError(head + "  - name: A\n    type: T\n    arguments: [1]\n"),
            "f.yaml:5:5: steps.A.arguments: expected a mapping, got a list");
  EXPECT_EQ(ReadError(head + "  - name: A\n    type: T\n    arguments: {x: 1, x: 2}\n"),
            "f.yaml:5:23: steps.A.arguments.x: duplicate key 'x' (first at line 5)");
  EXPECT_EQ(ReadError(head + "  - name: A\n    type: [T]\n"),
            "f.yaml:4:5: steps.A.type: expected text, got a list");
}

TEST(YamlReaderTest, DuplicateStepNameNamesTheFirst) {
  EXPECT_EQ(ReadError("pipeline: p\nsteps:\n  - name: A\n    type: T\n  - name: B\n    type: T\n"
                      "  - name: A\n    type: T\n"),
            "f.yaml:7:11: steps.A: duplicate step name 'A' (first defined at line 3)");
  // Branch steps share the namespace.
  EXPECT_EQ(ReadError("pipeline: p\nsteps:\n  - name: A\n    type: T\n  - name: C\n    type: Condition\n"
                      "    arguments:\n      if_steps:\n        - {name: A, type: T}\n"),
            "f.yaml:9:18: steps.A: duplicate step name 'A' (first defined at line 3)");
}

TEST(YamlReaderTest, CacheAndRetryErrors) {
  const std::string head = "pipeline: p\nsteps:\n  - name: A\n    type: T\n";
  EXPECT_THAT(ReadError(head + "    cache: {expire_after: 30 days}\n"),
              HasSubstr("f.yaml:5:27: steps.A.cache.expire_after: invalid ISO-8601 duration '30 days'"));
  EXPECT_EQ(ReadError(head + "    cache: {enabled: 1}\n"),
            "f.yaml:5:22: steps.A.cache.enabled: expected true or false, got 1");
  EXPECT_EQ(ReadError(head + "    cache: {ttl: P1D}\n"),
            "f.yaml:5:13: steps.A.cache.ttl: unknown key 'ttl' (accepted keys: enabled, expire_after)");
  EXPECT_EQ(ReadError(head + "    retry: {max_attempts: 0}\n"),
            "f.yaml:5:27: steps.A.retry.max_attempts: expected an integer >= 1, got 0");
  EXPECT_EQ(ReadError(head + "    retry: {backoff_rate: fast}\n"),
            "f.yaml:5:27: steps.A.retry.backoff_rate: expected a number >= 1, got \"fast\"");
}

TEST(YamlReaderTest, ParameterErrors) {
  const std::string tail = "steps: [{name: A, type: T}]\n";
  EXPECT_EQ(ReadError("pipeline: p\nparameters:\n  X: {default: 1}\n" + tail),
            "f.yaml:3:3: parameters.X.type: missing (expected String, Integer, Float or Boolean)");
  EXPECT_EQ(
      ReadError("pipeline: p\nparameters:\n  X: {type: Double}\n" + tail),
      "f.yaml:3:13: parameters.X.type: unknown type 'Double' (expected String, Integer, Float or Boolean)");
  EXPECT_EQ(ReadError("pipeline: p\nparameters:\n  X: {type: String, enum: a}\n" + tail),
            "f.yaml:3:27: parameters.X.enum: expected a list of allowed values");
  EXPECT_EQ(ReadError("pipeline: p\nparameters:\n  X: {type: String, default: [a]}\n" + tail),
            "f.yaml:3:21: parameters.X.default: expected a single value, got a list");
  EXPECT_EQ(
      ReadError("pipeline: p\nparameters:\n  X: {type: String, min: 1}\n" + tail),
      "f.yaml:3:21: parameters.X.min: unknown key 'min' (accepted keys: type, default, enum, description)");
}

TEST(YamlReaderTest, MissingFileIsNotFound) {
  Result<Definition> def = ReadDefinitionFile("/nonexistent/pipeline.yaml");
  ASSERT_FALSE(def.ok());
  EXPECT_EQ(def.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(def.status().message(), HasSubstr("/nonexistent/pipeline.yaml"));
}

TEST(YamlReaderDefectTest, AConditionNested2000DeepIsAClearErrorNotBadFile) {
  std::string condition = "{Equals: [1, 1]}";
  for (int i = 0; i < 2000; ++i) condition = "{Not: " + condition + "}";
  Result<Definition> def = ReadDefinition(
      "pipeline: deep\nsteps:\n  - name: C\n    type: Condition\n    arguments:\n      conditions: [" + condition +
          "]\n",
      "deep.yaml");
  ASSERT_FALSE(def.ok());
  EXPECT_THAT(def.status().message(), ::testing::MatchesRegex("deep.yaml:6:[0-9]+: nested more than [0-9]+ levels "
                                                             "deep; a definition may not nest that far"));
}

TEST(YamlReaderDefectTest, ADirectoryIsNotAnEmptyDefinition) {
  Result<Definition> def = ReadDefinitionFile(std::string(GROVE_SOURCE_DIR) + "/examples");
  ASSERT_FALSE(def.ok());
  EXPECT_THAT(def.status().message(), HasSubstr("examples is a directory; give the definition file"));
}

}  // namespace
}  // namespace grove::pipeline

namespace grove::pipeline {
namespace {

// Found by fuzz/yaml_definition_fuzz.cc: a byte that is not UTF-8 inside a ForEach template became a JSON string
// that the validator dumped, and nlohmann's dump() threw out of ValidateDefinition (grove run died in terminate).
TEST(YamlReaderTest, InvalidUtf8IsRefusedWithItsPositionNotThrownLater) {
  const std::string text =
      "pipeline: p\n"
      "steps:\n"
      "  - name: Each\n"
      "    type: ForEach\n"
      "    arguments:\n"
      "      input: data.csv\n"
      "      column: Dim\n"
      "      steps:\n"
      "        - {name: Fail, type: Fail, arguments: {message: \"caf\xe9 ${item}\"}}\n";
  Result<Definition> def = ReadDefinition(text, "p.yaml");
  ASSERT_FALSE(def.ok());
  EXPECT_EQ(def.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(def.status().message(),
            "p.yaml:9:61: not valid UTF-8 (byte 0xE9); a definition must be UTF-8 text");
  std::string valid = text;
  valid.replace(valid.find('\xe9'), 1, "\xc3\xa9");  // The same text in UTF-8 reads and validates.
  Result<Definition> fixed = ReadDefinition(valid, "p.yaml");
  ASSERT_TRUE(fixed.ok()) << fixed.status().ToString();
  EXPECT_TRUE(ValidateDefinition(*fixed, StepTypeRegistry::BuiltIn()).ok());
}

}  // namespace
}  // namespace grove::pipeline
