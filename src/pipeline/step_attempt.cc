#include "pipeline/step_attempt.h"

#include <exception>
#include <fstream>
#include <mutex>

#include "common/file_util.h"
#include "common/sha256.h"
#include "pipeline/cache_key.h"
#include "pipeline/step_inputs.h"
#include "store/metadata_store.h"
#include "store/object_records.h"

namespace grove::pipeline {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSucceeded = "Succeeded";

// Appends the step's log lines to its live file, which `grove execution
// logs` reads while the step runs.
class LiveLog {
 public:
  explicit LiveLog(const fs::path& path) : out_(path, std::ios::app) {}
  void Append(const std::string& line) {
    std::lock_guard<std::mutex> lock(mu_);
    if (out_) out_ << line << '\n' << std::flush;
  }

 private:
  std::mutex mu_;
  std::ofstream out_;
};

// Turns input arguments into digests (recording them as artifacts and
// lineage) and every artifact reference in the arguments into a local path.
class Inputs {
 public:
  Inputs(const AttemptServices& services, const StepTask& task, AttemptResult* result)
      : services_(services), task_(task), result_(result) {}

  // Replaces every S3 URI (s3://bucket/key, e.g. uploaded with `aws s3 cp`)
  // among the input arguments with a reference to the artifact it names.
  Status ResolveObjectUris(Json& arguments) {
    for (const std::string& arg : task_.type->InputArguments(*task_.step)) {
      if (arguments.contains(arg)) RETURN_IF_ERROR(ResolveObjectUri(arguments[arg], arg));
    }
    return Status::OK();
  }

  // Fills result->input_digests from the step type's InputArguments.
  Status Ingest(const Json& arguments) {
    for (const std::string& arg : task_.type->InputArguments(*task_.step)) {
      if (!arguments.contains(arg) || arguments[arg].is_null()) continue;
      ASSIGN_OR_RETURN(result_->input_digests[arg], IngestValue(arguments[arg], arg));
    }
    return Status::OK();
  }

  // `value` with every artifact reference replaced by a local path.
  Result<Json> Materialise(const Json& value) {
    if (value.is_array() || value.is_object()) {
      Json out = value;
      for (auto it = out.begin(); it != out.end(); ++it) {
        ASSIGN_OR_RETURN(it.value(), Materialise(it.value()));
      }
      return out;
    }
    if (!value.is_string()) return value;
    auto digest = ParseArtifactRef(value.get_ref<const std::string&>());
    if (!digest) return value;
    ASSIGN_OR_RETURN(fs::path path, services_.artifacts->LocalPath(*digest));
    return Json(path.string());
  }

 private:
  Status ResolveObjectUri(Json& value, const std::string& arg) {
    if (value.is_array() || value.is_object()) {
      for (auto it = value.begin(); it != value.end(); ++it) RETURN_IF_ERROR(ResolveObjectUri(it.value(), arg));
      return Status::OK();
    }
    if (!value.is_string() || value.get_ref<const std::string&>().rfind("s3://", 0) != 0) return Status::OK();
    auto digest = store::ReadValue(*services_.metadata, [&](store::StoreReader& rows) {
      return store::ResolveS3Uri(rows, value.get_ref<const std::string&>());
    });
    if (!digest.ok()) return digest.status().WithContext("input '" + arg + "'");
    value = ArtifactRef(*digest);
    return Status::OK();
  }

  Result<Json> IngestValue(const Json& value, const std::string& arg) {
    if (value.is_array() || value.is_object()) {
      Json out = value.is_array() ? Json::array() : Json::object();
      for (auto it = value.begin(); it != value.end(); ++it) {
        ASSIGN_OR_RETURN(Json d, IngestValue(it.value(), arg));
        if (value.is_array()) out.push_back(d);
        else out[it.key()] = d;
      }
      return out;
    }
    if (!value.is_string()) return Status::InvalidArgument("input '" + arg + "': expected a path, got " + value.dump());
    const std::string& text = value.get_ref<const std::string&>();
    store::ArtifactRecord record;
    if (auto ref = ParseArtifactRef(text)) {
      // An output of an earlier step: already stored, no need to hash it again.
      auto known = services_.metadata->GetArtifact(*ref);
      if (known.ok()) {
        record = *known;
      } else {
        // Stored but not yet recorded (a ForEach item's data): record it with the step run.
        ASSIGN_OR_RETURN(fs::path path, services_.artifacts->LocalPath(*ref));
        ASSIGN_OR_RETURN(record, services_.artifacts->Put(path));
        result_->artifacts.push_back(record);
      }
    } else {
      auto digest = Sha256Path(text);
      if (!digest.ok()) return digest.status().WithContext("input '" + arg + "'");
      if (services_.artifacts->Contains(*digest)) {
        auto existing = services_.metadata->GetArtifact(*digest);
        if (existing.ok()) record = *existing;
      }
      if (record.digest.empty()) {
        ASSIGN_OR_RETURN(record, services_.artifacts->Put(text));
      }
      result_->artifacts.push_back(record);
    }
    result_->links.push_back({task_.execution_id, task_.step->name, "input", arg, record.digest});
    return Json(record.digest);
  }

