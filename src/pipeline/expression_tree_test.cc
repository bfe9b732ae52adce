#include "pipeline/expression_tree.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pipeline/expression.h"
#include "pipeline/graph.h"
#include "pipeline/validator.h"
#include "pipeline/yaml_reader.h"

namespace grove::pipeline {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Kind = Expr::Kind;

Json TreeJson(const char* text) { return Json::parse(text); }

Expr Parse(const char* value, const std::string& field = "f") {
  std::vector<ExpressionIssue> issues;
  Expr tree = ParseValue(TreeJson(value), field, &issues);
  EXPECT_TRUE(issues.empty()) << value << ": " << issues.front().message;
  return tree;
}

Expr ParseConds(const char* conditions, const std::string& field = "c") {
  std::vector<ExpressionIssue> issues;
  Expr tree = ParseConditions(TreeJson(conditions), field, &issues);
  EXPECT_TRUE(issues.empty()) << conditions << ": " << issues.front().message;
  return tree;
}

std::vector<Kind> Kinds(const Expr& tree) {
  std::vector<Kind> kinds;
  ForEachNode(tree, [&kinds](const Expr& node) { kinds.push_back(node.kind); });
  return kinds;
}

class ExpressionTreeTest : public ::testing::Test {
 protected:
  ExpressionTreeTest() {
    ctx_.parameters = &parameters_;
    ctx_.execution = {{"ExecutionId", "e1"}, {"PipelineName", "p"}};
    ctx_.step_output = [](const std::string& step, const std::string& output) -> Result<Json> {
      return Json("/runs/" + step + "/" + output);
    };
    ctx_.property_file = [](const std::string& step) -> Result<Json> {
      return TreeJson(R"({"metrics": {"mse": [{"value": 4.5}]}})");
    };
  }
  Json parameters_ = TreeJson(R"({"Threshold": 6.0, "Name": "abc", "Count": 3})");
  ResolveContext ctx_;
};

TEST_F(ExpressionTreeTest, ParsesEachValueKind) {
  Expr get = Parse(R"({"Get": "Parameters.Threshold"})");
  EXPECT_EQ(get.kind, Kind::kParameter);
  EXPECT_EQ(get.name, "Threshold");
  EXPECT_EQ(get.field, "f");
  EXPECT_EQ(get.pointer, "");
  EXPECT_EQ(Label(get), "Get Parameters.Threshold");

  Expr var = Parse(R"({"Get": "Execution.ExecutionId"})");
  EXPECT_EQ(var.kind, Kind::kExecutionVariable);
  EXPECT_EQ(var.name, "ExecutionId");

  Expr out = Parse(R"({"Get": "Steps.Prep.Outputs.train"})");
  EXPECT_EQ(out.kind, Kind::kStepOutput);
  EXPECT_EQ(out.name, "Prep");
  EXPECT_EQ(out.output, "train");
  EXPECT_EQ(Label(out), "Get Steps.Prep.Outputs.train");

  Expr json_get = Parse(R"({"JsonGet": {"step": "Eval", "path": "metrics.mse[0].value"}})");
  EXPECT_EQ(json_get.kind, Kind::kJsonGet);
  EXPECT_EQ(json_get.name, "Eval");
  EXPECT_EQ(json_get.path, "metrics.mse[0].value");
  ASSERT_EQ(json_get.segments.size(), 4u);
  EXPECT_EQ(json_get.segments[1].key, "mse");
  EXPECT_EQ(json_get.segments[2].index, 0u);
  EXPECT_EQ(*Resolve(json_get, ctx_), Json(4.5));

  Expr join = Parse(R"({"Join": {"on": "-", "values": ["a", {"Get": "Parameters.Count"}]}})");
  EXPECT_EQ(join.kind, Kind::kJoin);
  EXPECT_EQ(join.separator, "-");
  ASSERT_EQ(join.children.size(), 2u);
  EXPECT_EQ(join.children[0].kind, Kind::kLiteral);
  EXPECT_EQ(join.children[0].literal, Json("a"));
  EXPECT_EQ(join.children[1].kind, Kind::kParameter);
  EXPECT_EQ(join.children[1].pointer, "/Join/values/1");
  EXPECT_EQ(join.children[1].field, "f.Join.values[1]");
  EXPECT_EQ(*Resolve(join, ctx_), Json("a-3"));
}

TEST_F(ExpressionTreeTest, LiteralsHoldTheExpressionsInsideThem) {
  Expr tree = Parse(R"({"x": 1, "nested": {"list": [true, {"Get": "Parameters.Name"}]}, "y": {"Get": "Execution.PipelineName"}})");
  EXPECT_EQ(tree.kind, Kind::kLiteral);
  ASSERT_EQ(tree.children.size(), 2u);
  EXPECT_EQ(tree.children[0].pointer, "/nested/list/1");
  EXPECT_EQ(tree.children[0].field, "f.nested.list[1]");
  EXPECT_EQ(tree.children[1].pointer, "/y");
  EXPECT_EQ(*Resolve(tree, ctx_), TreeJson(R"({"x": 1, "nested": {"list": [true, "abc"]}, "y": "p"})"));
  EXPECT_TRUE(Parse("[1, 2]").children.empty());
}

TEST_F(ExpressionTreeTest, JoinInsideJoinOperands) {
  Expr tree = Parse(R"({"Join": {"on": "/", "values": [
      {"Join": {"on": "-", "values": [{"Get": "Parameters.Name"}, {"Join": {"values": [1, {"Get": "Parameters.Count"}]}}]}},
      "x"]}})");
  EXPECT_THAT(Kinds(tree), ElementsAre(Kind::kJoin, Kind::kJoin, Kind::kParameter, Kind::kJoin, Kind::kLiteral,
                                       Kind::kParameter, Kind::kLiteral));
  const Expr& innermost = tree.children[0].children[1].children[1];
  EXPECT_EQ(innermost.pointer, "/Join/values/0/Join/values/1/Join/values/1");
  EXPECT_EQ(innermost.field, "f.Join.values[0].Join.values[1].Join.values[1]");
  EXPECT_EQ(*Resolve(tree, ctx_), Json("abc-13/x"));

  // A failure deep inside names the deepest field.
  parameters_.erase("Count");
  Result<Json> bad = Resolve(tree, ctx_);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "f.Join.values[0].Join.values[1].Join.values[1]: Get Parameters.Count: no value for parameter 'Count'");
}

