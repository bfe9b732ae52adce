#include "pipeline/expression_tree.h"

#include <charconv>

#include "pipeline/definition.h"
#include "pipeline/step_type.h"

namespace grove::pipeline {
namespace {

constexpr const char* kGetForms =
    "Parameters.<Name>, Execution.<ExecutionId|StartDateTime|PipelineName> or "
    "Steps.<Step>.Outputs.<output>";

struct OperatorName {
  std::string_view name;
  Expr::Kind kind;
  CompareOp op;
};
constexpr OperatorName kOperators[] = {
    {"Equals", Expr::Kind::kCompare, CompareOp::kEquals},
    {"==", Expr::Kind::kCompare, CompareOp::kEquals},
    {"GreaterThan", Expr::Kind::kCompare, CompareOp::kGreaterThan},
    {">", Expr::Kind::kCompare, CompareOp::kGreaterThan},
    {"GreaterThanOrEqualTo", Expr::Kind::kCompare, CompareOp::kGreaterThanOrEqualTo},
    {">=", Expr::Kind::kCompare, CompareOp::kGreaterThanOrEqualTo},
    {"LessThan", Expr::Kind::kCompare, CompareOp::kLessThan},
    {"<", Expr::Kind::kCompare, CompareOp::kLessThan},
    {"LessThanOrEqualTo", Expr::Kind::kCompare, CompareOp::kLessThanOrEqualTo},
    {"<=", Expr::Kind::kCompare, CompareOp::kLessThanOrEqualTo},
    {"In", Expr::Kind::kIn, CompareOp::kEquals},
    {"in", Expr::Kind::kIn, CompareOp::kEquals},
    {"Not", Expr::Kind::kNot, CompareOp::kEquals},
    {"not", Expr::Kind::kNot, CompareOp::kEquals},
    {"Or", Expr::Kind::kOr, CompareOp::kEquals},
    {"or", Expr::Kind::kOr, CompareOp::kEquals},
    {"And", Expr::Kind::kAnd, CompareOp::kEquals},
    {"and", Expr::Kind::kAnd, CompareOp::kEquals}};
constexpr const char* kOperatorList =
    "Equals (==), GreaterThan (>), GreaterThanOrEqualTo (>=), LessThan (<), "
    "LessThanOrEqualTo (<=), In (in), Not (not), Or (or), And (and)";

const OperatorName* FindOperator(std::string_view name) {
  for (const OperatorName& entry : kOperators) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

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

// Why `arg` is not an object with no keys but `a` and `b`; "" when it is.
std::string ObjectShapeProblem(const Json& arg, std::string_view a, std::string_view b) {
  if (!arg.is_object()) return "takes an object, not " + arg.dump();
  for (const auto& [key, v] : arg.items()) {
    if (key != a && key != b) return "unknown key '" + key + "'";
  }
  return "";
}

// Where a value is written: its JSON pointer and its field path.
struct Where {
  std::string pointer;
  std::string field;

  Where Key(const std::string& key) const {
    std::string escaped;  // RFC 6901: '~' is "~0", '/' is "~1".
    for (char c : key) escaped += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    return {pointer + "/" + escaped, field.empty() ? key : field + "." + key};
  }
  Where Index(size_t i) const { return {pointer + "/" + std::to_string(i), field + "[" + std::to_string(i) + "]"}; }
};

// Builds nodes, appending every malformed part to `issues`.
class Parser {
 public:
  explicit Parser(std::vector<ExpressionIssue>* issues) : issues_(issues) {}

  // An operand: an expression, or a literal with the expressions inside it.
  Expr Value(const Json& value, const Where& at) {
    if (IsExpression(value)) return Expression(value, at);
    Expr literal = Node(Expr::Kind::kLiteral, at);
    literal.literal = value;
    Find(value, at, &literal.children);
    return literal;
  }

  // Appends the outermost expressions in `value`, at any depth, to `out`.
  void Find(const Json& value, const Where& at, std::vector<Expr>* out) {
    if (IsExpression(value)) {
      out->push_back(Expression(value, at));
    } else if (value.is_object()) {
      for (const auto& [key, child] : value.items()) Find(child, at.Key(key), out);
    } else if (value.is_array()) {
      for (size_t i = 0; i < value.size(); ++i) Find(value[i], at.Index(i), out);
    }
  }

  // A list (AND) or a single condition.
  Expr Conditions(const Json& conditions, const Where& at) {
    if (!conditions.is_array()) return Condition(conditions, at);
    Expr all = Node(Expr::Kind::kAnd, at);
    for (size_t i = 0; i < conditions.size(); ++i) all.children.push_back(Condition(conditions[i], at.Index(i)));
    return all;
  }

 private:
  static Expr Node(Expr::Kind kind, const Where& at) {
    Expr node;
    node.kind = kind;
    node.pointer = at.pointer;
    node.field = at.field;
    return node;
  }
  Expr Invalid(const Where& at, const std::string& message) {
    issues_->push_back({at.field, message});
    Expr node = Node(Expr::Kind::kInvalid, at);
    node.message = message;
    return node;
  }

  // REQUIRES: IsExpression(value).
  Expr Expression(const Json& value, const Where& at) {
    const std::string& key = value.begin().key();
    const Json& arg = value.begin().value();
    if (key == "Get") return Get(arg, at);
    if (key == "JsonGet") return JsonGet(arg, at);
    return Join(arg, at);
  }

  Expr Get(const Json& arg, const Where& at) {
    auto bad = [&](const std::string& why) {
      return Invalid(at, "Get: " + why + " (expected " + kGetForms + ")");
    };
    if (!arg.is_string()) return bad("takes a string, not " + arg.dump());
    const std::string& text = arg.get_ref<const std::string&>();
    std::vector<std::string> parts = SplitDots(text);
    for (const std::string& part : parts) {
      if (part.empty()) return bad("'" + text + "' has an empty name");
    }
    Expr node;
    if (parts[0] == "Parameters" && parts.size() == 2) {
      node = Node(Expr::Kind::kParameter, at);
    } else if (parts[0] == "Execution" && parts.size() == 2) {
      node = Node(Expr::Kind::kExecutionVariable, at);
    } else if (parts[0] == "Steps" && parts.size() >= 4 && parts[parts.size() - 2] == "Outputs") {
      node = Node(Expr::Kind::kStepOutput, at);
      node.output = parts.back();
      // A ForEach item's step, Train[v1.2], may hold dots between its brackets.
      std::string name = parts[1];
      for (size_t i = 2; i + 2 < parts.size(); ++i) name += "." + parts[i];
      if (parts.size() > 4 && !(name.find('[') != std::string::npos && name.back() == ']')) {
        return bad("'" + text + "' is not a known form");
      }
      node.name = std::move(name);
      return node;
    } else {
      return bad("'" + text + "' is not a known form");
    }
    node.name = parts[1];
    return node;
  }

  Expr JsonGet(const Json& arg, const Where& at) {
    auto bad = [&](const std::string& why) {
      return Invalid(at, "JsonGet: " + why + " (expected {step: <Step>, path: a.b[0].c})");
    };
    if (std::string why = ObjectShapeProblem(arg, "step", "path"); !why.empty()) return bad(why);
    if (!arg.contains("step") || !arg["step"].is_string()) return bad("'step' must be a step name");
    if (!arg.contains("path") || !arg["path"].is_string()) return bad("'path' must be a string");
    Result<std::vector<PathSegment>> segments = ParseJsonPath(arg["path"].get<std::string>());
    if (!segments.ok()) return bad(segments.status().message());
    Expr node = Node(Expr::Kind::kJsonGet, at);
    node.name = arg["step"].get<std::string>();
    node.path = arg["path"].get<std::string>();
    node.segments = std::move(*segments);
    return node;
  }

  Expr Join(const Json& arg, const Where& at) {
    auto bad = [&](const std::string& why) {
      return Invalid(at, "Join: " + why + " (expected {on: <separator>, values: [...]})");
    };
    if (std::string why = ObjectShapeProblem(arg, "on", "values"); !why.empty()) return bad(why);
    if (arg.contains("on") && !arg["on"].is_string()) return bad("'on' must be a string");
    if (!arg.contains("values") || !arg["values"].is_array()) return bad("'values' must be a list");
    Expr node = Node(Expr::Kind::kJoin, at);
    node.separator = arg.value("on", "");
    const Where values = at.Key("Join").Key("values");
    for (size_t i = 0; i < arg["values"].size(); ++i) node.children.push_back(Value(arg["values"][i], values.Index(i)));
    return node;
  }

  // One condition object (not a list).
  Expr Condition(const Json& condition, const Where& at) {
    if (!condition.is_object() || condition.size() != 1) {
      return Invalid(at, "a condition is an object with one operator, one of " + std::string(kOperatorList) +
                             "; got " + condition.dump());
    }
    const std::string& key = condition.begin().key();
    const Json& operand = condition.begin().value();
    const OperatorName* op = FindOperator(key);
    if (op == nullptr) {
      return Invalid(at, "unknown condition operator '" + key + "' (expected one of " + kOperatorList + ")");
    }
    const Where in = at.Key(key);
    Expr node = Node(op->kind, in);
    switch (op->kind) {
      case Expr::Kind::kNot:
        node.children.push_back(Conditions(operand, in));
        return node;
      case Expr::Kind::kAnd:
      case Expr::Kind::kOr:
        if (!operand.is_array() || operand.empty()) {
          return Invalid(in, key + " takes a non-empty list of conditions, not " + operand.dump());
        }
        for (size_t i = 0; i < operand.size(); ++i) node.children.push_back(Condition(operand[i], in.Index(i)));
        return node;
      default:
        break;
    }
    const bool is_in = op->kind == Expr::Kind::kIn;
    if (!operand.is_array() || operand.size() != 2) {
      std::string want = is_in ? "[value, [v1, v2, ...]]" : "[left, right]";
      return Invalid(in, key + " takes a list of two operands " + want + ", not " + operand.dump());
    }
    if (is_in && !operand[1].is_array() && !IsExpression(operand[1])) {
      return Invalid(in.Index(1), "In takes a list of values to look in, not " + operand[1].dump());
    }
    node.op = op->op;
    node.children.push_back(Value(operand[0], in.Index(0)));
    if (is_in && operand[1].is_array()) {
      Expr list = Node(Expr::Kind::kList, in.Index(1));
      for (size_t i = 0; i < operand[1].size(); ++i) {
        list.children.push_back(Value(operand[1][i], in.Index(1).Index(i)));
      }
      node.children.push_back(std::move(list));
    } else {
      node.children.push_back(Value(operand[1], in.Index(1)));
    }
    return node;
  }

  std::vector<ExpressionIssue>* issues_;
};

}  // namespace

bool IsExpression(const Json& value) {
  if (!value.is_object() || value.size() != 1) return false;
  const std::string& key = value.begin().key();
  return key == "Get" || key == "JsonGet" || key == "Join";
}

bool IsReference(Expr::Kind kind) {
  return kind == Expr::Kind::kParameter || kind == Expr::Kind::kExecutionVariable ||
         kind == Expr::Kind::kStepOutput || kind == Expr::Kind::kJsonGet;
}

bool IsCondition(Expr::Kind kind) {
  switch (kind) {
    case Expr::Kind::kCompare:
    case Expr::Kind::kIn:
    case Expr::Kind::kList:
    case Expr::Kind::kNot:
    case Expr::Kind::kAnd:
    case Expr::Kind::kOr:
      return true;
    default:
      return false;
  }
}

std::string Label(const Expr& expr) {
  switch (expr.kind) {
    case Expr::Kind::kParameter: return "Get Parameters." + expr.name;
    case Expr::Kind::kExecutionVariable: return "Get Execution." + expr.name;
    case Expr::Kind::kStepOutput: return "Get Steps." + expr.name + ".Outputs." + expr.output;
    case Expr::Kind::kJsonGet: return "JsonGet on step " + expr.name;
    case Expr::Kind::kJoin: return "Join";
    default: return "the expression";
  }
}

void ForEachNode(const Expr& root, const std::function<void(const Expr&)>& visit) {
  visit(root);
  for (const Expr& child : root.children) ForEachNode(child, visit);
}

Expr ParseValue(const Json& value, const std::string& field, std::vector<ExpressionIssue>* issues) {
  return Parser(issues).Value(value, Where{"", field});
}

Expr ParseConditions(const Json& conditions, const std::string& field, std::vector<ExpressionIssue>* issues) {
  return Parser(issues).Conditions(conditions, Where{"", field});
}

const Expr* ArgumentExpressions::Find(std::string_view pointer) const {
  for (const Expr& node : nodes) {
    if (node.pointer == pointer) return &node;
  }
  return nullptr;
}

void ArgumentExpressions::ForEachNode(const std::function<void(const Expr&)>& visit) const {
  for (const Expr& node : nodes) pipeline::ForEachNode(node, visit);
}

void ParseStepExpressions(StepDef& step, const StepTypeRegistry& types) {
  ArgumentExpressions parsed;
  parsed.parsed = true;
  Parser parser(&parsed.issues);
  const Where root{"", "steps." + step.name + ".arguments"};
  if (!step.arguments.is_object()) parser.Find(step.arguments, root, &parsed.nodes);
  for (const auto& [key, value] : step.arguments.items()) {
    const ArgumentSpec* spec = step.arguments.is_object() ? types.FindArgument(step, key) : nullptr;
    if (spec != nullptr && spec->type == ArgType::kTemplate) continue;
    if (spec == nullptr || spec->type != ArgType::kConditions) {
      parser.Find(value, root.Key(key), &parsed.nodes);
    } else if (!value.empty()) {  // An empty list is the step type's to report: it says what it needs.
      parsed.nodes.push_back(parser.Conditions(value, root.Key(key)));
    }
  }
  step.expressions = std::move(parsed);
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

}  // namespace grove::pipeline
