#include "pipeline/expression.h"

#include <charconv>
#include <optional>

#include "pipeline/argument_schema.h"

namespace grove::pipeline {
namespace {

constexpr const char* kGetForms =
    "Parameters.<Name>, Execution.<ExecutionId|StartDateTime|PipelineName> or "
    "Steps.<Step>.Outputs.<output>";

std::string Child(const std::string& field, const std::string& key) {
  return field.empty() ? key : field + "." + key;
}
std::string Item(const std::string& field, size_t i) { return field + "[" + std::to_string(i) + "]"; }

std::vector<std::string> SplitDots(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t dot = text.find('.', start);
    parts.push_back(text.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) return parts;
    start = dot + 1;
  }
}

Result<Reference> ParseGet(const Json& arg) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("Get: " + why + " (expected " + kGetForms + ")");
  };
  if (!arg.is_string()) return bad("takes a string, not " + arg.dump());
  std::vector<std::string> parts = SplitDots(arg.get<std::string>());
  for (const std::string& part : parts) {
    if (part.empty()) return bad("'" + arg.get<std::string>() + "' has an empty name");
  }
  Reference ref;
  if (parts[0] == "Parameters" && parts.size() == 2) {
    ref.kind = Reference::Kind::kParameter;
    ref.name = parts[1];
  } else if (parts[0] == "Execution" && parts.size() == 2) {
    ref.kind = Reference::Kind::kExecution;
    ref.name = parts[1];
  } else if (parts[0] == "Steps" && parts.size() == 4 && parts[2] == "Outputs") {
    ref.kind = Reference::Kind::kStepOutput;
    ref.name = parts[1];
    ref.output = parts[3];
  } else {
    return bad("'" + arg.get<std::string>() + "' is not a known form");
  }
  return ref;
}

Result<Reference> ParseJsonGet(const Json& arg) {
  auto bad = [](const std::string& why) {
    return Status::InvalidArgument("JsonGet: " + why + " (expected {step: <Step>, path: a.b[0].c})");
  };
  if (!arg.is_object()) return bad("takes an object, not " + arg.dump());
  for (const auto& [key, v] : arg.items()) {
    if (key != "step" && key != "path") return bad("unknown key '" + key + "'");
  }
  if (!arg.contains("step") || !arg["step"].is_string()) return bad("'step' must be a step name");
  if (!arg.contains("path") || !arg["path"].is_string()) return bad("'path' must be a string");
  Result<std::vector<PathSegment>> segments = ParseJsonPath(arg["path"].get<std::string>());
  if (!segments.ok()) return bad(segments.status().message());
  Reference ref;
  ref.kind = Reference::Kind::kJsonGet;
  ref.name = arg["step"].get<std::string>();
  ref.path = arg["path"].get<std::string>();
  return ref;
}

Status CheckJoin(const Json& arg) {
  auto bad = [](const std::string& why) {
    return Status::InvalidArgument("Join: " + why + " (expected {on: <separator>, values: [...]})");
  };
  if (!arg.is_object()) return bad("takes an object, not " + arg.dump());
  for (const auto& [key, v] : arg.items()) {
    if (key != "on" && key != "values") return bad("unknown key '" + key + "'");
  }
  if (arg.contains("on") && !arg["on"].is_string()) return bad("'on' must be a string");
  if (!arg.contains("values") || !arg["values"].is_array()) return bad("'values' must be a list");
  return Status::OK();
}

// A value for messages, at most about 80 characters: a list of 1,000 points
// from a report must not flood an error line.
std::string Brief(const Json& value) {
  std::string text = value.dump();
  if (text.size() <= 80) return text;
  std::string size = value.is_array() || value.is_object() ? ", " + std::to_string(value.size()) + " elements" : "";
  return text.substr(0, 60) + "... (" + std::to_string(text.size()) + " characters" + size + ")";
}

std::string KeyOf(const Json& expression) { return expression.begin().key(); }

// "Get Steps.A.Outputs.x" / "JsonGet on step A" / "Join", for messages.
std::string Label(const Json& expression) {
  const std::string key = KeyOf(expression);
  const Json& arg = expression.begin().value();
  if (key == "Get" && arg.is_string()) return "Get " + arg.get<std::string>();
  if (key == "JsonGet" && arg.is_object() && arg.contains("step") && arg["step"].is_string()) {
    return "JsonGet on step " + arg["step"].get<std::string>();
  }
  return key;
}

