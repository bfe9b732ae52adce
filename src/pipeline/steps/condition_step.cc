#include "pipeline/expression.h"
#include "pipeline/steps/builtin_steps.h"
#include "pipeline/steps/step_arguments.h"
#include "pipeline/validator.h"

namespace grove::pipeline {

namespace {

// Evaluates its conditions (already resolved to literals) and tells the
// executor which branch to take. Always evaluated, never cached: it is instant.
// The kind of a comparison operand as far as the definition tells.
// kAny: unknown until run time (JsonGet) or a string that reads as a number,
// which compares with numbers and strings alike.
TypedExpression OperandType(const Json& operand, const Definition& def) {
  if (IsExpression(operand)) return ExpressionType(operand, def);
  if (operand.is_number()) return {ArgType::kNumber, operand.dump(), ""};
  if (operand.is_boolean()) return {ArgType::kBoolean, operand.dump(), ""};
  if (operand.is_string() && !ReadNumberText(operand.get<std::string>())) {
    return {ArgType::kString, operand.dump(), ""};
  }
  return {ArgType::kAny, operand.dump(), ""};
}

bool Comparable(ArgType a, ArgType b) {
  auto numeric = [](ArgType t) { return t == ArgType::kNumber || t == ArgType::kInteger; };
  if (a == ArgType::kAny || b == ArgType::kAny || a == b || (numeric(a) && numeric(b))) return true;
  auto text = [](ArgType t) { return t == ArgType::kString || t == ArgType::kPath; };
  return text(a) && text(b);
}

// Comparisons whose operands can never compare (a number with a word, a
// Boolean with a number) are refused before anything runs.
Status CheckOperandTypes(const Json& conditions, const std::string& field, const Definition& def) {
  Status first;
  ForEachComparison(conditions, field, [&](const Json& left, const Json& right, const std::string& at) {
    TypedExpression l = OperandType(left, def);
    std::vector<const Json*> rights = {&right};
    if (at.size() >= 3 && (at.ends_with(".In") || at.ends_with(".in")) && right.is_array()) {
      rights.clear();
      for (const Json& r : right) rights.push_back(&r);
    }
    for (const Json* r : rights) {
      TypedExpression t = OperandType(*r, def);
      if (!first.ok() || Comparable(l.type, t.type)) continue;
      first = def.ErrorAt(at, "compares " + l.what + " (" + ArgTypeName(l.type) + ") with " + t.what + " (" +
                                  ArgTypeName(t.type) + "), which can never match; make both numbers or both text");
    }
  });
  return first;
}

class ConditionStep : public StepType {
 public:
  std::string_view Name() const override { return "Condition"; }
  int Version() const override { return 1; }
  bool Cacheable() const override { return false; }
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
    if (auto issue = CheckConditions(conditions, field)) return def.ErrorAt(issue->field, issue->message);
    RETURN_IF_ERROR(CheckArgumentKeys(step, def, {"conditions"}, {}));
    return CheckOperandTypes(conditions, field, def);
  }

  Status Run(StepContext& ctx) const override {
    ASSIGN_OR_RETURN(bool outcome, EvaluateConditions(ctx.arguments["conditions"], ResolveContext{}));
    ctx.result = StepResult::Branch(outcome ? "if_steps" : "else_steps");
    ctx.metadata = {{"outcome", outcome}, {"conditions", ctx.arguments["conditions"]}};
    ctx.log("conditions " + ctx.arguments["conditions"].dump() + " -> " + (outcome ? "true" : "false"));
    return Status::OK();
  }
};

}  // namespace

std::unique_ptr<StepType> MakeConditionStep() { return std::make_unique<ConditionStep>(); }

}  // namespace grove::pipeline
