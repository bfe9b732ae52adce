#include "pipeline/expression.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace grove::pipeline {
namespace {

using ::testing::HasSubstr;

Json J(const char* text) { return Json::parse(text); }

class ExpressionTest : public ::testing::Test {
 protected:
  ExpressionTest() {
    ctx_.parameters = &parameters_;
    ctx_.execution = {{"ExecutionId", "abc123def456"},
                      {"StartDateTime", "2026-01-02T03:04:05.000Z"},
                      {"PipelineName", "abalone"}};
    ctx_.step_output = [](const std::string& step, const std::string& output) -> Result<Json> {
      if (step != "Prep") return Status::NotFound("step " + step + " has not run");
      return Json("/runs/" + step + "/" + output);
    };
    ctx_.property_file = [this](const std::string& step) -> Result<Json> {
      if (step != "Eval") return Status::NotFound("no property file for " + step);
      return report_;
    };
  }

  Json parameters_ = J(R"({"Threshold": 6.0, "Count": 3, "Name": "abc", "Flag": true})");
  Json report_ = J(R"({"regression_metrics": {"mse": {"value": 4.5}, "rmse": {"value": 2.1}},
                       "curve": [{"x": 1}, {"x": 2}], "label": "good"})");
  ResolveContext ctx_;
};

TEST_F(ExpressionTest, IsExpressionNeedsExactlyOneKnownKey) {
  EXPECT_TRUE(IsExpression(J(R"({"Get": "Parameters.X"})")));
  EXPECT_TRUE(IsExpression(J(R"({"JsonGet": {}})")));
  EXPECT_TRUE(IsExpression(J(R"({"Join": {}})")));
  EXPECT_FALSE(IsExpression(J(R"({"Get": "Parameters.X", "other": 1})")));
  EXPECT_FALSE(IsExpression(J(R"({"get": "Parameters.X"})")));
  EXPECT_FALSE(IsExpression(J(R"(["Get"])")));
  EXPECT_FALSE(IsExpression(J(R"("Get")")));
}

TEST_F(ExpressionTest, ResolvesGetAtAnyDepth) {
  Json args = J(R"({"a": {"Get": "Parameters.Threshold"},
                    "nested": {"list": [1, {"Get": "Execution.ExecutionId"}, {"Get": "Steps.Prep.Outputs.train"}]},
                    "name": {"Get": "Execution.PipelineName"}, "literal": "Parameters.Threshold"})");
  Result<Json> out = Resolve(args, ctx_);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_EQ(*out, J(R"({"a": 6.0, "nested": {"list": [1, "abc123def456", "/runs/Prep/train"]},
                        "name": "abalone", "literal": "Parameters.Threshold"})"));
}

TEST_F(ExpressionTest, ResolvesJsonGetPaths) {
  EXPECT_EQ(*Resolve(J(R"({"JsonGet": {"step": "Eval", "path": "regression_metrics.mse.value"}})"), ctx_),
            Json(4.5));
  EXPECT_EQ(*Resolve(J(R"({"JsonGet": {"step": "Eval", "path": "curve[1].x"}})"), ctx_), Json(2));
  EXPECT_EQ(*Resolve(J(R"({"JsonGet": {"step": "Eval", "path": "regression_metrics.rmse"}})"), ctx_),
            J(R"({"value": 2.1})"));
}

TEST_F(ExpressionTest, JsonGetMissingPathNamesStepPathAndExistingKeys) {
  Result<Json> out = Resolve(J(R"({"JsonGet": {"step": "Eval", "path": "regression_metrics.mae.value"}})"),
                             ctx_, "arguments.x");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(),
            "arguments.x: JsonGet on step Eval: path regression_metrics.mae.value: no key 'mae' at "
            "'regression_metrics' (keys there: mse, rmse)");

  out = Resolve(J(R"({"JsonGet": {"step": "Eval", "path": "curve[5].x"}})"), ctx_);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("index [5] is out of range: 'curve' has 2 elements"));

  out = Resolve(J(R"({"JsonGet": {"step": "Eval", "path": "label.text"}})"), ctx_);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("no key 'text': 'label' is string, not an object"));

  out = Resolve(J(R"({"JsonGet": {"step": "Train", "path": "a"}})"), ctx_);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("JsonGet on step Train: no property file for Train"));
}