Result<Json> ResolveReference(const Reference& ref, const ResolveContext& ctx) {
  switch (ref.kind) {
    case Reference::Kind::kParameter:
      if (ctx.parameters == nullptr || !ctx.parameters->contains(ref.name)) {
        return Status::InvalidArgument("no value for parameter '" + ref.name + "'");
      }
      return (*ctx.parameters)[ref.name];
    case Reference::Kind::kExecution:
      if (!ctx.execution.contains(ref.name)) {
        return Status::InvalidArgument("no execution variable '" + ref.name + "'");
      }
      return ctx.execution[ref.name];
    case Reference::Kind::kStepOutput:
      if (!ctx.step_output) return Status::InvalidArgument("step outputs are not available here");
      return ctx.step_output(ref.name, ref.output);
    case Reference::Kind::kJsonGet: {
      if (!ctx.property_file) return Status::InvalidArgument("property files are not available here");
      ASSIGN_OR_RETURN(Json document, ctx.property_file(ref.name));
      Result<Json> value = LookupJsonPath(document, ref.path);
      if (!value.ok()) return value.status().WithContext("path " + ref.path);
      return value;
    }
  }
  return Status::Internal("unknown reference kind");
}

std::string Prefix(const std::string& field, const Json& expression) {
  return (field.empty() ? "" : field + ": ") + Label(expression);
}

// Errors of nested values carry their own field; the others get `field` and "Join".
Result<Json> ResolveJoin(const Json& expression, const ResolveContext& ctx, const std::string& field) {
  const Json& arg = expression.begin().value();
  Status shape = CheckJoin(arg);
  if (!shape.ok()) return shape.WithContext(Prefix(field, expression));
  std::string separator = arg.contains("on") ? arg["on"].get<std::string>() : "";
  std::string text;
  const Json& values = arg["values"];
  for (size_t i = 0; i < values.size(); ++i) {
    ASSIGN_OR_RETURN(Json v, Resolve(values[i], ctx, Item(Child(field, "Join.values"), i)));
    if (v.is_array() || v.is_object()) {
      return Status::InvalidArgument("value " + std::to_string(i) + " is " + Brief(v) +
                                     "; only strings, numbers and booleans can be joined")
          .WithContext(Prefix(field, expression));
    }
    if (i > 0) text += separator;
    text += ScalarText(v);
  }
  return Json(text);
}

Result<Json> ResolveExpression(const Json& expression, const ResolveContext& ctx, const std::string& field) {
  const std::string key = KeyOf(expression);
  if (key == "Join") return ResolveJoin(expression, ctx, field);
  const Json& arg = expression.begin().value();
  Result<Reference> ref = key == "Get" ? ParseGet(arg) : ParseJsonGet(arg);
  Result<Json> value = ref.ok() ? ResolveReference(*ref, ctx) : Result<Json>(ref.status());
  if (!value.ok()) return value.status().WithContext(Prefix(field, expression));
  return value;
}

void Scan(const Json& value, const std::string& field, ExpressionScan* out) {
  if (IsExpression(value)) {
    const std::string key = KeyOf(value);
    const Json& arg = value.begin().value();
    if (key == "Join") {
      Status st = CheckJoin(arg);
      if (!st.ok()) {
        out->issues.push_back({field, st.message()});
        return;
      }
      Scan(arg["values"], Child(field, "Join.values"), out);
      return;
    }
    Result<Reference> ref = key == "Get" ? ParseGet(arg) : ParseJsonGet(arg);
    if (!ref.ok()) {
      out->issues.push_back({field, ref.status().message()});
      return;
    }
    ref->field = field;
    out->references.push_back(std::move(*ref));
    return;
  }
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) Scan(child, Child(field, key), out);
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size(); ++i) Scan(value[i], Item(field, i), out);
  }
}

}  // namespace

bool IsExpression(const Json& value) {
  if (!value.is_object() || value.size() != 1) return false;
  const std::string& key = value.begin().key();
  return key == "Get" || key == "JsonGet" || key == "Join";
}

