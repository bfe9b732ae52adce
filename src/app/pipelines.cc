#include "app/pipelines.h"

#include <algorithm>
#include <optional>
#include <string_view>

#include "common/file_util.h"
#include "common/sha256.h"
#include "pipeline/graph.h"
#include "pipeline/item_template.h"
#include "pipeline/sagemaker_json_reader.h"
#include "pipeline/validator.h"
#include "pipeline/yaml_reader.h"

namespace grove::app {

namespace fs = std::filesystem;

namespace {

// "<dir> is a directory, not a definition file (definition files in it: a.yaml, b.yaml)".
Status DirectoryError(const fs::path& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string ext = entry.path().extension().string();
    if (entry.is_regular_file() && (ext == ".yaml" || ext == ".yml" || ext == ".json")) {
      files.push_back((dir / entry.path().filename()).string());
    }
  }
  std::sort(files.begin(), files.end());
  std::string hint = " (give a definition file, e.g. examples/abalone.yaml)";
  if (!files.empty()) {
    hint = " (definition files in it: ";
    for (size_t i = 0; i < files.size(); ++i) hint += (i == 0 ? "" : ", ") + files[i];
    hint += ")";
  }
  return Status::InvalidArgument(dir.string() + " is a directory, not a definition file" + hint);
}

// "if" of a Condition's "if_steps": a nested list's name without "_steps".
std::string BranchName(const std::string& list) {
  constexpr std::string_view kSuffix = "_steps";
  return list.ends_with(kSuffix) ? list.substr(0, list.size() - kSuffix.size()) : list;
}

// The literal template (a kTemplate argument, a ForEach's `steps`) of `step`, if it has one: its key.
std::optional<std::string> TemplateArgument(const pipeline::StepDef& step, const pipeline::StepTypeRegistry& types) {
  for (const auto& [key, value] : step.arguments.items()) {
    const pipeline::ArgumentSpec* spec = types.FindArgument(step, key);
    if (spec != nullptr && spec->type == pipeline::ArgType::kTemplate && value.is_array()) return key;
  }
  return std::nullopt;
}

// Appends `steps` (a definition's, or a template's as written) to `out`, each
// ForEach's template steps right after it. A template's own top-level steps
// have `template_parent` (the ForEach) as their parent.
template <typename Steps>
Status AddGraphSteps(const Steps& steps, const std::string& template_parent, const pipeline::StepTypeRegistry& types,
                     std::vector<GraphStep>* out) {
  for (const pipeline::StepDef& step : steps) {
    GraphStep node{step.name, step.type, pipeline::DependencyNames(step), "", ""};
    if (!step.guard_step.empty()) {
      node.parent = step.guard_step;
      node.branch = BranchName(step.guard_branch);
    } else if (!template_parent.empty()) {
      node.parent = template_parent;
      node.branch = "template";
      auto at = std::lower_bound(node.depends_on.begin(), node.depends_on.end(), template_parent);
      if (at == node.depends_on.end() || *at != template_parent) node.depends_on.insert(at, template_parent);
    }
    out->push_back(std::move(node));
    if (std::optional<std::string> key = TemplateArgument(step, types)) {
      ASSIGN_OR_RETURN(std::vector<pipeline::StepDef> written,
                       pipeline::TemplateSteps(step.arguments[*key], "steps." + step.name + ".arguments." + *key,
                                               types));
      RETURN_IF_ERROR(AddGraphSteps(written, step.name, types, out));
    }
  }
  return Status::OK();
}

}  // namespace

Result<pipeline::Definition> Pipelines::Read(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return DirectoryError(path);
  pipeline::Definition def;
  if (auto text = ReadFile(path); text.ok() && pipeline::IsSageMakerDefinition(*text)) {
    // SageMaker's definition carries no name: the file's stem names the pipeline.
    ASSIGN_OR_RETURN(def, pipeline::ReadSageMakerDefinition(*text, path.stem().string(), path.string(),
                                                            pipeline::StepTypeRegistry::BuiltIn()));
  } else {
    ASSIGN_OR_RETURN(def, pipeline::ReadDefinitionFile(path));
  }
  RETURN_IF_ERROR(pipeline::ValidateDefinition(def, pipeline::StepTypeRegistry::BuiltIn()));
  return def;
}

