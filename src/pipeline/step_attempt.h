#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/json.h"
#include "common/status.h"
#include "pipeline/step_type.h"
#include "store/artifact_store.h"
#include "store/metadata_store.h"

namespace grove::pipeline {

// One attempt of one step run: what the executor hands a StepLauncher.
struct StepTask {
  uint64_t id = 0;  // Unique within one executor.
  std::string execution_id;
  std::string pipeline;
  int version = 0;                // The pipeline's definition version.
  const StepDef* step = nullptr;  // Outlives the task.
  const StepType* type = nullptr;
  // Resolved; step outputs appear as artifact references (see step_inputs.h),
  // which the attempt materialises as local paths where it runs.
  Json arguments;
  int attempt = 1;
  int slots = 1;    // Executor slots held while it runs.
  int threads = 1;  // StepContext::threads.
  bool use_cache = false;  // Look for a cache hit first.
  std::shared_ptr<const std::atomic<bool>> stop;  // Set when the execution is asked to stop.
};

// How an attempt ended. Plain data that crosses process boundaries as JSON
// (`grove step-run` prints it); the executor records it.
struct AttemptResult {
  uint64_t task_id = 0;
  std::string status = "Failed";  // Succeeded | Failed | Stopped.
  std::string failure_reason;
  StepResult result;
  std::string cache_key;         // Empty for steps that are not cacheable.
  std::string cache_hit_source;  // The execution whose outputs were reused.
  Json outputs = Json::object();  // Output name -> artifact digest.
  Json metadata = Json::object();
  Json effects;                   // For StepType::Commit.
  Json input_digests = Json::object();
  Json arguments;                 // As the step saw them (inputs materialised).
  std::string log_digest;
  std::vector<store::ArtifactRecord> artifacts;  // Inputs, outputs and log, to record.
  std::vector<store::ArtifactLink> links;        // Lineage of the step run.

  Json ToJson() const;
  static Result<AttemptResult> FromJson(const Json& json);
};

// What an attempt uses. Not owned.
struct AttemptServices {
  store::MetadataStore* metadata = nullptr;  // Cache lookups and Tuning's trials; never written otherwise.
  store::ArtifactStore* artifacts = nullptr;
  const Clock* clock = nullptr;
  std::filesystem::path work_dir;  // <work_dir>/<execution>/<step>/ holds the live log and outputs.
};

// The live log of a step run: every attempt and the executor append to it.
std::filesystem::path StepLogPath(const std::filesystem::path& work_dir, const std::string& execution_id,
                                  const std::string& step);
// Appends one line to a step's live log (creating its folder), for what the
// executor and launchers say about an attempt.
void AppendLogLine(const std::filesystem::path& path, const std::string& line);

// Runs the task to its end: materialises inputs, looks up the cache, runs the
// step, stores its outputs and log as artifacts. Never throws: an exception
// from the step becomes a failed attempt carrying its message.
AttemptResult RunAttempt(const AttemptServices& services, const StepTask& task);

}  // namespace grove::pipeline
