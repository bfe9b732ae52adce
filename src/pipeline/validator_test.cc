#include "pipeline/validator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/steps/builtin_steps.h"
#include "pipeline/yaml_reader.h"

namespace grove::pipeline {
namespace {

using ::testing::HasSubstr;

// A step type with fixed outputs and, optionally, a property file and a
// required argument (checked by Validate).
class FakeType : public StepType {
 public:
  FakeType(std::string name, std::vector<std::string> outputs, std::optional<std::string> property_file = {},
           std::string required_argument = "")
      : name_(std::move(name)),
        outputs_(std::move(outputs)),
        property_file_(std::move(property_file)),
        required_(std::move(required_argument)) {}
  std::string_view Name() const override { return name_; }
  int Version() const override { return 1; }
  std::vector<std::string> Outputs(const StepDef&) const override { return outputs_; }
  std::optional<std::string> PropertyFile(const StepDef&) const override { return property_file_; }
  Status Validate(const StepDef& step, const Definition& def) const override {
    if (!required_.empty() && !step.arguments.contains(required_)) {
      return def.ErrorAt("steps." + step.name + ".arguments", "'" + required_ + "' is required");
    }
    return Status::OK();
  }
  Status Run(StepContext&) const override { return Status::OK(); }

 private:
  std::string name_;
  std::vector<std::string> outputs_;
  std::optional<std::string> property_file_;
  std::string required_;
};

class ValidatorTest : public ::testing::Test {
 protected:
  ValidatorTest() {
    types_.Register(
        std::make_unique<FakeType>("Processing", std::vector<std::string>{"train", "validation", "test"}));
    types_.Register(std::make_unique<FakeType>("Training", std::vector<std::string>{"model"}));
    types_.Register(std::make_unique<FakeType>("Evaluation", std::vector<std::string>{"report"}, "report"));
    types_.Register(MakeConditionStep());
    types_.Register(
        std::make_unique<FakeType>("RegisterModel", std::vector<std::string>{}, std::nullopt, "group"));
    types_.Register(std::make_unique<FakeType>("Fail", std::vector<std::string>{}));
  }

  // Validation of a definition given as YAML text; "" when valid.
  std::string Check(const std::string& text) {
    Result<Definition> def = ReadDefinition(text, "v.yaml");
    EXPECT_TRUE(def.ok()) << def.status().ToString();
    if (!def.ok()) return "<read error>";
    Status st = ValidateDefinition(*def, types_);
    EXPECT_TRUE(st.ok() || st.code() == StatusCode::kInvalidArgument);
    return st.message();
  }
  // A pipeline with these parameters (YAML lines) and steps.
  std::string Check(const std::string& parameters, const std::string& steps) {
    return Check("pipeline: p\nparameters:\n" + parameters + "steps:\n" + steps);
  }

