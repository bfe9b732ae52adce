#include "pipeline/expression.h"

#include <charconv>
#include <optional>

#include "pipeline/argument_schema.h"

namespace grove::pipeline {
namespace {

// A value for messages, at most about 80 characters: a list of 1,000 points
// from a report must not flood an error line.
std::string Brief(const Json& value) {
  std::string text = value.dump();
  if (text.size() <= 80) return text;
  std::string size = value.is_array() || value.is_object() ? ", " + std::to_string(value.size()) + " elements" : "";
  return text.substr(0, 60) + "... (" + std::to_string(text.size()) + " characters" + size + ")";
}

std::string At(const std::string& field) { return field.empty() ? "" : field + ": "; }

Status IssueStatus(const std::vector<ExpressionIssue>& issues) {
  return Status::InvalidArgument(At(issues.front().field) + issues.front().message);
}

Result<Json> ResolveReference(const Expr& ref, const ResolveContext& ctx) {
  switch (ref.kind) {
    case Expr::Kind::kParameter:
      if (ctx.parameters == nullptr || !ctx.parameters->contains(ref.name)) {
        return Status::InvalidArgument("no value for parameter '" + ref.name + "'");
      }
      return (*ctx.parameters)[ref.name];
    case Expr::Kind::kExecutionVariable:
      if (!ctx.execution.contains(ref.name)) {
        return Status::InvalidArgument("no execution variable '" + ref.name + "'");
      }
      return ctx.execution[ref.name];
    case Expr::Kind::kStepOutput:
      if (!ctx.step_output) return Status::InvalidArgument("step outputs are not available here");
      return ctx.step_output(ref.name, ref.output);
    case Expr::Kind::kJsonGet: {
      if (!ctx.property_file) return Status::InvalidArgument("property files are not available here");
      ASSIGN_OR_RETURN(Json document, ctx.property_file(ref.name));
      Result<Json> value = LookupJsonPath(document, ref.segments);
      if (!value.ok()) return value.status().WithContext("path " + ref.path);
      return value;
    }
    default:
      return Status::Internal("not a reference");
  }
}

// Errors of nested values carry their own field; the others get the Join's field and "Join".
Result<Json> ResolveJoin(const Expr& join, const ResolveContext& ctx) {
  std::string text;
  for (size_t i = 0; i < join.children.size(); ++i) {
    ASSIGN_OR_RETURN(Json v, Resolve(join.children[i], ctx));
    if (v.is_array() || v.is_object()) {
      return Status::InvalidArgument("value " + std::to_string(i) + " is " + Brief(v) +
                                     "; only strings, numbers and booleans can be joined")
          .WithContext(At(join.field) + Label(join));
    }
    if (i > 0) text += join.separator;
    text += ScalarText(v);
  }
  return Json(text);
}

// Puts the value of `node` (and of the expressions under a literal or a
// condition) into `out`, the value written at pointer `base`.
Status SubstituteInto(Json& out, const std::string& base, const Expr& node, const ResolveContext& ctx) {
  if (node.kind == Expr::Kind::kLiteral || IsCondition(node.kind)) {
    for (const Expr& child : node.children) RETURN_IF_ERROR(SubstituteInto(out, base, child, ctx));
    return Status::OK();
  }
  ASSIGN_OR_RETURN(Json value, Resolve(node, ctx));
  out[Json::json_pointer(node.pointer.substr(base.size()))] = std::move(value);
  return Status::OK();
}

}  // namespace

Result<Json> Resolve(const Expr& value, const ResolveContext& ctx) {
  switch (value.kind) {
    case Expr::Kind::kLiteral: {
      Json out = value.literal;
      for (const Expr& child : value.children) RETURN_IF_ERROR(SubstituteInto(out, value.pointer, child, ctx));
      return out;
    }
    case Expr::Kind::kJoin:
      return ResolveJoin(value, ctx);
    case Expr::Kind::kList: {
      Json out = Json::array();
      for (const Expr& child : value.children) {
        ASSIGN_OR_RETURN(Json item, Resolve(child, ctx));
        out.push_back(std::move(item));
      }
      return out;
    }
    case Expr::Kind::kInvalid:
      return Status::InvalidArgument(At(value.field) + value.message);
    default:
      break;
  }
  if (!IsReference(value.kind)) return Status::Internal(At(value.field) + "a condition has no value");
  Result<Json> resolved = ResolveReference(value, ctx);
  if (!resolved.ok()) return resolved.status().WithContext(At(value.field) + Label(value));
  return resolved;
}

Result<Json> ResolveWritten(Json written, const std::vector<Expr>& expressions, const ResolveContext& ctx) {
  for (const Expr& node : expressions) RETURN_IF_ERROR(SubstituteInto(written, "", node, ctx));
  return written;
}

Result<Json> Resolve(const Json& value, const ResolveContext& ctx, const std::string& field) {
  std::vector<ExpressionIssue> issues;
  Expr tree = ParseValue(value, field, &issues);
  if (!issues.empty()) return IssueStatus(issues);
  return Resolve(tree, ctx);
}

Result<Json> LookupJsonPath(const Json& document, const std::vector<PathSegment>& path) {
  const Json* at = &document;
  std::string walked;
  for (const PathSegment& seg : path) {
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

// Where evaluation gets an operand's value: resolved on demand, or read from
// already resolved arguments.
using OperandValue = std::function<Result<Json>(const Expr& operand)>;

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

Result<bool> EvaluateCompare(const Expr& node, const OperandValue& value_of) {
  ASSIGN_OR_RETURN(Json left, value_of(node.children[0]));
  ASSIGN_OR_RETURN(Json right, value_of(node.children[1]));
  if (node.kind == Expr::Kind::kIn) {
    if (!right.is_array()) {
      return Status::InvalidArgument(node.field + ": In needs a list to look in, got " + Brief(right));
    }
    for (const Json& candidate : right) {
      Result<int> c = Compare(left, candidate, false);
      if (!c.ok()) return c.status().WithContext(node.field);
      if (*c == 0) return true;
    }
    return false;
  }
  Result<int> c = Compare(left, right, node.op != CompareOp::kEquals);
  if (!c.ok()) return c.status().WithContext(node.field);
  switch (node.op) {
    case CompareOp::kEquals: return *c == 0;
    case CompareOp::kGreaterThan: return *c > 0;
    case CompareOp::kGreaterThanOrEqualTo: return *c >= 0;
    case CompareOp::kLessThan: return *c < 0;
    case CompareOp::kLessThanOrEqualTo: return *c <= 0;
  }
  return Status::Internal("unknown comparison");
}

Result<bool> Evaluate(const Expr& node, const OperandValue& value_of) {
  switch (node.kind) {
    case Expr::Kind::kAnd:
    case Expr::Kind::kOr: {
      // AND stops at the first false, OR at the first true.
      const bool stop_at = node.kind == Expr::Kind::kOr;
      for (const Expr& child : node.children) {
        ASSIGN_OR_RETURN(bool ok, Evaluate(child, value_of));
        if (ok == stop_at) return stop_at;
      }
      return !stop_at;
    }
    case Expr::Kind::kNot: {
      ASSIGN_OR_RETURN(bool inner, Evaluate(node.children[0], value_of));
      return !inner;
    }
    case Expr::Kind::kCompare:
    case Expr::Kind::kIn:
      return EvaluateCompare(node, value_of);
    case Expr::Kind::kInvalid:
      return Status::InvalidArgument(At(node.field) + node.message);
    default:
      return Status::Internal(At(node.field) + "not a condition");
  }
}

}  // namespace

Result<bool> EvaluateConditions(const Expr& conditions, const ResolveContext& ctx) {
  return Evaluate(conditions, [&ctx](const Expr& operand) { return Resolve(operand, ctx); });
}

Result<bool> EvaluateResolvedConditions(const Expr& conditions, const Json& resolved) {
  return Evaluate(conditions, [&resolved](const Expr& operand) -> Result<Json> {
    Json::json_pointer pointer(operand.pointer);
    if (!resolved.contains(pointer)) return Status::Internal(At(operand.field) + "no resolved value");
    return resolved.at(pointer);
  });
}

Result<bool> EvaluateConditions(const Json& conditions, const ResolveContext& ctx, const std::string& field) {
  std::vector<ExpressionIssue> issues;
  Expr tree = ParseConditions(conditions, field, &issues);
  if (!issues.empty()) return IssueStatus(issues);
  return EvaluateConditions(tree, ctx);
}

}  // namespace grove::pipeline