TEST_F(ExpressionTreeTest, ConditionsNestAndOrNot) {
  Expr tree = ParseConds(R"([{"Not": {"Or": [{"And": [{"<": [1, 2]}, {"In": [{"Get": "Parameters.Name"}, ["x", "abc"]]}]},
                                              {"==": [1, 2]}]}},
                              {"GreaterThanOrEqualTo": [{"Get": "Parameters.Threshold"}, 6]}])");
  EXPECT_THAT(Kinds(tree),
              ElementsAre(Kind::kAnd, Kind::kNot, Kind::kOr, Kind::kAnd, Kind::kCompare, Kind::kLiteral,
                          Kind::kLiteral, Kind::kIn, Kind::kParameter, Kind::kList, Kind::kLiteral, Kind::kLiteral,
                          Kind::kCompare, Kind::kLiteral, Kind::kLiteral, Kind::kCompare, Kind::kParameter,
                          Kind::kLiteral));
  const Expr& in = tree.children[0].children[0].children[0].children[1];
  EXPECT_EQ(in.field, "c[0].Not.Or[0].And[1].In");
  EXPECT_EQ(in.children[1].children[1].pointer, "/0/Not/Or/0/And/1/In/1/1");
  EXPECT_EQ(tree.children[1].op, CompareOp::kGreaterThanOrEqualTo);
  // Not (true and true or false) and 6 >= 6.
  EXPECT_EQ(*EvaluateConditions(tree, ctx_), false);
  parameters_["Name"] = "zzz";
  EXPECT_EQ(*EvaluateConditions(tree, ctx_), true);
  parameters_["Threshold"] = 5.0;
  EXPECT_EQ(*EvaluateConditions(tree, ctx_), false);

  // A single condition need not be in a list; Not takes a list too (AND).
  EXPECT_EQ(ParseConds(R"({"Equals": [1, 1]})").kind, Kind::kCompare);
  Expr not_list = ParseConds(R"({"not": [{"==": [1, 1]}, {"==": [2, 2]}]})");
  EXPECT_THAT(Kinds(not_list), ElementsAre(Kind::kNot, Kind::kAnd, Kind::kCompare, Kind::kLiteral, Kind::kLiteral,
                                           Kind::kCompare, Kind::kLiteral, Kind::kLiteral));
  EXPECT_EQ(*EvaluateConditions(not_list, ctx_), false);
}

