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
#include "pipeline/definition.h"

namespace grove::registry {
class Registry;
}
namespace grove::store {
class MetadataStore;
}

namespace grove::pipeline {

// What a running step sees: resolved arguments, where to write, how to log,
// whether to stop, and the services it may use.
struct StepContext {
  const StepDef* step = nullptr;
  Json arguments;  // Resolved: expressions replaced by values; step outputs by local paths.
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
  registry::Registry* registry = nullptr;
  // For steps that keep records of their own while they run (Tuning's trials).
  store::MetadataStore* store = nullptr;

  // Filled by the step.
  Json metadata = Json::object();  // Recorded on the step run, e.g. the created model version.
  // Condition steps: the branch taken. Fail steps: set `failure_message`.
  std::optional<bool> condition_outcome;
  std::string failure_message;

  bool stopping() const { return stop != nullptr && stop->load(); }
  std::filesystem::path OutputPath(const std::string& name) const { return output_dir / name; }
};

// A kind of step, registered by name. Adding a step type touches its own file
// and the registration in step_types.cc.
class StepType {
 public:
  virtual ~StepType() = default;
  virtual std::string_view Name() const = 0;
  // Bump when the step's results change for the same inputs, so old cache entries miss.
  virtual int Version() const = 0;
  // Whether results may be reused from the cache.
  virtual bool Cacheable() const { return true; }
  // The outputs the step produces, given its (unresolved) arguments.
  virtual std::vector<std::string> Outputs(const StepDef& step) const = 0;
  // The output that is the step's property file (the target of JsonGet), if any.
  virtual std::optional<std::string> PropertyFile(const StepDef& step) const { return std::nullopt; }
  // How many executor slots (about one core each) the step could use, given
  // its resolved arguments. The executor gives it one, plus as many more as
  // are free when it starts, up to this; StepContext::threads follows.
  virtual int WantedSlots(const Json& arguments) const { return 1; }
  // Top-level argument names whose resolved values are input file or directory
  // paths; their content digests enter the cache key and lineage.
  virtual std::vector<std::string> InputArguments(const StepDef& step) const { return {}; }
  // Checks the step's literal arguments (required keys, types, known names).
  // Expressions are checked by the validator; leave them alone here.
  // Errors come from def.ErrorAt("steps.<name>.arguments.<key>", ...).
  virtual Status Validate(const StepDef& step, const Definition& def) const = 0;
  // Does the work. A non-OK status fails the attempt (the executor may retry).
  virtual Status Run(StepContext& ctx) const = 0;
};

// Step types by name.
class StepTypeRegistry {
 public:
  void Register(std::unique_ptr<StepType> type);
  const StepType* Find(std::string_view name) const;
  std::vector<std::string> Names() const;

  // The built-in step types.
  static const StepTypeRegistry& BuiltIn();

 private:
  std::map<std::string, std::unique_ptr<StepType>, std::less<>> types_;
};

}  // namespace grove::pipeline
