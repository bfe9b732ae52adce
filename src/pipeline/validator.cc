#include "pipeline/validator.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>
#include <tuple>

#include "common/edit_distance.h"
#include "pipeline/expression_tree.h"
#include "pipeline/item_template.h"
#include "pipeline/graph.h"
#include "pipeline/parameters.h"

namespace grove::pipeline {
namespace {

constexpr size_t kMaxReportedErrors = 20;

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string ValueText(const Json& v) { return v.is_string() ? "'" + v.get<std::string>() + "'" : v.dump(); }

}  // namespace

TypedExpression ExpressionType(const Expr& expression, const Definition& def) {
  const std::string what = Label(expression);
  switch (expression.kind) {
    case Expr::Kind::kParameter: {
      const ParameterDef* p = def.FindParameter(expression.name);
      if (p == nullptr) return {ArgType::kAny, what, ""};
      const std::string hint = "declare parameter " + p->name + " with the type the argument takes";
      switch (p->type) {
        case ParamType::kString:
          return {ArgType::kString, "parameter " + p->name, hint};
        case ParamType::kInteger:
          return {ArgType::kInteger, "parameter " + p->name, hint};
        case ParamType::kFloat:
          return {ArgType::kNumber, "parameter " + p->name, hint};
        case ParamType::kBoolean:
          return {ArgType::kBoolean, "parameter " + p->name, hint};
      }
      return {ArgType::kAny, what, ""};
    }
    case Expr::Kind::kExecutionVariable:
    case Expr::Kind::kJoin:
      return {ArgType::kString, what, ""};
    case Expr::Kind::kStepOutput:
      return {ArgType::kPath, what, ""};
    default:
      return {ArgType::kAny, expression.kind == Expr::Kind::kJsonGet ? "JsonGet" : what, ""};
  }
}

namespace {

class Validator {
 public:
  Validator(const Definition& def, const StepTypeRegistry& types) : def_(def), types_(types), graph_(def) {
    for (const StepDef& s : def.steps) step_names_.push_back(s.name);
    for (const ParameterDef& p : def.parameters) parameter_names_.push_back(p.name);
  }
  Status Run();

 private:
  struct Error {
    SourceLocation where;
    size_t order;
    std::string message;
  };
  void Add(const std::string& field, const std::string& message) {
    AddStatus(field, def_.ErrorAt(field, message));
  }
  void AddStatus(const std::string& field, const Status& status) {
    errors_.push_back({LocationOf(field), errors_.size(), status.message()});
  }
  // A step type's error, from def.ErrorAt: sorted by the location its message starts with.
  void AddStatus(const Status& status) {
    errors_.push_back({LocationInMessage(status.message()), errors_.size(), status.message()});
  }
  SourceLocation LocationInMessage(const std::string& message) const;
  SourceLocation LocationOf(std::string field) const;
  void CheckParameter(const ParameterDef& p);
  void CheckStep(const StepDef& step);
  void CheckReference(const Expr& ref);
  void CheckBranches(const StepDef& step);
  void CheckArgumentTypes(const StepDef& step);
  void CheckBranchDependencies(size_t i);
  std::string UnknownStep(const std::string& name) const {
    return "unknown step '" + name + "' (steps: " + JoinNames(step_names_) + ")" +
           DidYouMean(name, step_names_);
  }