Result<pipeline::Definition> Pipelines::ReadText(const std::string& text, const std::string& name,
                                                const std::string& source) {
  const auto& types = pipeline::StepTypeRegistry::BuiltIn();
  pipeline::Definition def;
  if (pipeline::IsSageMakerDefinition(text)) {
    if (name.empty()) {
      return Status::InvalidArgument(source + ": a SageMaker pipeline definition carries no name; give one "
                                     "(e.g. ?name=abalone)");
    }
    ASSIGN_OR_RETURN(def, pipeline::ReadSageMakerDefinition(text, name, source, types));
  } else {
    ASSIGN_OR_RETURN(def, pipeline::ReadDefinition(text, source, types));
    if (!name.empty() && name != def.name) {
      return Status::InvalidArgument(source + ": the definition names pipeline '" + def.name + "', not '" + name +
                                     "'");
    }
  }
  RETURN_IF_ERROR(pipeline::ValidateDefinition(def, types));
  return def;
}

Result<RegisteredDefinition> Pipelines::Register(const fs::path& path) {
  ASSIGN_OR_RETURN(pipeline::Definition def, Read(path));
  return Store(std::move(def));
}

Result<RegisteredDefinition> Pipelines::Store(pipeline::Definition definition) {
  int latest = 0;
  if (auto existing = home_.metadata()->GetPipeline(definition.name); existing.ok()) {
    latest = existing->latest_version;
  } else if (existing.status().code() != StatusCode::kNotFound) {
    return existing.status();
  }
  store::DefinitionRecord record;
  record.pipeline = definition.name;
  record.body = definition.source_text;
  record.digest = Sha256::Of(definition.source_text);
  record.source_path = definition.source_path;
  ASSIGN_OR_RETURN(int version, home_.metadata()->PutDefinition(record, definition.description));
  return RegisteredDefinition{std::move(definition), version, version > latest};
}

Result<pipeline::Definition> Pipelines::Parse(const store::DefinitionRecord& stored) {
  const auto& types = pipeline::StepTypeRegistry::BuiltIn();
  if (pipeline::IsSageMakerDefinition(stored.body)) {
    return pipeline::ReadSageMakerDefinition(stored.body, stored.pipeline, stored.source_path, types);
  }
  return pipeline::ReadDefinition(stored.body, stored.source_path, types);
}

Result<std::vector<store::PipelineRecord>> Pipelines::List() { return home_.metadata()->ListPipelines(); }

Status Pipelines::Delete(const std::string& name) { return home_.metadata()->DeletePipeline(name); }

Result<PipelineDescription> Pipelines::Describe(const std::string& name, int version) {
  PipelineDescription out;
  ASSIGN_OR_RETURN(out.pipeline, home_.metadata()->GetPipeline(name));
  ASSIGN_OR_RETURN(out.definition, home_.metadata()->GetDefinition(name, version));
  return out;
}

Result<PipelineGraph> Pipelines::Graph(const std::string& name, int version) {
  ASSIGN_OR_RETURN(store::DefinitionRecord stored, home_.metadata()->GetDefinition(name, version));
  ASSIGN_OR_RETURN(pipeline::Definition def, Parse(stored));
  return GraphOf(def, stored.version);
}

Result<PipelineGraph> Pipelines::GraphOf(const pipeline::Definition& def, int version) {
  PipelineGraph graph{def.name, version, def.parameters, {}};
  RETURN_IF_ERROR(AddGraphSteps(def.steps, "", pipeline::StepTypeRegistry::BuiltIn(), &graph.steps));
  return graph;
}

Result<std::vector<store::DefinitionRecord>> Pipelines::Versions(const std::string& name) {
  ASSIGN_OR_RETURN(store::PipelineRecord pipeline, home_.metadata()->GetPipeline(name));
  std::vector<store::DefinitionRecord> out;
  for (int v = pipeline.latest_version; v >= 1; --v) {
    ASSIGN_OR_RETURN(store::DefinitionRecord def, home_.metadata()->GetDefinition(name, v));
    out.push_back(std::move(def));
  }
  return out;
}

}  // namespace grove::app
