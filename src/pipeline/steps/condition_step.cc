#include "pipeline/expression.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/step_arguments.h"
#include "pipeline/validator.h"

namespace grove::pipeline {

namespace {

// The kind of a comparison operand as far as the definition tells.
// kAny: unknown until run time (JsonGet) or a string that reads as a number,
// which compares with numbers and strings alike.
TypedExpression OperandType(const Expr& operand, const Definition& def) {
  if (operand.kind != Expr::Kind::kLiteral) return ExpressionType(operand, def);
  const Json& value = operand.literal;
  if (value.is_number()) return {ArgType::kNumber, value.dump(), ""};
  if (value.is_boolean()) return {ArgType::kBoolean, value.dump(), ""};
  if (value.is_string() && !ReadNumberText(value.get<std::string>())) {
    return {ArgType::kString, value.dump(), ""};
  }
  return {ArgType::kAny, value.dump(), ""};
}

bool Comparable(ArgType a, ArgType b) {
  auto numeric = [](ArgType t) { return t == ArgType::kNumber || t == ArgType::kInteger; };
  if (a == ArgType::kAny || b == ArgType::kAny || a == b || (numeric(a) && numeric(b))) return true;
  auto text = [](ArgType t) { return t == ArgType::kString || t == ArgType::kPath; };
  return text(a) && text(b);
}

// Comparisons whose operands can never compare (a number with a word, a
// Boolean with a number) are refused before anything runs.
// REQUIRES: `conditions` has no kInvalid node.
Status CheckOperandTypes(const Expr& conditions, const Definition& def) {
  Status first;
  ForEachNode(conditions, [&](const Expr& node) {
    if (!first.ok() || (node.kind != Expr::Kind::kCompare && node.kind != Expr::Kind::kIn)) return;
    TypedExpression l = OperandType(node.children[0], def);
    const Expr& right = node.children[1];
    std::vector<const Expr*> rights = {&right};
    if (right.kind == Expr::Kind::kList) {  // In's written list: each value.
      rights.clear();
      for (const Expr& r : right.children) rights.push_back(&r);
    }
    for (const Expr* r : rights) {
      TypedExpression t = OperandType(*r, def);
      if (!first.ok() || Comparable(l.type, t.type)) continue;
      first = def.ErrorAt(node.field, "compares " + l.what + " (" + ArgTypeName(l.type) + ") with " + t.what +
                                          " (" + ArgTypeName(t.type) +
                                          "), which can never match; make both numbers or both text");
    }
  });
  return first;
}

bool HasInvalid(const Expr& tree) {
  bool invalid = false;
  ForEachNode(tree, [&invalid](const Expr& node) { invalid = invalid || node.kind == Expr::Kind::kInvalid; });
  return invalid;
}

// Evaluates its conditions (parsed once into StepDef::expressions, their
// operands read from the resolved arguments) and tells the executor which
// branch to take. Always evaluated, never cached: it is instant.
class ConditionStep : public StepType {
 public:
  std::string_view Name() const override { return "Condition"; }
  int Version() const override { return 1; }
  bool Cacheable(const StepDef&) const override { return false; }
  std::vector<std::string> Outputs(const StepDef&) const override { return {}; }
  std::vector<std::string> NestedStepLists() const override { return {"if_steps", "else_steps"}; }

  Status Validate(const StepDef& step, const Definition& def) const override {
    const std::string field = ArgumentField(step, "conditions");
    const Json conditions = step.arguments.is_object() ? step.arguments.value("conditions", Json()) : Json();
    if (conditions.empty()) {
      return def.ErrorAt(field,
                         "a Condition step needs a non-empty 'conditions' list, e.g. "
                         "[{LessThanOrEqualTo: [{Get: Parameters.X}, 6.0]}]");
    }
    // A malformed condition is reported by the validator, from the parse's issues.
    const Expr* tree = step.expressions.Find("/conditions");
    if (tree == nullptr || HasInvalid(*tree)) return Status::OK();
    RETURN_IF_ERROR(CheckArgumentKeys(step, def, {"conditions"}, {}));
    return CheckOperandTypes(*tree, def);
  }

  std::vector<ArgumentSpec> ArgumentSchema() const override { return {{"conditions", ArgType::kConditions}}; }

  Status Run(StepContext& ctx) const override {
    const Expr* tree = ctx.step != nullptr ? ctx.step->expressions.Find("/conditions") : nullptr;
    if (tree == nullptr) return Status::Internal("the step's conditions were not parsed (ParseStepExpressions)");
    ASSIGN_OR_RETURN(bool outcome, EvaluateResolvedConditions(*tree, ctx.arguments));
    ctx.result = StepResult::Branch(outcome ? "if_steps" : "else_steps");
    ctx.metadata = {{"outcome", outcome}, {"conditions", ctx.arguments["conditions"]}};
    ctx.log("conditions " + ctx.arguments["conditions"].dump() + " -> " + (outcome ? "true" : "false"));
    return Status::OK();
  }
};

}  // namespace

std::unique_ptr<StepType> MakeConditionStep() { return std::make_unique<ConditionStep>(); }

}  // namespace grove::pipeline