TEST_F(ExpressionTest, ParsesJsonPaths) {
  Result<std::vector<PathSegment>> p = ParseJsonPath("a.b[10].c");
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->size(), 4u);
  EXPECT_EQ((*p)[1].key, "b");
  EXPECT_EQ((*p)[2].index, 10u);
  EXPECT_EQ((*p)[3].key, "c");
  EXPECT_TRUE(ParseJsonPath("[0].a").ok());
  for (const char* bad : {"", "a..b", "a[", "a[x]", "a[1]b", ".a", "a."}) {
    EXPECT_FALSE(ParseJsonPath(bad).ok()) << bad;
  }
}

TEST_F(ExpressionTest, JoinFormatsValues) {
  Json join = J(R"({"Join": {"on": " ", "values": ["MSE above", {"Get": "Parameters.Threshold"}, 0.7, 3,
                                                   true, {"Get": "Parameters.Name"}]}})");
  EXPECT_EQ(*Resolve(join, ctx_), Json("MSE above 6 0.7 3 true abc"));
  EXPECT_EQ(*Resolve(J(R"({"Join": {"values": ["a", "b"]}})"), ctx_), Json("ab"));
  EXPECT_EQ(
      *Resolve(J(R"({"Join": {"on": "/", "values": [{"Join": {"on": "-", "values": [1, 2]}}, "x"]}})"), ctx_),
      Json("1-2/x"));
  Result<Json> bad = Resolve(J(R"({"Join": {"values": [[1]]}})"), ctx_, "arguments.m");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "arguments.m: Join: value 0 is [1]; only strings, numbers and booleans can be joined");
  // A nested failure names the nested field, not the Join.
  bad = Resolve(J(R"({"Join": {"values": ["a", {"Get": "Parameters.Nope"}]}})"), ctx_, "arguments.m");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "arguments.m.Join.values[1]: Get Parameters.Nope: no value for parameter 'Nope'");
}

TEST_F(ExpressionTest, ResolveErrorsNameTheExpression) {
  Result<Json> out = Resolve(J(R"({"x": {"Get": "Steps.Train.Outputs.model"}})"), ctx_, "arguments");
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(), "arguments.x: Get Steps.Train.Outputs.model: step Train has not run");
  out = Resolve(J(R"({"Get": "Execution.Nope"})"), ctx_);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().message(), "Get Execution.Nope: no execution variable 'Nope'");
  out = Resolve(J(R"({"Get": "Steps.Prep.train"})"), ctx_);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("'Steps.Prep.train' is not a known form"));
  ResolveContext empty;
  out = Resolve(J(R"({"Get": "Steps.Prep.Outputs.train"})"), empty);
  ASSERT_FALSE(out.ok());
  EXPECT_THAT(out.status().message(), HasSubstr("step outputs are not available here"));
}

// Adjusted when ScanExpressions and CollectReferences were replaced by the
// parsed tree (ParseValue): the same references and issues, as tree nodes.
std::vector<const Expr*> References(const Expr& tree) {
  std::vector<const Expr*> refs;
  ForEachNode(tree, [&refs](const Expr& node) {
    if (IsReference(node.kind)) refs.push_back(&node);
  });
  return refs;
}

TEST_F(ExpressionTest, CollectsReferencesWithFields) {
  Json args = J(R"({"a": {"Get": "Parameters.X"}, "b": [{"Get": "Steps.S.Outputs.o"}],
                    "c": {"Join": {"values": [{"JsonGet": {"step": "E", "path": "m.v"}}, {"Get": "Execution.ExecutionId"}]}},
                    "bad": {"Get": 5}})");
  std::vector<ExpressionIssue> issues;
  Expr tree = ParseValue(args, "steps.T.arguments", &issues);
  std::vector<const Expr*> refs = References(tree);
  ASSERT_EQ(refs.size(), 4u);
  EXPECT_EQ(refs[0]->kind, Expr::Kind::kParameter);
  EXPECT_EQ(refs[0]->name, "X");
  EXPECT_EQ(refs[0]->field, "steps.T.arguments.a");
  EXPECT_EQ(refs[1]->kind, Expr::Kind::kStepOutput);
  EXPECT_EQ(refs[1]->name, "S");
  EXPECT_EQ(refs[1]->output, "o");
  EXPECT_EQ(refs[1]->field, "steps.T.arguments.b[0]");
  EXPECT_EQ(refs[2]->kind, Expr::Kind::kJsonGet);
  EXPECT_EQ(refs[2]->name, "E");
  EXPECT_EQ(refs[2]->path, "m.v");
  EXPECT_EQ(refs[2]->field, "steps.T.arguments.c.Join.values[0]");
  EXPECT_EQ(refs[3]->kind, Expr::Kind::kExecutionVariable);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].field, "steps.T.arguments.bad");
  EXPECT_THAT(issues[0].message, HasSubstr("Get: takes a string, not 5"));
}

