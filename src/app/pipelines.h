#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "app/home.h"
#include "common/status.h"
#include "pipeline/definition.h"
#include "store/records.h"

namespace grove::app {

// A definition read, validated and stored as a version of its pipeline.
struct RegisteredDefinition {
  pipeline::Definition definition;
  int version = 0;
  bool new_version = false;  // False when the latest version already had this text.
};

// A pipeline and one of its definition versions.
struct PipelineDescription {
  store::PipelineRecord pipeline;
  store::DefinitionRecord definition;
};

// One step of a pipeline's graph (Pipelines::Graph).
struct GraphStep {
  std::string name;
  std::string type;
  // Every step it waits for: its depends_on, the steps its arguments
  // reference, and its parent; sorted, unique.
  std::vector<std::string> depends_on;
  // The Condition or ForEach it is nested in; empty for a top-level step.
  std::string parent;
  // "if" or "else" (a Condition's lists), "template" (a ForEach's steps); empty when no parent.
  std::string branch;
};

// What a console draws of a definition version: its parameters and every
// step, nested ones included (a Condition's branches after it, a ForEach's
// template steps, as written, after it), in definition order.
struct PipelineGraph {
  std::string pipeline;
  int version = 0;
  std::vector<pipeline::ParameterDef> parameters;
  std::vector<GraphStep> steps;
};

// Use cases of pipelines: register a definition version, list, describe.
// Errors are the store's and the reader's: InvalidArgument with file:line:col
// for a bad definition, NotFound for an unknown pipeline or version.
class Pipelines {
 public:
  explicit Pipelines(Home& home) : home_(home) {}

  // Reads and validates the definition file at `path`. InvalidArgument when it
  // is a directory (naming its definition files), NotFound when it is missing.
  static Result<pipeline::Definition> Read(const std::filesystem::path& path);

  // Reads and validates a definition sent as text (YAML or JSON; Grove's form,
  // or SageMaker's pipeline-definition JSON, which carries no name: `name`
  // names it, and when not empty must match a Grove definition's own).
  // `source` names the text in messages and is kept as its source path.
  static Result<pipeline::Definition> ReadText(const std::string& text, const std::string& name,
                                               const std::string& source);

  // Read, then Store.
  Result<RegisteredDefinition> Register(const std::filesystem::path& path);
  // Stores a validated definition as a new version of its pipeline unless the
  // latest version has the same text; returns the version that holds it.
  Result<RegisteredDefinition> Store(pipeline::Definition definition);

  // The stored definition version read back (it validated when stored).
  static Result<pipeline::Definition> Parse(const store::DefinitionRecord& stored);

  Result<std::vector<store::PipelineRecord>> List();
  // `version` 0: the latest.
  Result<PipelineDescription> Describe(const std::string& name, int version);
  // The graph of version `version` (0: the latest) of pipeline `name`, from
  // its stored definition (Grove's YAML or SageMaker's JSON).
  Result<PipelineGraph> Graph(const std::string& name, int version);
  // The graph of a definition read as version `version`.
  static Result<PipelineGraph> GraphOf(const pipeline::Definition& def, int version);
  // Every definition version of pipeline `name`, newest first.
  Result<std::vector<store::DefinitionRecord>> Versions(const std::string& name);
  // Deletes the pipeline; its definitions and executions stay (and storing a
  // definition under its name again continues its version numbers).
  // FailedPrecondition while one of its executions is Executing or Stopping.
  Status Delete(const std::string& name);

 private:
  Home& home_;
};

}  // namespace grove::app