Result<Json> Resolve(const Json& value, const ResolveContext& ctx, const std::string& field) {
  if (IsExpression(value)) return ResolveExpression(value, ctx, field);
  if (value.is_object()) {
    Json out = Json::object();
    for (const auto& [key, child] : value.items()) {
      ASSIGN_OR_RETURN(out[key], Resolve(child, ctx, Child(field, key)));
    }
    return out;
  }
  if (value.is_array()) {
    Json out = Json::array();
    for (size_t i = 0; i < value.size(); ++i) {
      ASSIGN_OR_RETURN(Json item, Resolve(value[i], ctx, Item(field, i)));
      out.push_back(std::move(item));
    }
    return out;
  }
  return value;
}

ExpressionScan ScanExpressions(const Json& value, const std::string& field_prefix) {
  ExpressionScan scan;
  Scan(value, field_prefix, &scan);
  return scan;
}

std::vector<Reference> CollectReferences(const Json& value, const std::string& field_prefix) {
  return ScanExpressions(value, field_prefix).references;
}

Result<std::vector<PathSegment>> ParseJsonPath(const std::string& path) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument("bad path '" + path + "': " + why);
  };
  std::vector<PathSegment> segments;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '[') {
      size_t close = path.find(']', i);
      std::string digits = path.substr(i + 1, close == std::string::npos ? 0 : close - i - 1);
      size_t index = 0;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), index);
      if (close == std::string::npos || digits.empty() || ec != std::errc() ||
          end != digits.data() + digits.size()) {
        return bad("expected [<index>] at offset " + std::to_string(i));
      }
      segments.push_back({"", index});
      i = close + 1;
    } else {
      if (!segments.empty()) {
        if (path[i] != '.') return bad("expected '.' or '[' at offset " + std::to_string(i));
        ++i;
      }
      size_t end = path.find_first_of(".[]", i);
      if (end == std::string::npos) end = path.size();
      if (end == i) return bad("empty key at offset " + std::to_string(i));
      segments.push_back({path.substr(i, end - i), std::nullopt});
      i = end;
    }
  }
  if (segments.empty()) return bad("it is empty");
  return segments;
}

Result<Json> LookupJsonPath(const Json& document, const std::string& path) {
  ASSIGN_OR_RETURN(std::vector<PathSegment> segments, ParseJsonPath(path));
  const Json* at = &document;
  std::string walked;
  for (const PathSegment& seg : segments) {
    const std::string where = walked.empty() ? "the top level" : "'" + walked + "'";
    if (seg.index) {
      if (!at->is_array()) {
        return Status::NotFound("no index [" + std::to_string(*seg.index) + "]: " + where + " is " +
                                std::string(at->type_name()) + ", not an array");
      }
      if (*seg.index >= at->size()) {
        return Status::NotFound("index [" + std::to_string(*seg.index) + "] is out of range: " + where +
                                " has " + std::to_string(at->size()) + " elements");
      }
      at = &(*at)[*seg.index];
      walked += "[" + std::to_string(*seg.index) + "]";
      continue;
    }
    if (!at->is_object()) {
      return Status::NotFound("no key '" + seg.key + "': " + where + " is " + std::string(at->type_name()) +
                              ", not an object");
    }
    if (!at->contains(seg.key)) {
      std::string keys;
      for (const auto& [key, v] : at->items()) keys += (keys.empty() ? "" : ", ") + key;
      return Status::NotFound("no key '" + seg.key + "' at " + where +
                              " (keys there: " + (keys.empty() ? "none" : keys) + ")");
    }
    at = &(*at)[seg.key];
    walked += (walked.empty() ? "" : ".") + seg.key;
  }
  return *at;
}

std::string ScalarText(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_float()) {
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value.get<double>());
    return ec == std::errc() ? std::string(buf, end) : value.dump();
  }
  return value.dump();  // Integers, booleans, null, arrays and objects.
}

// ---- Conditions ----