TEST_F(ExpressionTreeTest, EvaluationErrorsNameTheComparisonsField) {
  Expr tree = ParseConds(R"([{"Or": [{"==": [1, 2]}, {"LessThan": [{"Get": "Parameters.Name"}, 3]}]}])",
                         "steps.C.arguments.conditions");
  Result<bool> r = EvaluateConditions(tree, ctx_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "steps.C.arguments.conditions[0].Or[1].LessThan: cannot compare \"abc\" (a string) with 3 (a number)");
}

TEST_F(ExpressionTreeTest, MalformedPartsKeepTheShapeAndAreIssues) {
  std::vector<ExpressionIssue> issues;
  Expr tree = ParseConditions(TreeJson(R"([{"Equals": [{"Get": "Nope.X"}, 1]}, {"Less": [1, 2]},
                                    {"In": [1, {"Join": {"values": 3}}]}])"),
                              "c", &issues);
  ASSERT_EQ(issues.size(), 3u);  // Every one, not only the first.
  EXPECT_EQ(issues[0].field, "c[0].Equals[0]");
  EXPECT_THAT(issues[0].message, HasSubstr("Get: 'Nope.X' is not a known form"));
  EXPECT_EQ(issues[1].field, "c[1]");
  EXPECT_THAT(issues[1].message, HasSubstr("unknown condition operator 'Less'"));
  EXPECT_EQ(issues[2].field, "c[2].In[1]");
  EXPECT_THAT(issues[2].message, HasSubstr("Join: 'values' must be a list"));
  ASSERT_EQ(tree.children.size(), 3u);
  EXPECT_EQ(tree.children[0].kind, Kind::kCompare);
  EXPECT_EQ(tree.children[0].children[0].kind, Kind::kInvalid);
  EXPECT_EQ(tree.children[1].kind, Kind::kInvalid);
  Result<bool> r = EvaluateConditions(tree, ctx_);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.status().message(), HasSubstr("c[0].Equals[0]: Get: 'Nope.X' is not a known form"));
}

// ---- Steps ----

constexpr const char* kPipeline = R"(pipeline: p
parameters:
  Threshold: {type: Float, default: 6.0}
steps:
  - {name: Prep, type: Processing, arguments: {script: s.py}}
  - name: Check
    type: Condition
    arguments:
      conditions: [{LessThanOrEqualTo: [{Get: Steps.Prep.Outputs.train}, {Get: Parameters.Threshold}]},
                   {In: [{Get: Execution.PipelineName}, [q, {Join: {values: [p]}}]]}]
      if_steps: [{name: F, type: Fail, arguments: {message: {Join: {on: " ", values: [x, {Get: Parameters.Threshold}]}}}}]
)";

StepDef ReadStep(const char* text, const std::string& name) {
  Result<Definition> def = ReadDefinition(text, "t.yaml");
  EXPECT_TRUE(def.ok()) << def.status().ToString();
  return def.ok() && def->FindStep(name) ? *def->FindStep(name) : StepDef();
}