TEST_F(ExpressionTest, ScanReportsMalformedJsonGetAndJoin) {
  std::vector<ExpressionIssue> issues;
  Expr tree = ParseValue(J(R"([{"JsonGet": {"step": "E"}}, {"JsonGet": {"step": "E", "path": "a..b"}},
            {"JsonGet": {"step": "E", "path": "a", "file": "x"}}, {"Join": {"values": "ab"}}, {"Join": {"on": 1, "values": []}}])"),
                         "f", &issues);
  ASSERT_EQ(issues.size(), 5u);
  EXPECT_THAT(issues[0].message, HasSubstr("'path' must be a string"));
  EXPECT_THAT(issues[1].message, HasSubstr("bad path 'a..b'"));
  EXPECT_THAT(issues[2].message, HasSubstr("unknown key 'file'"));
  EXPECT_THAT(issues[3].message, HasSubstr("'values' must be a list"));
  EXPECT_THAT(issues[4].message, HasSubstr("'on' must be a string"));
  EXPECT_EQ(issues[4].field, "f[4]");
  EXPECT_TRUE(References(tree).empty());
}

TEST_F(ExpressionTest, ScalarTextIsShortest) {
  EXPECT_EQ(ScalarText(Json(6.0)), "6");
  EXPECT_EQ(ScalarText(Json(0.1)), "0.1");
  EXPECT_EQ(ScalarText(Json(1e21)), "1e+21");
  EXPECT_EQ(ScalarText(Json(-3)), "-3");
  EXPECT_EQ(ScalarText(Json(false)), "false");
  EXPECT_EQ(ScalarText(Json("x y")), "x y");
  EXPECT_EQ(ScalarText(Json(nullptr)), "null");
}

// ---- Conditions ----

class ConditionTest : public ExpressionTest {
 protected:
  bool Eval(const char* conditions) {
    Result<bool> r = EvaluateConditions(J(conditions), ctx_);
    EXPECT_TRUE(r.ok()) << conditions << ": " << r.status().ToString();
    return r.ok() && *r;
  }
  std::string EvalError(const char* conditions) {
    Result<bool> r = EvaluateConditions(J(conditions), ctx_);
    EXPECT_FALSE(r.ok()) << conditions;
    return r.ok() ? "" : r.status().message();
  }
};

TEST_F(ConditionTest, Comparisons) {
  EXPECT_TRUE(Eval(R"([{"Equals": [3, 3]}])"));
  EXPECT_FALSE(Eval(R"([{"Equals": [3, 4]}])"));
  EXPECT_TRUE(Eval(R"([{"==": [3, 3.0]}])"));
  EXPECT_TRUE(Eval(R"([{"GreaterThan": [4, 3.5]}])"));
  EXPECT_FALSE(Eval(R"([{">": [3, 3]}])"));
  EXPECT_TRUE(Eval(R"([{"GreaterThanOrEqualTo": [3, 3]}])"));
  EXPECT_FALSE(Eval(R"([{">=": [2.9, 3]}])"));
  EXPECT_TRUE(Eval(R"([{"LessThan": [-1, 0]}])"));
  EXPECT_FALSE(Eval(R"([{"<": [0, 0]}])"));
  EXPECT_TRUE(Eval(R"([{"LessThanOrEqualTo": [0, 0]}])"));
  EXPECT_FALSE(Eval(R"([{"<=": [1, 0]}])"));
  EXPECT_TRUE(Eval(R"([{"LessThan": ["abc", "abd"]}])"));
  EXPECT_TRUE(Eval(R"([{"Equals": [true, true]}])"));
  EXPECT_FALSE(Eval(R"([{"Equals": [true, false]}])"));
  EXPECT_TRUE(Eval(R"([{"Equals": [null, null]}])"));
}

TEST_F(ConditionTest, OperandsMayBeExpressions) {
  // The DESIGN.md abalone condition: mse 4.5 <= threshold 6.0.
  EXPECT_TRUE(
      Eval(R"([{"LessThanOrEqualTo": [{"JsonGet": {"step": "Eval", "path": "regression_metrics.mse.value"}},
                                              {"Get": "Parameters.Threshold"}]}])"));
  EXPECT_FALSE(Eval(R"([{"GreaterThan": [{"Get": "Parameters.Count"}, 3]}])"));
  EXPECT_TRUE(Eval(R"([{"Equals": [{"Get": "Parameters.Flag"}, true]}])"));
}