  const Definition& def_;
  const StepTypeRegistry& types_;
  StepGraph graph_;
  std::vector<std::string> step_names_;
  std::vector<std::string> parameter_names_;
  std::vector<Error> errors_;
};

// The location of `field` or of its nearest recorded parent (as Definition::ErrorAt).
SourceLocation Validator::LocationOf(std::string field) const {
  while (true) {
    auto it = def_.locations.find(field);
    if (it != def_.locations.end()) return it->second;
    size_t cut = field.find_last_of(".[");
    if (cut == std::string::npos || cut == 0) return {};
    field.resize(cut);
  }
}

// Parses "<file>:<line>:<column>: ..." as written by Definition::ErrorAt.
SourceLocation Validator::LocationInMessage(const std::string& message) const {
  const std::string file = def_.source_path.empty() ? "<definition>" : def_.source_path;
  SourceLocation loc;
  if (message.rfind(file + ":", 0) != 0) return loc;
  if (std::sscanf(message.c_str() + file.size(), ":%d:%d:", &loc.line, &loc.column) != 2) return {};
  return loc;
}

void Validator::CheckParameter(const ParameterDef& p) {
  const std::string field = "parameters." + p.name;
  const std::string type = ParamTypeName(p.type);
  const std::string a_type = (p.type == ParamType::kInteger ? "an " : "a ") + type;
  if (!IsValidName(p.name)) {
    Add(field, "'" + p.name + "' is not a valid parameter name ([A-Za-z0-9][A-Za-z0-9_-]*)");
  }
  if (std::count(parameter_names_.begin(), parameter_names_.end(), p.name) > 1) {
    Add(field, "parameter '" + p.name + "' is declared more than once");
  }
  bool enum_ok = true;
  for (size_t i = 0; i < p.enum_values.size(); ++i) {
    if (!IsOfType(p.type, p.enum_values[i])) {
      enum_ok = false;
      Add(field + ".enum[" + std::to_string(i) + "]",
          "enum value " + ValueText(p.enum_values[i]) + " is not " + a_type + " (the parameter's type)");
    }
  }
  if (!p.default_value) return;
  if (!IsOfType(p.type, *p.default_value)) {
    Add(field + ".default", "default " + ValueText(*p.default_value) + " is not " + a_type +
                                " (the parameter's type); write " + a_type + " value or change the type");
  } else if (enum_ok && !p.enum_values.empty() &&
             std::find(p.enum_values.begin(), p.enum_values.end(), *p.default_value) == p.enum_values.end()) {
    std::vector<std::string> allowed;
    for (const Json& v : p.enum_values) allowed.push_back(v.is_string() ? v.get<std::string>() : v.dump());
    Add(field + ".default", "default " + ValueText(*p.default_value) + " is not one of the enum values (" +
                                JoinNames(allowed) + ")");
  }
}

void Validator::CheckReference(const Expr& ref) {
  switch (ref.kind) {
    case Expr::Kind::kParameter:
      if (def_.FindParameter(ref.name) == nullptr) {
        Add(ref.field, "unknown parameter '" + ref.name + "' (" +
                           (parameter_names_.empty() ? std::string("the pipeline declares none")
                                                     : "parameters: " + JoinNames(parameter_names_)) +
                           ")" + DidYouMean(ref.name, parameter_names_));
      }
      return;
    case Expr::Kind::kExecutionVariable:
      if (std::find(std::begin(kExecutionVariables), std::end(kExecutionVariables), ref.name) ==
          std::end(kExecutionVariables)) {
        Add(ref.field, "unknown execution variable '" + ref.name +
                           "' (expected ExecutionId, StartDateTime or PipelineName)");
      }
      return;
    default: break;  // A step output or a property file.
  }
  const StepDef* target = def_.FindStep(ref.name);
  if (target == nullptr) return Add(ref.field, UnknownStep(ref.name));
  const StepType* type = types_.Find(target->type);
  if (type == nullptr) return;  // Reported at the target.
  const std::string what = "step " + target->name + " (" + target->type + ")";
  if (ref.kind == Expr::Kind::kJsonGet) {
    if (!type->PropertyFile(*target)) {
      Add(ref.field, what +
                         " writes no property file, so JsonGet cannot read from it; "
                         "use a step that writes one, such as Evaluation");
    }
    return;
  }
  std::vector<std::string> outputs = type->Outputs(*target);
  if (std::find(outputs.begin(), outputs.end(), ref.output) == outputs.end()) {
    Add(ref.field,
        what + " has no output '" + ref.output + "' (" +
            (outputs.empty() ? std::string("it has no outputs") : "outputs: " + JoinNames(outputs)) + ")" +
            DidYouMean(ref.output, outputs));
  }
}

// Every step named in a nested step list is guarded by this step and that list.
void Validator::CheckBranches(const StepDef& step) {
  for (const auto& [list, names] : step.branches) {
    for (const std::string& name : names) {
      const StepDef* s = def_.FindStep(name);
      if (s == nullptr || s->guard_step != step.name || s->guard_branch != list) {
        Add("steps." + step.name + ".arguments." + list,
            "nested step '" + name + "' is not a step guarded by this step's " + list);
      }
    }
  }
}

void Validator::CheckStep(const StepDef& step) {
  const std::string field = "steps." + step.name;
  if (!IsValidName(step.name) && !IsItemStepName(step.name)) {
    Add(field, "'" + step.name + "' is not a valid step name ([A-Za-z0-9][A-Za-z0-9_-]*)");
  }
  if (std::count(step_names_.begin(), step_names_.end(), step.name) > 1 &&
      def_.FindStep(step.name) != &step) {
    Add(field, "duplicate step name '" + step.name + "'");
  }
  const StepType* type = types_.Find(step.type);
  if (type == nullptr) {
    std::vector<std::string> known = types_.Names();
    Add(field + ".type", "unknown step type '" + step.type + "' (expected one of: " + JoinNames(known) + ")" +
                             DidYouMean(step.type, known));
  }
  for (size_t d = 0; d < step.depends_on.size(); ++d) {
    if (def_.FindStep(step.depends_on[d]) == nullptr) {
      Add(field + ".depends_on[" + std::to_string(d) + "]", UnknownStep(step.depends_on[d]));
    }
  }
  if (!step.guard_step.empty()) {
    const StepDef* guard = def_.FindStep(step.guard_step);
    const StepType* guard_type = guard ? types_.Find(guard->type) : nullptr;
    std::vector<std::string> lists = guard_type ? guard_type->NestedStepLists() : std::vector<std::string>();
    if (std::find(lists.begin(), lists.end(), step.guard_branch) == lists.end()) {
      Add(field, "guard '" + step.guard_step + "' is not a step of this pipeline with a nested step list '" +
                     step.guard_branch + "'");
    }
  }
  if (!step.expressions.parsed && !step.arguments.empty()) {
    Add(field + ".arguments", "not parsed; call ParseStepExpressions after building a step");
  }
  for (const ExpressionIssue& issue : step.expressions.issues) Add(issue.field, issue.message);
  step.expressions.ForEachNode([this](const Expr& node) {
    if (IsReference(node.kind)) CheckReference(node);
  });
  CheckBranches(step);
  if (step.expressions.issues.empty()) CheckArgumentTypes(step);
}

// An expression feeding a typed argument must be of a fitting type: a String
// parameter cannot feed a Number, a Float parameter cannot feed an Integer.
// REQUIRES: the step's expressions have no issues.
void Validator::CheckArgumentTypes(const StepDef& step) {
  if (!step.arguments.is_object()) return;
  const std::string prefix = "steps." + step.name + ".arguments.";
  for (const Expr& node : step.expressions.nodes) {
    // Only a whole argument has a type: its pointer is "/<name>" and its field prefix + name.
    if (IsCondition(node.kind) || node.pointer.find('/', 1) != std::string::npos) continue;
    const std::string name = node.field.substr(prefix.size());
    const ArgumentSpec* spec = types_.FindArgument(step, name);
    if (spec == nullptr) continue;
    TypedExpression given = ExpressionType(node, def_);
    if (Assignable(given.type, spec->type)) continue;
    Add(node.field,
        given.what + " is " + (given.type == ArgType::kInteger ? "an " : "a ") + ArgTypeName(given.type) +
            ", but the argument takes " + (spec->type == ArgType::kInteger ? "an " : "a ") +
            ArgTypeName(spec->type) + (given.hint.empty() ? "" : "; " + given.hint));
  }
}

// A step inside a branch may not run, so only steps in the same branch (at
// any depth) may depend on it.
void Validator::CheckBranchDependencies(size_t i) {
  std::set<std::pair<std::string, std::string>> enclosing;  // (guard, list) around step i.
  const StepDef* at = &def_.steps[i];
  for (size_t hops = 0; at != nullptr && !at->guard_step.empty() && hops < def_.steps.size(); ++hops) {
    enclosing.insert({at->guard_step, at->guard_branch});
    at = def_.FindStep(at->guard_step);
  }
  for (size_t d : graph_.Dependencies(i)) {
    const StepDef& dep = def_.steps[d];
    if (dep.guard_step.empty() || enclosing.count({dep.guard_step, dep.guard_branch})) continue;
    Add(graph_.EdgeField(i, d),
        "step " + def_.steps[i].name + " depends on " + dep.name + ", which runs only in the " +
            dep.guard_branch + " branch of " + dep.guard_step +
            "; move " + def_.steps[i].name + " into that branch or depend on " + dep.guard_step + " instead");
  }
}

Status Validator::Run() {
  for (const ParameterDef& p : def_.parameters) CheckParameter(p);
  for (const StepDef& step : def_.steps) CheckStep(step);
  for (size_t i = 0; i < def_.steps.size(); ++i) CheckBranchDependencies(i);
  std::vector<size_t> cycle = graph_.FindCycle();
  if (!cycle.empty()) {
    Add(graph_.EdgeField(cycle[0], cycle[1]),
        "dependency cycle: " + graph_.FormatCycle(cycle) + " (each step depends on the next)");
  }
  for (const StepDef& step : def_.steps) {
    if (const StepType* type = types_.Find(step.type)) {
      Status st = type->Validate(step, def_);
      if (!st.ok()) AddStatus(st);
    }
  }
  if (errors_.empty()) return Status::OK();
  std::stable_sort(errors_.begin(), errors_.end(), [](const Error& a, const Error& b) {
    auto key = [](const Error& e) {
      return std::make_tuple(e.where.line == 0, e.where.line, e.where.column, e.order);
    };
    return key(a) < key(b);
  });
  std::string message;
  std::set<std::string> seen;
  size_t shown = 0;
  for (const Error& e : errors_) {
    if (!seen.insert(e.message).second) continue;
    if (shown++ < kMaxReportedErrors) message += (message.empty() ? "" : "\n") + e.message;
  }
  if (shown > kMaxReportedErrors) {
    message += "\n... and " + std::to_string(shown - kMaxReportedErrors) + " more errors";
  }
  return Status::InvalidArgument(message);
}

}  // namespace

bool IsValidName(std::string_view name) {
  if (name.empty() || !std::isalnum(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

Status ValidateDefinition(const Definition& def, const StepTypeRegistry& types) {
  return Validator(def, types).Run();
}

}  // namespace grove::pipeline