TEST_F(ExpressionTreeTest, TheReaderStoresTheTreeOnEachStep) {
  StepDef check = ReadStep(kPipeline, "Check");
  ASSERT_TRUE(check.expressions.parsed);
  EXPECT_TRUE(check.expressions.issues.empty());
  ASSERT_EQ(check.expressions.nodes.size(), 1u);  // The conditions, as one tree.
  const Expr* conditions = check.expressions.Find("/conditions");
  ASSERT_NE(conditions, nullptr);
  EXPECT_EQ(conditions->kind, Kind::kAnd);
  EXPECT_EQ(conditions->field, "steps.Check.arguments.conditions");
  EXPECT_EQ(conditions->children[0].children[0].field, "steps.Check.arguments.conditions[0].LessThanOrEqualTo[0]");

  StepDef fail = ReadStep(kPipeline, "F");
  ASSERT_EQ(fail.expressions.nodes.size(), 1u);
  EXPECT_EQ(fail.expressions.nodes[0].kind, Kind::kJoin);
  EXPECT_EQ(fail.expressions.nodes[0].pointer, "/message");
  EXPECT_TRUE(ReadStep(kPipeline, "Prep").expressions.nodes.empty());
}

TEST_F(ExpressionTreeTest, ResolvedConditionsKeepTheirShapeAndEvaluateFromTheTree) {
  StepDef check = ReadStep(kPipeline, "Check");
  parameters_ = TreeJson(R"({"Threshold": 6.0})");
  ctx_.step_output = [](const std::string&, const std::string&) -> Result<Json> { return Json(5); };
  Result<Json> resolved = ResolveWritten(check.arguments, check.expressions.nodes, ctx_);
  ASSERT_TRUE(resolved.ok()) << resolved.status().ToString();
  EXPECT_EQ((*resolved)["conditions"],
            TreeJson(R"([{"LessThanOrEqualTo": [5, 6.0]}, {"In": ["p", ["q", "p"]]}])"));
  const Expr& tree = *check.expressions.Find("/conditions");
  EXPECT_EQ(*EvaluateResolvedConditions(tree, *resolved), true);
  EXPECT_EQ(*EvaluateConditions(tree, ctx_), true);  // The same, resolving as it goes.
  (*resolved)["conditions"][0]["LessThanOrEqualTo"][0] = 7;
  EXPECT_EQ(*EvaluateResolvedConditions(tree, *resolved), false);
}

TEST_F(ExpressionTreeTest, ResolutionReadsTheTreeNotTheWrittenJson) {
  StepDef fail = ReadStep(kPipeline, "F");
  Result<Json> first = ResolveWritten(fail.arguments, fail.expressions.nodes, ctx_);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, TreeJson(R"({"message": "x 6"})"));
  EXPECT_EQ(*ResolveWritten(fail.arguments, fail.expressions.nodes, ctx_), *first);  // Nothing was consumed.
  // Garbage in the written form is not looked at again: the parse is what resolves.
  Json written = fail.arguments;
  written["message"] = TreeJson(R"({"Get": 5})");
  EXPECT_EQ(*ResolveWritten(written, fail.expressions.nodes, ctx_), *first);
}

TEST_F(ExpressionTreeTest, AMalformedExpressionFailsAtReadNotAtResolve) {
  const char* text = "pipeline: p\nsteps:\n  - {name: F, type: Fail, arguments: {message: {Get: Parameters}}}\n";
  Result<Definition> def = ReadDefinition(text, "m.yaml");
  ASSERT_TRUE(def.ok()) << def.status().ToString();  // Kept for the validator, which reports every error at once.
  const StepDef& step = def->steps[0];
  ASSERT_EQ(step.expressions.issues.size(), 1u);
  EXPECT_EQ(step.expressions.issues[0].field, "steps.F.arguments.message");
  EXPECT_EQ(step.expressions.nodes[0].kind, Kind::kInvalid);
  Status st = ValidateDefinition(*def, StepTypeRegistry::BuiltIn());
  EXPECT_THAT(st.message(), HasSubstr("m.yaml:3:39: steps.F.arguments.message: Get: 'Parameters' is not a known form"));
}