TEST_F(ConditionTest, InNotOrAndLists) {
  EXPECT_TRUE(Eval(R"([{"In": [{"Get": "Parameters.Name"}, ["x", "abc"]]}])"));
  EXPECT_FALSE(Eval(R"([{"in": [2, [1, 3]]}])"));
  EXPECT_TRUE(Eval(R"([{"In": [2, [1, 2.0]]}])"));
  EXPECT_TRUE(Eval(R"([{"Not": {"Equals": [1, 2]}}])"));
  EXPECT_FALSE(Eval(R"([{"not": [{"Equals": [1, 1]}, {"Equals": [2, 2]}]}])"));
  EXPECT_TRUE(Eval(R"([{"Or": [{"Equals": [1, 2]}, {"Equals": [2, 2]}]}])"));
  EXPECT_FALSE(Eval(R"([{"or": [{"Equals": [1, 2]}, {"Equals": [2, 3]}]}])"));
  EXPECT_TRUE(Eval(R"([{"And": [{"Equals": [1, 1]}, {"Equals": [2, 2]}]}])"));
  EXPECT_TRUE(Eval(R"([{"Equals": [1, 1]}, {"Equals": [2, 2]}])"));
  EXPECT_FALSE(Eval(R"([{"Equals": [1, 1]}, {"Equals": [2, 3]}])"));
  EXPECT_TRUE(Eval(R"({"Equals": [1, 1]})"));  // A single condition need not be in a list.
}

TEST_F(ConditionTest, MismatchedKindsAreErrorsNamingBothValues) {
  EXPECT_EQ(EvalError(R"([{"LessThan": [{"Get": "Parameters.Name"}, 3]}])"),
            "conditions[0].LessThan: cannot compare \"abc\" (a string) with 3 (a number)");
  EXPECT_EQ(EvalError(R"([{"Equals": [true, 1]}])"),
            "conditions[0].Equals: cannot compare true (a boolean) with 1 (a number)");
  EXPECT_EQ(EvalError(R"([{"GreaterThan": [true, false]}])"),
            "conditions[0].GreaterThan: cannot compare true (a boolean) with false (a boolean) "
            "(only numbers and strings can be ordered)");
  EXPECT_THAT(EvalError(R"([{"In": ["a", [1, "a"]]}])"), HasSubstr("cannot compare \"a\" (a string) with 1"));
  EXPECT_THAT(EvalError(R"([{"In": ["a", {"Get": "Parameters.Name"}]}])"),
              HasSubstr("In needs a list to look in, got \"abc\""));
  EXPECT_THAT(EvalError(R"([{"Or": [{"Equals": [1, 2]}, {"Equals": [[1], [1]]}]}])"),
              HasSubstr("conditions[0].Or[1].Equals: cannot compare [1] (a list) with [1] (a list)"));
}

TEST_F(ConditionTest, MalformedConditionsAreErrors) {
  EXPECT_THAT(EvalError(R"([{"Equal": [1, 1]}])"),
              HasSubstr("conditions[0]: unknown condition operator 'Equal' (expected one of Equals (==)"));
  EXPECT_THAT(EvalError(R"([{"Equals": [1]}])"),
              HasSubstr("conditions[0].Equals: Equals takes a list of two operands [left, right], not [1]"));
  EXPECT_THAT(EvalError(R"([{"In": [1, 2]}])"), HasSubstr("conditions[0].In[1]: In takes a list of values"));
  EXPECT_THAT(EvalError(R"([{"Or": []}])"), HasSubstr("Or takes a non-empty list of conditions"));
  EXPECT_THAT(EvalError(R"([{"Equals": [1, 1], "Or": []}])"), HasSubstr("one operator"));
  EXPECT_THAT(EvalError(R"([{"Equals": [{"Get": "Nope.X"}, 1]}])"),
              HasSubstr("conditions[0].Equals[0]: Get: 'Nope.X' is not a known form"));
  // Adjusted when CheckConditions was replaced by ParseConditions' issues.
  std::vector<ExpressionIssue> issues;
  ParseConditions(J(R"([{"Not": {"Or": [{"==": [1, 2]}]}}])"), "c", &issues);
  EXPECT_TRUE(issues.empty());
  ParseConditions(J(R"([{"Not": {"Or": [{"==": 1}]}}])"), "c", &issues);
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].field, "c[0].Not.Or[0].==");
}

TEST_F(ConditionTest, ResolutionErrorsPropagate) {
  EXPECT_THAT(
      EvalError(R"([{"Equals": [{"JsonGet": {"step": "Eval", "path": "nope"}}, 1]}])"),
      HasSubstr("conditions[0].Equals[0]: JsonGet on step Eval: path nope: no key 'nope' at the top level "
                "(keys there: regression_metrics, curve, label)"));
}

}  // namespace
}  // namespace grove::pipeline