namespace {

enum class Op { kEq, kGt, kGe, kLt, kLe, kIn, kNot, kOr, kAnd };
struct OpName {
  std::string_view name;
  Op op;
};
constexpr OpName kOperators[] = {{"Equals", Op::kEq},
                                 {"==", Op::kEq},
                                 {"GreaterThan", Op::kGt},
                                 {">", Op::kGt},
                                 {"GreaterThanOrEqualTo", Op::kGe},
                                 {">=", Op::kGe},
                                 {"LessThan", Op::kLt},
                                 {"<", Op::kLt},
                                 {"LessThanOrEqualTo", Op::kLe},
                                 {"<=", Op::kLe},
                                 {"In", Op::kIn},
                                 {"in", Op::kIn},
                                 {"Not", Op::kNot},
                                 {"not", Op::kNot},
                                 {"Or", Op::kOr},
                                 {"or", Op::kOr},
                                 {"And", Op::kAnd},
                                 {"and", Op::kAnd}};
constexpr const char* kOperatorList =
    "Equals (==), GreaterThan (>), GreaterThanOrEqualTo (>=), LessThan (<), "
    "LessThanOrEqualTo (<=), In (in), Not (not), Or (or), And (and)";

std::optional<Op> FindOperator(std::string_view name) {
  for (const OpName& entry : kOperators) {
    if (entry.name == name) return entry.op;
  }
  return std::nullopt;
}

bool IsComparison(Op op) { return op != Op::kIn && op != Op::kNot && op != Op::kOr && op != Op::kAnd; }

std::optional<ExpressionIssue> FirstIssue(const Json& operand, const std::string& field) {
  ExpressionScan scan = ScanExpressions(operand, field);
  if (scan.issues.empty()) return std::nullopt;
  return scan.issues.front();
}

// The shape of one condition object (not a list).
std::optional<ExpressionIssue> CheckCondition(const Json& cond, const std::string& field) {
  if (!cond.is_object() || cond.size() != 1) {
    return ExpressionIssue{field, "a condition is an object with one operator, one of " +
                                      std::string(kOperatorList) + "; got " + cond.dump()};
  }
  const std::string& key = cond.begin().key();
  const Json& operand = cond.begin().value();
  const std::string at = field + "." + key;
  std::optional<Op> op = FindOperator(key);
  if (!op) {
    return ExpressionIssue{
        field, "unknown condition operator '" + key + "' (expected one of " + kOperatorList + ")"};
  }
  if (IsComparison(*op) || *op == Op::kIn) {
    if (!operand.is_array() || operand.size() != 2) {
      std::string want = *op == Op::kIn ? "[value, [v1, v2, ...]]" : "[left, right]";
      return ExpressionIssue{at, key + " takes a list of two operands " + want + ", not " + operand.dump()};
    }
    if (*op == Op::kIn && !operand[1].is_array() && !IsExpression(operand[1])) {
      return ExpressionIssue{at + "[1]", "In takes a list of values to look in, not " + operand[1].dump()};
    }
    return FirstIssue(operand, at);
  }
  if (*op == Op::kNot) return CheckConditions(operand, at);
  if (!operand.is_array() || operand.empty()) {
    return ExpressionIssue{at, key + " takes a non-empty list of conditions, not " + operand.dump()};
  }
  return CheckConditions(operand, at);
}

const char* KindName(const Json& v) {
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_null()) return "null";
  if (v.is_array()) return "a list";
  return "an object";
}

// -1, 0 or 1. Only equality (`ordering` false) is defined for booleans and nulls.
// A string that reads in full as a number compares as that number with a
// number (the quoted-scalar rule, CoerceArgument).
Result<int> Compare(const Json& a, const Json& b, bool ordering) {
  if ((a.is_number() && b.is_number()) || (a.is_string() && b.is_string())) {
    return a < b ? -1 : (b < a ? 1 : 0);
  }
  if (a.is_number() != b.is_number() && (a.is_string() || b.is_string())) {
    const Json& text = a.is_string() ? a : b;
    if (std::optional<double> n = ReadNumberText(text.get<std::string>())) {
      return a.is_string() ? Compare(Json(*n), b, ordering) : Compare(a, Json(*n), ordering);
    }
  }
  if (!ordering && a.type() == b.type() && (a.is_boolean() || a.is_null())) return a == b ? 0 : 1;
  std::string why = a.type() == b.type() ? " (only numbers and strings can be ordered)" : "";
  return Status::InvalidArgument("cannot compare " + Brief(a) + " (" + KindName(a) + ") with " + Brief(b) +
                                 " (" + KindName(b) + ")" + why);
}

