#include "pipeline/step_inputs.h"

#include "common/clock.h"
#include "common/file_util.h"
#include "pipeline/expression.h"

namespace grove::pipeline {

namespace {

constexpr std::string_view kRefPrefix = "artifact:sha256:";

}  // namespace

std::string ArtifactRef(const std::string& digest) { return std::string(kRefPrefix) + digest; }

std::optional<std::string> ParseArtifactRef(std::string_view text) {
  if (text.size() != kRefPrefix.size() + 64 || text.substr(0, kRefPrefix.size()) != kRefPrefix) return std::nullopt;
  return std::string(text.substr(kRefPrefix.size()));
}

Result<Json> ResolveStepArguments(const Definition& def, const StepDef& step, const store::ExecutionRecord& execution,
                                  const StepOutputs& outputs, const StepTypeRegistry& types,
                                  store::ArtifactStore& artifacts) {
  ResolveContext ctx;
  ctx.parameters = &execution.parameters;
  ctx.execution = {{"ExecutionId", execution.id},
                   {"StartDateTime", FormatIso8601(execution.started_at)},
                   {"PipelineName", execution.pipeline}};
  auto digest_of = [&outputs](const std::string& step_name, const std::string& output) -> Result<std::string> {
    auto s = outputs.find(step_name);
    auto o = s == outputs.end() ? std::map<std::string, std::string>::const_iterator() : s->second.find(output);
    if (s == outputs.end() || o == s->second.end()) {
      return Status::NotFound("step '" + step_name + "' has no output '" + output + "'");
    }
    return o->second;
  };
  ctx.step_output = [&](const std::string& step_name, const std::string& output) -> Result<Json> {
    ASSIGN_OR_RETURN(std::string digest, digest_of(step_name, output));
    return Json(ArtifactRef(digest));
  };
  ctx.property_file = [&](const std::string& step_name) -> Result<Json> {
    const StepDef* target = def.FindStep(step_name);
    const StepType* type = target ? types.Find(target->type) : nullptr;
    auto name = type ? type->PropertyFile(*target) : std::nullopt;
    if (!name) return Status::NotFound("step '" + step_name + "' has no property file");
    ASSIGN_OR_RETURN(std::string digest, digest_of(step_name, *name));
    ASSIGN_OR_RETURN(std::filesystem::path path, artifacts.LocalPath(digest));
    ASSIGN_OR_RETURN(std::string text, ReadFile(path));
    Json doc = Json::parse(text, nullptr, false);
    if (doc.is_discarded()) return Status::InvalidArgument("property file of step '" + step_name + "' is not JSON");
    return doc;
  };
  const std::string field = "steps." + step.name + ".arguments";
  if (!step.expressions.parsed && !step.arguments.empty()) {
    return Status::Internal(field + ": not parsed; call ParseStepExpressions after building a step");
  }
  if (!step.expressions.issues.empty()) {
    const ExpressionIssue& issue = step.expressions.issues.front();
    return Status::InvalidArgument(issue.field + ": " + issue.message);
  }
  ASSIGN_OR_RETURN(Json resolved, ResolveWritten(step.arguments, step.expressions.nodes, ctx));
  if (!resolved.is_object()) return resolved;
  // Values from parameters and property files follow the same quoted-scalar rule as literals.
  for (auto& [name, value] : resolved.items()) {
    const ArgumentSpec* spec = types.FindArgument(step, name);
    if (spec == nullptr) continue;
    Status s = CoerceArgument(*spec, value);
    if (!s.ok()) return s.WithContext(field + "." + name);
  }
  return resolved;
}

}  // namespace grove::pipeline
