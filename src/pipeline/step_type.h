#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"
#include "pipeline/argument_schema.h"
#include "pipeline/definition.h"
#include "pipeline/step_result.h"

namespace grove::registry {
class Registry;
}
namespace grove::store {
class ArtifactStore;
class MetadataStore;
class StoreTransaction;
}

namespace grove::pipeline {

// What a running step sees: resolved arguments, where to write, how to log,
// whether to stop. It may run in the process that owns the execution or in
// another one (`grove step-run`), so it holds no live services but the store
// for Tuning's trial records.
struct StepContext {
  const StepDef* step = nullptr;
  Json arguments;  // Resolved: expressions replaced by values; inputs materialised as local paths.
  // Content digests of the input arguments (StepType::InputArguments), shaped like them.
  Json input_digests = Json::object();
  std::string execution_id;
  std::string pipeline;
  // The step run's cache key (empty when the step type is not cacheable): the
  // same key means the same step type, arguments and input contents.
  std::string cache_key;
  // Each output named by StepType::Outputs is written at output_dir/<name>
  // (a file or a directory); the executor stores it as an artifact afterwards.
  std::filesystem::path output_dir;
  std::function<void(const std::string&)> log;  // Appends a line to the step's log.
  const std::atomic<bool>* stop = nullptr;       // Set when the step is asked to stop.
  // Threads the step may use (cores x slots held / steps allowed at once, at
  // least 1; see StepType::WantedSlots): oversubscribed OpenMP threads spin
  // and slow everything down.
  int threads = 1;
  // Tuning records its trials as they finish, so a search resumed after a
  // crash reuses them. Null where no store is at hand (some tests).
  store::MetadataStore* store = nullptr;
  // SageMaker jobs read and write S3 objects, whose bytes are artifacts
  // (s3_folders.h). Null where no store is at hand.
  store::ArtifactStore* artifacts = nullptr;

  // Filled by the step.
  Json metadata = Json::object();  // Recorded on the step run, e.g. the chosen branch.
  StepResult result;               // Outputs (default), a branch, an execution failure or an expansion.
  // What the owner must record for the step (StepType::Commit), e.g. the model
  // version to register. JSON, so it crosses process boundaries.
  Json effects;

  bool stopping() const { return stop != nullptr && stop->load(); }
  std::filesystem::path OutputPath(const std::string& name) const { return output_dir / name; }
};

// What StepType::Commit sees: the step's arguments and effects, and the
// registry and store of the process that owns the execution. Commit writes
// through `txn`, the transaction that also records the step run Succeeded,
// so a crash leaves both or neither.
struct CommitContext {
  const StepDef* step = nullptr;
  std::string execution_id;
  std::string pipeline;
  Json arguments;      // Resolved, as the step saw them.
  Json input_digests;  // As in StepContext.
  Json effects;        // StepContext::effects.
  registry::Registry* registry = nullptr;
  store::MetadataStore* store = nullptr;
  store::StoreTransaction* txn = nullptr;
  std::function<void(const std::string&)> log;

  Json metadata = Json::object();  // Merged into the step run's metadata.
};

// A kind of step, registered by name. Adding a step type touches its own file
// and the registration in step_types.cc.
class StepType {
 public:
  virtual ~StepType() = default;
  virtual std::string_view Name() const = 0;
  // Bump when the step's results change for the same inputs, so old cache entries miss.
  virtual int Version() const = 0;
  // Whether `step`'s results may be reused from the cache. Steps with side
  // effects (Commit) are never cached, as SageMaker never caches them; nor
  // are steps whose result depends on more than their arguments and inputs
  // (e.g. a Transform of a group's newest approved version).
  virtual bool Cacheable(const StepDef& step) const { return true; }
  // The outputs the step produces, given its (unresolved) arguments.
  virtual std::vector<std::string> Outputs(const StepDef& step) const = 0;
  // The output that is the step's property file (the target of JsonGet), if any.
  virtual std::optional<std::string> PropertyFile(const StepDef& step) const { return std::nullopt; }
  // How many executor slots (about one core each) the step could use, given
  // its resolved arguments. The executor gives it one, plus as many more as
  // are free when it starts, up to this; StepContext::threads follows.
  virtual int WantedSlots(const Json& arguments) const { return 1; }
  // The types of the step's top-level arguments that have one. The reader
  // coerces literals to them (CoerceArgument's quoted-scalar rule), the
  // validator checks that expressions feeding them have a fitting type
  // before anything runs, and resolved values are coerced again before Run.
  // Arguments not listed are the step's own Validate's business.
  virtual std::vector<ArgumentSpec> ArgumentSchema() const { return {}; }
  // Top-level argument names whose resolved values are input file or directory
  // paths; their content digests enter the cache key and lineage.
  virtual std::vector<std::string> InputArguments(const StepDef& step) const { return {}; }
  // Checks the step's literal arguments (required keys, types, known names).
  // Expressions are checked by the validator; leave them alone here.
  // Errors come from def.ErrorAt("steps.<name>.arguments.<key>", ...).
  virtual Status Validate(const StepDef& step, const Definition& def) const = 0;
  // Argument names whose values are lists of nested step definitions (a
  // Condition's if_steps/else_steps). The reader lifts them into the
  // definition as steps guarded by this step and that argument; the step's
  // StepResult::Branch names the list that runs.
  virtual std::vector<std::string> NestedStepLists() const { return {}; }
  // Does the work. A non-OK status fails the attempt (the executor may retry);
  // so does an exception, with its message.
  virtual Status Run(StepContext& ctx) const = 0;
  // Records the step's side effects (StepContext::effects) in the owner's
  // process after a successful Run, before the step run is recorded
  // Succeeded. A non-OK status fails the step. Default: nothing to record.
  virtual Status Commit(CommitContext& ctx) const { return Status::OK(); }
};

// Step types by name.
class StepTypeRegistry {
 public:
  void Register(std::unique_ptr<StepType> type);
  const StepType* Find(std::string_view name) const;
  // The spec of `step`'s argument `name` in its type's schema, if any.
  const ArgumentSpec* FindArgument(const StepDef& step, const std::string& name) const;
  std::vector<std::string> Names() const;

  // The built-in step types.
  static const StepTypeRegistry& BuiltIn();

 private:
  std::map<std::string, std::unique_ptr<StepType>, std::less<>> types_;
  std::map<std::string, std::vector<ArgumentSpec>> schemas_;  // Type name -> ArgumentSchema().
};

}  // namespace grove::pipeline