Result<bool> Evaluate(const Json& cond, const ResolveContext& ctx, const std::string& field);

// AND over a list (short-circuit), or one condition.
Result<bool> EvaluateAll(const Json& conds, const ResolveContext& ctx, const std::string& field) {
  if (!conds.is_array()) return Evaluate(conds, ctx, field);
  for (size_t i = 0; i < conds.size(); ++i) {
    ASSIGN_OR_RETURN(bool ok, Evaluate(conds[i], ctx, Item(field, i)));
    if (!ok) return false;
  }
  return true;
}

Result<bool> EvaluateCompare(Op op, const Json& operand, const ResolveContext& ctx, const std::string& at) {
  ASSIGN_OR_RETURN(Json left, Resolve(operand[0], ctx, Item(at, 0)));
  ASSIGN_OR_RETURN(Json right, Resolve(operand[1], ctx, Item(at, 1)));
  if (op == Op::kIn) {
    if (!right.is_array()) {
      return Status::InvalidArgument(at + ": In needs a list to look in, got " + Brief(right));
    }
    for (const Json& candidate : right) {
      Result<int> c = Compare(left, candidate, false);
      if (!c.ok()) return c.status().WithContext(at);
      if (*c == 0) return true;
    }
    return false;
  }
  Result<int> c = Compare(left, right, op != Op::kEq);
  if (!c.ok()) return c.status().WithContext(at);
  switch (op) {
    case Op::kEq: return *c == 0;
    case Op::kGt: return *c > 0;
    case Op::kGe: return *c >= 0;
    case Op::kLt: return *c < 0;
    case Op::kLe: return *c <= 0;
    default: return Status::Internal("not a comparison");
  }
}

// REQUIRES: the shape was checked by CheckConditions.
Result<bool> Evaluate(const Json& cond, const ResolveContext& ctx, const std::string& field) {
  if (cond.is_array()) return EvaluateAll(cond, ctx, field);
  const std::string& key = cond.begin().key();
  const Json& operand = cond.begin().value();
  const std::string at = field + "." + key;
  Op op = *FindOperator(key);
  switch (op) {
    case Op::kNot: {
      ASSIGN_OR_RETURN(bool inner, EvaluateAll(operand, ctx, at));
      return !inner;
    }
    case Op::kAnd: return EvaluateAll(operand, ctx, at);
    case Op::kOr:
      for (size_t i = 0; i < operand.size(); ++i) {
        ASSIGN_OR_RETURN(bool ok, Evaluate(operand[i], ctx, Item(at, i)));
        if (ok) return true;
      }
      return false;
    default: return EvaluateCompare(op, operand, ctx, at);
  }
}

}  // namespace

void ForEachComparison(const Json& conditions, const std::string& field,
                       const std::function<void(const Json& left, const Json& right, const std::string& at)>& visit) {
  if (conditions.is_array()) {
    for (size_t i = 0; i < conditions.size(); ++i) ForEachComparison(conditions[i], Item(field, i), visit);
    return;
  }
  if (!conditions.is_object() || conditions.size() != 1) return;
  const std::string& key = conditions.begin().key();
  const Json& operand = conditions.begin().value();
  std::optional<Op> op = FindOperator(key);
  if (!op) return;
  const std::string at = field + "." + key;
  if (*op == Op::kNot || *op == Op::kAnd || *op == Op::kOr) {
    ForEachComparison(operand, at, visit);
  } else if (operand.is_array() && operand.size() == 2) {
    visit(operand[0], operand[1], at);
  }
}

std::optional<ExpressionIssue> CheckConditions(const Json& conditions, const std::string& field) {
  if (!conditions.is_array()) return CheckCondition(conditions, field);
  for (size_t i = 0; i < conditions.size(); ++i) {
    if (auto issue = CheckCondition(conditions[i], Item(field, i))) return issue;
  }
  return std::nullopt;
}

Result<bool> EvaluateConditions(const Json& conditions, const ResolveContext& ctx, const std::string& field) {
  if (auto issue = CheckConditions(conditions, field)) {
    return Status::InvalidArgument(issue->field + ": " + issue->message);
  }
  return EvaluateAll(conditions, ctx, field);
}

}  // namespace grove::pipeline