  StepTypeRegistry types_;
};

constexpr const char* kNoParams = "  Unused: {type: String, default: x}\n";

TEST_F(ValidatorTest, DesignSketchIsValid) {
  Result<Definition> def =
      ReadDefinitionFile(std::string(GROVE_SOURCE_DIR) + "/src/pipeline/testdata/abalone.yaml");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  Status st = ValidateDefinition(*def, types_);
  EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST_F(ValidatorTest, ParameterDefaultsAndEnumsMustMatchTheType) {
  EXPECT_EQ(Check("  N: {type: Integer, default: 2.5}\n", "  - {name: A, type: Fail}\n"),
            "v.yaml:3:31: parameters.N.default: default 2.5 is not an Integer (the parameter's type); "
            "write an Integer value or change the type");
  EXPECT_EQ(Check("  F: {type: Float, default: \"6.0\"}\n", "  - {name: A, type: Fail}\n"),
            "v.yaml:3:29: parameters.F.default: default '6.0' is not a Float (the parameter's type); "
            "write a Float value or change the type");
  EXPECT_EQ(Check("  S: {type: String, default: c, enum: [a, b]}\n", "  - {name: A, type: Fail}\n"),
            "v.yaml:3:30: parameters.S.default: default 'c' is not one of the enum values (a, b)");
  EXPECT_EQ(Check("  B: {type: Boolean, enum: [true, 1]}\n", "  - {name: A, type: Fail}\n"),
            "v.yaml:3:35: parameters.B.enum[1]: enum value 1 is not a Boolean (the parameter's type)");
  EXPECT_EQ(Check("  F: {type: Float, default: 7, enum: [6.5, 7]}\n", "  - {name: A, type: Fail}\n"), "");
}

TEST_F(ValidatorTest, UnknownStepTypeListsTheKnownOnes) {
  EXPECT_EQ(
      Check(kNoParams, "  - name: A\n    type: Trainng\n"),
      "v.yaml:6:11: steps.A.type: unknown step type 'Trainng' (expected one of: Condition, Evaluation, Fail, "
      "Processing, RegisterModel, Training); did you mean 'Training'?");
}

TEST_F(ValidatorTest, DependsOnMustNameSteps) {
  EXPECT_EQ(
      Check(kNoParams,
            "  - {name: Prepare, type: Fail}\n  - {name: B, type: Fail, depends_on: [Prepare, Prepair]}\n"),
      "v.yaml:6:49: steps.B.depends_on[1]: unknown step 'Prepair' (steps: Prepare, B); did you mean "
      "'Prepare'?");
}

TEST_F(ValidatorTest, ReferencesMustResolve) {
  const std::string steps =
      "  - {name: Prep, type: Processing}\n"
      "  - {name: Train, type: Training, arguments: {\n"
      "      a: {Get: Parameters.Treshold},\n"
      "      b: {Get: Execution.StartTime},\n"
      "      c: {Get: Steps.Nope.Outputs.x},\n"
      "      d: {Get: Steps.Prep.Outputs.trian},\n"
      "      e: {JsonGet: {step: Prep, path: a.b}},\n"
      "      f: {Get: 5}}}\n";
  std::string errors = Check("  Threshold: {type: Float, default: 1}\n", steps);
  EXPECT_EQ(
      errors,
      "v.yaml:7:7: steps.Train.arguments.a: unknown parameter 'Treshold' (parameters: Threshold); "
      "did you mean 'Threshold'?\n"
      "v.yaml:8:7: steps.Train.arguments.b: unknown execution variable 'StartTime' "
      "(expected ExecutionId, StartDateTime or PipelineName)\n"
      "v.yaml:9:7: steps.Train.arguments.c: unknown step 'Nope' (steps: Prep, Train)\n"
      "v.yaml:10:7: steps.Train.arguments.d: step Prep (Processing) has no output 'trian' "
      "(outputs: train, validation, test); did you mean 'train'?\n"
      "v.yaml:11:7: steps.Train.arguments.e: step Prep (Processing) writes no property file, so JsonGet "
      "cannot read from it; use a step that writes one, such as Evaluation\n"
      "v.yaml:12:7: steps.Train.arguments.f: Get: takes a string, not 5 (expected Parameters.<Name>, "
      "Execution.<ExecutionId|StartDateTime|PipelineName> or Steps.<Step>.Outputs.<output>)");
}

TEST_F(ValidatorTest, ReferencesInsideConditionsAndJoinsAreChecked) {
  EXPECT_THAT(Check(kNoParams,
                    "  - name: C\n    type: Condition\n    arguments:\n"
                    "      conditions: [{Equals: [{Join: {values: [{Get: Parameters.Nope}]}}, x]}]\n"),
              HasSubstr("v.yaml:8:47: steps.C.arguments.conditions[0].Equals[0].Join.values[0]: "
                        "unknown parameter 'Nope'"));
}

TEST_F(ValidatorTest, ConditionStepsNeedWellFormedConditions) {
  EXPECT_EQ(Check(kNoParams,
                  "  - name: C\n    type: Condition\n    arguments: {if_steps: [{name: F, type: Fail}]}\n"),
            "v.yaml:7:5: steps.C.arguments.conditions: a Condition step needs a non-empty 'conditions' list, "
            "e.g. [{LessThanOrEqualTo: [{Get: Parameters.X}, 6.0]}]");
  EXPECT_THAT(Check(kNoParams,
                    "  - name: C\n    type: Condition\n    arguments:\n      conditions: [{Less: [1, 2]}]\n"),
              HasSubstr("v.yaml:8:20: steps.C.arguments.conditions[0]: unknown condition operator 'Less'"));
  EXPECT_THAT(
      Check(kNoParams, "  - name: C\n    type: Condition\n    arguments:\n      conditions: [{In: [1]}]\n"),
      HasSubstr("steps.C.arguments.conditions[0].In: In takes a list of two operands"));
}

TEST_F(ValidatorTest, StepsOutsideABranchMayNotDependOnItsSteps) {
  const std::string steps =
      "  - name: C\n    type: Condition\n    arguments:\n"
      "      conditions: [{Equals: [1, 1]}]\n"
      "      if_steps:\n"
      "        - {name: Train, type: Training}\n"
      "        - {name: UsesTrain, type: Fail, arguments: {m: {Get: Steps.Train.Outputs.model}}}\n"
      "        - name: Inner\n          type: Condition\n          arguments:\n"
      "            conditions: [{Equals: [1, 1]}]\n"
      "            if_steps: [{name: Deep, type: Fail, depends_on: [Train]}]\n"
      "      else_steps:\n"
      "        - {name: Other, type: Fail, depends_on: [Train]}\n"
      "  - {name: After, type: RegisterModel, arguments: {group: g, m: {Get: Steps.Train.Outputs.model}}}\n"
      "  - {name: AfterC, type: Fail, depends_on: [C]}\n";
  EXPECT_EQ(
      Check(kNoParams, steps),
      "v.yaml:18:50: steps.Other.depends_on[0]: step Other depends on Train, which runs only in the if_steps "
      "branch of C; move Other into that branch or depend on C instead\n"
      "v.yaml:19:62: steps.After.arguments.m: step After depends on Train, which runs only in the if_steps "
      "branch of C; move After into that branch or depend on C instead");
}

TEST_F(ValidatorTest, CyclesAreReportedWhereTheyClose) {
  EXPECT_EQ(
      Check(kNoParams,
            "  - {name: A, type: Training, arguments: {x: {Get: Steps.B.Outputs.model}}}\n"
            "  - {name: B, type: Training, depends_on: [A]}\n"),
      "v.yaml:5:43: steps.A.arguments.x: dependency cycle: A -> B -> A (each step depends on the next)");
}

TEST_F(ValidatorTest, RunsStepTypeValidationAndSortsItsErrorsByLocation) {
  EXPECT_EQ(Check(kNoParams, "  - name: R\n    type: RegisterModel\n    arguments: {model: m}\n"),
            "v.yaml:7:5: steps.R.arguments: 'group' is required");
  // The step type's error is placed by its own location (line 8), after the depends_on one (line 6).
  EXPECT_EQ(Check(kNoParams,
                  "  - name: R\n    depends_on: [Nope]\n    type: RegisterModel\n    arguments: {model: m}\n"),
            "v.yaml:6:18: steps.R.depends_on[0]: unknown step 'Nope' (steps: R)\n"
            "v.yaml:8:5: steps.R.arguments: 'group' is required");
}

TEST_F(ValidatorTest, CollectsAllErrorsInSourceOrder) {
  std::string errors = Check("  N: {type: Integer, default: x}\n",
                             "  - {name: A, type: Nope, depends_on: [Z]}\n"
                             "  - {name: B, type: Fail, arguments: {x: {Get: Parameters.M}}}\n");
  std::vector<std::string> lines;
  for (size_t start = 0, end; start <= errors.size(); start = end + 1) {
    end = errors.find('\n', start);
    if (end == std::string::npos) end = errors.size();
    lines.push_back(errors.substr(start, end - start));
  }
  ASSERT_EQ(lines.size(), 4u) << errors;
  EXPECT_THAT(lines[0], HasSubstr("v.yaml:3:"));
  EXPECT_THAT(lines[1], HasSubstr("v.yaml:5:21: steps.A.type: unknown step type 'Nope'"));
  EXPECT_THAT(lines[2], HasSubstr("v.yaml:5:40: steps.A.depends_on[0]: unknown step 'Z'"));
  EXPECT_THAT(lines[3], HasSubstr("v.yaml:6:"));
}

TEST_F(ValidatorTest, CapsTheNumberOfReportedErrors) {
  std::string steps;
  for (int i = 0; i < 25; ++i) steps += "  - {name: S" + std::to_string(i) + ", type: Nope}\n";
  std::string errors = Check(kNoParams, steps);
  EXPECT_EQ(std::count(errors.begin(), errors.end(), '\n'), 20);
  EXPECT_THAT(errors, HasSubstr("\n... and 5 more errors"));
}

// Definitions built in code (no source, no reader checks) get the same checks.
TEST_F(ValidatorTest, ChecksDefinitionsBuiltInCode) {
  Definition def;
  def.name = "p";
  StepDef a;
  a.name = "A";
  a.type = "Fail";
  def.steps = {a, a};
  def.steps[1].guard_step = "A";
  StepDef bad = a;
  bad.name = "has space";
  def.steps.push_back(bad);
  Status st = ValidateDefinition(def, types_);
  EXPECT_EQ(
      st.message(),
      "<definition>: steps.A: duplicate step name 'A'\n"
      "<definition>: steps.A: guard 'A' is not a step of this pipeline with a nested step list ''\n"
      "<definition>: steps.has space: 'has space' is not a valid step name ([A-Za-z0-9][A-Za-z0-9_-]*)");
}

TEST(IsValidNameTest, Pattern) {
  EXPECT_TRUE(IsValidName("Abalone-Train_2"));
  EXPECT_TRUE(IsValidName("9lives"));
  EXPECT_FALSE(IsValidName(""));
  EXPECT_FALSE(IsValidName("_x"));
  EXPECT_FALSE(IsValidName("-x"));
  EXPECT_FALSE(IsValidName("a.b"));
  EXPECT_FALSE(IsValidName("a b"));
}

// The bundled examples read and validate against the built-in step types.
TEST(ValidatorExamplesTest, BundledExamplesAreValid) {
  for (const char* name : {"abalone.yaml", "churn.yaml"}) {
    Result<Definition> def = ReadDefinitionFile(std::string(GROVE_SOURCE_DIR) + "/examples/" + name);
    ASSERT_TRUE(def.ok()) << def.status().ToString();
    Status st = ValidateDefinition(*def, StepTypeRegistry::BuiltIn());
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
}

// Types are checked against the built-in step types' argument schemas, before anything runs.
class TypedValidationTest : public ::testing::Test {
 protected:
  // The read or validation error of `steps` (YAML lines) after the parameters and an Evaluation step E; "" if none.
  std::string Check(const std::string& steps) {
    std::string text =
        "pipeline: p\n"
        "parameters:\n"
        "  Name: {type: String, default: x}\n"
        "  Ratio: {type: Float, default: 1.5}\n"
        "  Count: {type: Integer, default: 2}\n"
        "steps:\n"
        "  - {name: T, type: Training, arguments: {train: a.csv, hyperparameters: {num_round: 5}}}\n" +
        steps;
    Result<Definition> def = ReadDefinition(text, "t.yaml");
    if (!def.ok()) return def.status().message();
    return ValidateDefinition(*def, StepTypeRegistry::BuiltIn()).message();
  }
};

constexpr const char* kEval =
    "  - name: E\n    type: Evaluation\n    arguments:\n      model: {Get: Steps.T.Outputs.model}\n"
    "      test: b.csv\n      kind: binary_classification\n";

TEST_F(TypedValidationTest, QuotedThresholdIsCoercedInsteadOfAbortingTheProcess) {
  Result<Definition> def = ReadDefinition(
      "pipeline: p\nsteps:\n  - {name: E, type: Evaluation, arguments: {model: m, test: t, kind: "
      "binary_classification, threshold: \"0.5\"}}\n",
      "t.yaml");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(def->steps[0].arguments["threshold"], Json(0.5));
}

TEST_F(TypedValidationTest, QuotedScalarsFollowOneRuleForEveryArgument) {
  Result<Definition> def = ReadDefinition(
      "pipeline: p\nsteps:\n"
      "  - {name: U, type: Tuning, arguments: {train: a, search_space: {xgboost: {}}, cv_folds: \"3\", "
      "max_trials: \"4\", refit: \"false\"}}\n"
      "  - {name: D, type: Deploy, arguments: {endpoint: e, group: g, version: \"2\", multi_model: \"TRUE\"}}\n",
      "t.yaml");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(def->steps[0].arguments["cv_folds"], Json(3));
  EXPECT_EQ(def->steps[0].arguments["max_trials"], Json(4));
  EXPECT_EQ(def->steps[0].arguments["refit"], Json(false));
  EXPECT_EQ(def->steps[1].arguments["version"], Json(2));
  EXPECT_EQ(def->steps[1].arguments["multi_model"], Json(true));
}

TEST_F(TypedValidationTest, AWordWhereANumberIsExpectedIsRefusedWithItsLocation) {
  EXPECT_EQ(Check(std::string(kEval) + "      threshold: high\n"),
            "t.yaml:14:18: steps.E.arguments.threshold: expected a Number, got \"high\"");
}

TEST_F(TypedValidationTest, DeployVersionOfOneAndAHalfIsRefused) {
  EXPECT_EQ(Check("  - {name: D, type: Deploy, arguments: {endpoint: e, group: g, version: 1.5}}\n"),
            "t.yaml:8:73: steps.D.arguments.version: expected a whole number (an Integer), got 1.5");
}

TEST_F(TypedValidationTest, DeployVersionFromAFloatParameterIsRefused) {
  EXPECT_EQ(
      Check("  - {name: D, type: Deploy, arguments: {endpoint: e, group: g, version: {Get: Parameters.Ratio}}}\n"),
      "t.yaml:8:64: steps.D.arguments.version: parameter Ratio is a Number, but the argument takes an Integer; "
      "declare parameter Ratio with the type the argument takes");
}

TEST_F(TypedValidationTest, AStringParameterCannotFeedANumberArgument) {
  EXPECT_THAT(Check(std::string(kEval) + "      threshold: {Get: Parameters.Name}\n"),
              HasSubstr("t.yaml:14:7: steps.E.arguments.threshold: parameter Name is a String, but the argument "
                        "takes a Number"));
}

TEST_F(TypedValidationTest, IntegerParametersFeedNumbersAndOutputsFeedPaths) {
  EXPECT_EQ(Check(std::string(kEval) + "      threshold: {Get: Parameters.Count}\n"), "");
}

TEST_F(TypedValidationTest, AConditionComparingANumberWithAWordIsRefused) {
  EXPECT_EQ(Check(std::string(kEval) +
                  "  - name: C\n    type: Condition\n    arguments:\n"
                  "      conditions: [{GreaterThan: [{Get: Parameters.Ratio}, high]}]\n"),
            "t.yaml:17:21: steps.C.arguments.conditions[0].GreaterThan: compares parameter Ratio (Number) with "
            "\"high\" (String), which can never match; make both numbers or both text");
  // A quoted number compares as a number; a JsonGet value is checked when it is known.
  EXPECT_EQ(Check(std::string(kEval) +
                  "  - name: C\n    type: Condition\n    arguments:\n"
                  "      conditions: [{GreaterThan: [{Get: Parameters.Ratio}, \"0.5\"]},\n"
                  "                   {LessThan: [{JsonGet: {step: E, path: a.b}}, high]}]\n"),
            "");
}

TEST_F(TypedValidationTest, HyperparametersMayBeExpressions) {
  EXPECT_EQ(Check("  - {name: T2, type: Training, arguments: {train: a.csv, hyperparameters: "
                  "{num_round: {Get: Parameters.Count}, eta: {Get: Parameters.Ratio}}}}\n"),
            "");
}

}  // namespace
}  // namespace grove::pipeline