TEST_F(ExpressionTreeTest, ArgumentKeysAreEscapedInPointers) {
  StepDef step;
  step.name = "S";
  step.type = "Fail";
  step.arguments = TreeJson(R"({"a/b~c": {"Get": "Parameters.Name"}, "d": [{"Get": "Parameters.Count"}]})");
  ParseStepExpressions(step, StepTypeRegistry::BuiltIn());
  ASSERT_EQ(step.expressions.nodes.size(), 2u);
  EXPECT_EQ(step.expressions.nodes[0].pointer, "/a~1b~0c");
  EXPECT_EQ(step.expressions.nodes[0].field, "steps.S.arguments.a/b~c");
  EXPECT_EQ(step.expressions.nodes[1].pointer, "/d/0");
  EXPECT_EQ(*ResolveWritten(step.arguments, step.expressions.nodes, ctx_), TreeJson(R"({"a/b~c": "abc", "d": [3]})"));
}

// Steps built in code get the tree from ParseStepExpressions, like the reader's.
TEST_F(ExpressionTreeTest, StepsBuiltInCodeAreParsedByOneCall) {
  Definition def;
  def.name = "p";
  StepDef prep;
  prep.name = "Prep";
  prep.type = "Processing";
  prep.arguments = TreeJson(R"({"script": "s.py"})");
  StepDef check;
  check.name = "Check";
  check.type = "Condition";
  check.arguments = TreeJson(R"({"conditions": [{"Equals": [{"Get": "Steps.Prep.Outputs.nope"}, "x"]}]})");
  def.steps = {prep, check};

  Status unparsed = ValidateDefinition(def, StepTypeRegistry::BuiltIn());
  EXPECT_THAT(unparsed.message(), HasSubstr("steps.Check.arguments: not parsed; call ParseStepExpressions"));

  for (StepDef& step : def.steps) ParseStepExpressions(step, StepTypeRegistry::BuiltIn());
  StepGraph graph(def);
  EXPECT_EQ(graph.EdgeField(1, 0), "steps.Check.arguments.conditions[0].Equals[0]");
  Status st = ValidateDefinition(def, StepTypeRegistry::BuiltIn());
  EXPECT_THAT(st.message(), HasSubstr("steps.Check.arguments.conditions[0].Equals[0]: step Prep (Processing) has "
                                      "no output 'nope'"));
  EXPECT_THAT(st.message(), ::testing::Not(HasSubstr("not parsed")));
}

TEST_F(ExpressionTreeTest, TypesAreInferredFromTheTree) {
  Definition def;
  def.parameters.push_back({"Threshold", ParamType::kFloat, std::nullopt, {}, ""});
  EXPECT_EQ(ExpressionType(Parse(R"({"Get": "Parameters.Threshold"})"), def).type, ArgType::kNumber);
  EXPECT_EQ(ExpressionType(Parse(R"({"Get": "Parameters.Nope"})"), def).what, "Get Parameters.Nope");
  EXPECT_EQ(ExpressionType(Parse(R"({"Get": "Steps.A.Outputs.m"})"), def).type, ArgType::kPath);
  EXPECT_EQ(ExpressionType(Parse(R"({"Get": "Execution.ExecutionId"})"), def).type, ArgType::kString);
  EXPECT_EQ(ExpressionType(Parse(R"({"Join": {"values": [1]}})"), def).type, ArgType::kString);
  EXPECT_EQ(ExpressionType(Parse(R"({"JsonGet": {"step": "E", "path": "a"}})"), def).type, ArgType::kAny);
}

}  // namespace
}  // namespace grove::pipeline