  const AttemptServices& services_;
  const StepTask& task_;
  AttemptResult* result_;
};

// Reuses the outputs of the newest matching step run, if its artifacts are all still there.
bool TryCache(const AttemptServices& services, const StepTask& task, AttemptResult* result) {
  TimeMs now = services.clock->Now();
  TimeMs not_before = task.step->cache.expire_after > 0 ? now - task.step->cache.expire_after : 0;
  auto hit = services.metadata->FindCacheHit(result->cache_key, not_before);
  if (!hit.ok() || !hit->has_value()) return false;
  const store::StepRunRecord& source = **hit;
  for (const auto& [name, digest] : source.outputs.items()) {
    if (!services.artifacts->Contains(digest.get<std::string>())) return false;  // Lost: run it again.
  }
  for (const auto& [name, digest] : source.outputs.items()) {
    result->links.push_back({task.execution_id, task.step->name, "output", name, digest.get<std::string>()});
  }
  result->status = kSucceeded;
  result->cache_hit_source = source.cache_hit_source.empty() ? source.execution_id : source.cache_hit_source;
  result->outputs = source.outputs;
  result->metadata = source.metadata;
  result->log_digest = source.log_digest;
  auto replayed = StepResult::FromMetadata(source.metadata);
  if (!replayed.ok()) return false;  // Unreadable: run the step again.
  result->result = std::move(*replayed);
  return true;
}

// Runs the step body with a catch-all: a step that throws fails its attempt.
Status RunBody(const StepType& type, StepContext& ctx) {
  try {
    return type.Run(ctx);
  } catch (const std::exception& e) {
    return Status::Internal(std::string("the step threw an exception: ") + e.what());
  } catch (...) {
    return Status::Internal("the step threw an unknown exception");
  }
}

// Runs the step and stores its outputs.
Status Execute(const AttemptServices& services, const StepTask& task, const Json& arguments, LiveLog& log,
               AttemptResult* result) {
  fs::path out_dir = services.work_dir / task.execution_id / task.step->name / ("attempt-" + std::to_string(task.attempt));
  std::error_code ec;
  fs::remove_all(out_dir, ec);
  RETURN_IF_ERROR(MakeDirs(out_dir));

  StepContext ctx;
  ctx.step = task.step;
  ctx.arguments = arguments;
  ctx.input_digests = result->input_digests;
  ctx.execution_id = task.execution_id;
  ctx.pipeline = task.pipeline;
  ctx.cache_key = result->cache_key;
  ctx.output_dir = out_dir;
  ctx.log = [&log](const std::string& line) { log.Append(line); };
  ctx.stop = task.stop.get();
  ctx.threads = task.threads;
  ctx.store = services.metadata;
  ctx.artifacts = services.artifacts;

  RETURN_IF_ERROR(RunBody(*task.type, ctx));
  result->result = ctx.result;
  result->metadata = ctx.metadata;
  result->effects = ctx.effects;
  ctx.result.RecordInMetadata(result->metadata);
  if (ctx.result.kind != StepResult::Kind::kOutputs) return Status::OK();
  for (const std::string& name : task.type->Outputs(*task.step)) {
    fs::path p = ctx.OutputPath(name);
    if (!fs::exists(p, ec)) return Status::Internal("step did not write its output '" + name + "'");
    ASSIGN_OR_RETURN(store::ArtifactRecord record, services.artifacts->PutByMove(p));
    result->outputs[name] = record.digest;
    result->artifacts.push_back(record);
    result->links.push_back({task.execution_id, task.step->name, "output", name, record.digest});
  }
  fs::remove_all(out_dir, ec);
  return Status::OK();
}

AttemptResult RunAttemptOrThrow(const AttemptServices& services, const StepTask& task) {
  AttemptResult result;
  result.task_id = task.id;
  fs::path log_path = StepLogPath(services.work_dir, task.execution_id, task.step->name);
  Status s = MakeDirs(log_path.parent_path());
  LiveLog log(log_path);
  Inputs inputs(services, task, &result);
  Json task_arguments = task.arguments;
  if (s.ok()) s = inputs.ResolveObjectUris(task_arguments);
  if (s.ok()) s = inputs.Ingest(task_arguments);
  if (s.ok() && task.type->Cacheable(*task.step)) {
    std::map<std::string, Json> digests;
    for (const auto& [name, d] : result.input_digests.items()) digests[name] = d;
    result.cache_key = ComputeCacheKey(task.step->type, task.type->Version(), task_arguments, digests);
    if (task.use_cache && TryCache(services, task, &result)) return result;
  }
  Json arguments;
  if (s.ok()) {
    auto materialised = inputs.Materialise(task_arguments);
    s = materialised.status();
    if (s.ok()) arguments = std::move(*materialised);
  }
  result.arguments = arguments;
  if (s.ok()) s = Execute(services, task, arguments, log, &result);

  bool stopped = task.stop != nullptr && task.stop->load();
  if (s.ok()) {
    result.status = kSucceeded;
  } else {
    result.status = stopped ? "Stopped" : "Failed";
    result.failure_reason = stopped ? "stopped on request" : s.message();
    log.Append("attempt " + std::to_string(task.attempt) + " failed: " + s.message());
  }
  if (auto text = ReadFile(log_path); text.ok() && !text->empty()) {
    if (auto record = services.artifacts->PutBytes(*text); record.ok()) {
      result.log_digest = record->digest;
      result.artifacts.push_back(*record);
    }
  }
  return result;
}

}  // namespace

fs::path StepLogPath(const fs::path& work_dir, const std::string& execution_id, const std::string& step) {
  return work_dir / execution_id / step / "log";
}

void AppendLogLine(const fs::path& path, const std::string& line) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream(path, std::ios::app) << line << '\n';
}

AttemptResult RunAttempt(const AttemptServices& services, const StepTask& task) {
  try {
    return RunAttemptOrThrow(services, task);
  } catch (const std::exception& e) {
    AttemptResult result;
    result.task_id = task.id;
    result.failure_reason = std::string("internal error: ") + e.what();
    return result;
  }
}

}  // namespace grove::pipeline
