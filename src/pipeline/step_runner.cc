#include "pipeline/step_runner.h"

#include <chrono>
#include <cmath>
#include <fstream>
#include <thread>

#include "common/file_util.h"
#include "common/sha256.h"
#include "pipeline/cache_key.h"

namespace grove::pipeline {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSucceeded = "Succeeded";
constexpr const char* kFailed = "Failed";
constexpr const char* kStopped = "Stopped";

// Collects a step's log lines in memory and in a live file that
// `grove execution logs` can read while the step runs.
class StepLog {
 public:
  explicit StepLog(const fs::path& live_path) : live_(live_path, std::ios::app) {}
  void Append(const std::string& line) {
    std::lock_guard<std::mutex> lock(mu_);
    text_ += line;
    text_ += '\n';
    if (live_) live_ << line << '\n' << std::flush;
  }
  std::string Take() {
    std::lock_guard<std::mutex> lock(mu_);
    return std::move(text_);
  }

 private:
  std::mutex mu_;
  std::string text_;
  std::ofstream live_;
};

}  // namespace

StepRunner::StepRunner(const ExecutorServices& services, const ExecutorOptions& options, StepObserver observer,
                       const std::string& execution_id, const std::string& pipeline, const StepDef& step,
                       const StepType& type)
    : services_(services), options_(options), observer_(std::move(observer)), pipeline_(pipeline), step_(step),
      type_(type) {
  run_.execution_id = execution_id;
  run_.step_name = step.name;
  run_.step_type = step.type;
}

void StepRunner::Update(const std::function<void(store::StepRunRecord&)>& change,
                        const std::vector<store::ArtifactRecord>& artifacts,
                        const std::vector<store::ArtifactLink>& links) {
  std::lock_guard<std::mutex> lock(mu_);
  change(run_);
  Status s = services_.metadata->PutStepRun(run_, artifacts, links);
  if (!s.ok()) {
    // Report a store failure on the step itself rather than lose it.
    run_.status = kFailed;
    run_.failure_reason = "cannot record step run: " + s.message();
    (void)services_.metadata->PutStepRun(run_, {}, {});
  }
  if (observer_) observer_(run_);
}

void StepRunner::MarkStopping() {
  std::lock_guard<std::mutex> lock(mu_);
  if (run_.status != "Starting" && run_.status != "Executing") return;
  run_.status = "Stopping";
  (void)services_.metadata->PutStepRun(run_, {}, {});
  if (observer_) observer_(run_);
}

Result<Json> StepRunner::IngestValue(const Json& value, const std::string& arg, Inputs* inputs) {
  if (value.is_array() || value.is_object()) {
    Json out = value.is_array() ? Json::array() : Json::object();
    for (auto it = value.begin(); it != value.end(); ++it) {
      ASSIGN_OR_RETURN(Json d, IngestValue(it.value(), arg, inputs));
      if (value.is_array()) out.push_back(d);
      else out[it.key()] = d;
    }
    return out;
  }
  if (!value.is_string()) return Status::InvalidArgument("input '" + arg + "': expected a path, got " + value.dump());
  fs::path path = value.get<std::string>();
  auto digest = Sha256Path(path);
  if (!digest.ok()) return digest.status().WithContext("input '" + arg + "'");
  store::ArtifactRecord record;
  if (services_.artifacts->Contains(*digest)) {
    auto existing = services_.metadata->GetArtifact(*digest);
    if (existing.ok()) record = *existing;
  }
  if (record.digest.empty()) {
    ASSIGN_OR_RETURN(record, services_.artifacts->Put(path));
  }
  inputs->artifacts.push_back(record);
  inputs->links.push_back({run_.execution_id, step_.name, "input", arg, record.digest});
  return Json(record.digest);
}

Result<StepRunner::Inputs> StepRunner::IngestInputs(const Json& arguments) {
  Inputs inputs;
  for (const std::string& arg : type_.InputArguments(step_)) {
    if (!arguments.contains(arg) || arguments[arg].is_null()) continue;
    ASSIGN_OR_RETURN(Json digests, IngestValue(arguments[arg], arg, &inputs));
    inputs.digests[arg] = std::move(digests);
  }
  return inputs;
}

bool StepRunner::TryCache(const Inputs& inputs, StepOutcome* outcome) {
  TimeMs now = services_.clock->Now();
  TimeMs not_before = step_.cache.expire_after > 0 ? now - step_.cache.expire_after : 0;
  auto hit = services_.metadata->FindCacheHit(run_.cache_key, not_before);
  if (!hit.ok() || !hit->has_value()) return false;
  const store::StepRunRecord& source = **hit;
  std::vector<store::ArtifactLink> links = inputs.links;
  for (const auto& [name, digest] : source.outputs.items()) {
    if (!services_.artifacts->Contains(digest.get<std::string>())) return false;  // Lost: run it again.
    links.push_back({run_.execution_id, step_.name, "output", name, digest.get<std::string>()});
    outcome->outputs[name] = digest.get<std::string>();
  }
  outcome->status = kSucceeded;
  outcome->branch = source.metadata.value("outcome", true);
  Update(
      [&](store::StepRunRecord& run) {
        run.status = kSucceeded;
        run.cache_hit_source = source.cache_hit_source.empty() ? source.execution_id : source.cache_hit_source;
        run.outputs = source.outputs;
        run.metadata = source.metadata;
        run.log_digest = source.log_digest;
        run.ended_at = services_.clock->Now();
      },
      inputs.artifacts, links);
  return true;
}

Status StepRunner::Attempt(int attempt, const Json& arguments, const Json& input_digests,
                           const std::atomic<bool>& stop, std::string* log_text, StepOutcome* outcome,
                           std::vector<store::ArtifactRecord>* artifacts) {
  fs::path step_dir = options_.work_dir / run_.execution_id / step_.name;
  fs::path out_dir = step_dir / ("attempt-" + std::to_string(attempt));
  std::error_code ec;
  fs::remove_all(out_dir, ec);
  RETURN_IF_ERROR(MakeDirs(out_dir));
  StepLog log(step_dir / "log");

  StepContext ctx;
  ctx.step = &step_;
  ctx.arguments = arguments;
  ctx.input_digests = input_digests;
  ctx.execution_id = run_.execution_id;
  ctx.pipeline = pipeline_;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ctx.cache_key = run_.cache_key;
  }
  ctx.output_dir = out_dir;
  ctx.log = [&log](const std::string& line) { log.Append(line); };
  ctx.stop = &stop;
  ctx.registry = services_.registry;
  ctx.store = services_.metadata;
  int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  ctx.threads = std::max(1, cores * slots_ / std::max(1, options_.max_parallel_steps));

  Status s = type_.Run(ctx);
  *log_text += log.Take();
  if (!ctx.failure_message.empty()) {
    outcome->is_fail_step = true;
    return Status::FailedPrecondition(ctx.failure_message);
  }
  if (!s.ok()) return s;
  if (ctx.condition_outcome.has_value()) outcome->branch = *ctx.condition_outcome;
  Json outputs = Json::object();
  for (const std::string& name : type_.Outputs(step_)) {
    fs::path p = ctx.OutputPath(name);
    if (!fs::exists(p, ec)) return Status::Internal("step did not write its output '" + name + "'");
    ASSIGN_OR_RETURN(store::ArtifactRecord record, services_.artifacts->PutByMove(p));
    outcome->outputs[name] = record.digest;
    outputs[name] = record.digest;
    artifacts->push_back(record);
  }
  std::lock_guard<std::mutex> lock(mu_);
  run_.metadata = ctx.metadata;
  run_.outputs = outputs;
  fs::remove_all(out_dir, ec);
  return Status::OK();
}

bool StepRunner::WaitBeforeRetry(double seconds, const std::atomic<bool>& stop) {
  auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (stop.load()) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return !stop.load();
}

StepOutcome StepRunner::Finish(const std::string& status, const std::string& reason, StepOutcome outcome,
                               const std::vector<store::ArtifactRecord>& artifacts,
                               const std::vector<store::ArtifactLink>& links) {
  outcome.status = status;
  outcome.failure_reason = reason;
  Update(
      [&](store::StepRunRecord& run) {
        run.status = status;
        run.failure_reason = reason;
        run.ended_at = services_.clock->Now();
      },
      artifacts, links);
  return outcome;
}

StepOutcome StepRunner::Fail(const std::string& reason, const std::string& status) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    run_.started_at = services_.clock->Now();
  }
  return Finish(status, reason, StepOutcome{}, {}, {});
}

StepOutcome StepRunner::Run(const Json& arguments, const std::atomic<bool>& stop, int slots) {
  slots_ = std::max(1, slots);
  StepOutcome outcome;
  Update([&](store::StepRunRecord& run) {
    run.status = "Starting";
    run.started_at = services_.clock->Now();
  });

  auto inputs = IngestInputs(arguments);
  if (!inputs.ok()) return Finish(kFailed, inputs.status().message(), outcome, {}, {});
  Json input_digests = Json::object();
  for (const auto& [name, d] : inputs->digests) input_digests[name] = d;

  if (type_.Cacheable()) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      run_.cache_key = ComputeCacheKey(step_.type, type_.Version(), arguments, inputs->digests);
    }
    if (step_.cache.enabled && TryCache(*inputs, &outcome)) return outcome;
  }

  Update([](store::StepRunRecord& run) {
    if (run.status == "Starting") run.status = "Executing";
  });
  std::string log;
  std::vector<store::ArtifactRecord> artifacts = inputs->artifacts;
  Status s;
  for (int attempt = 1; attempt <= std::max(1, step_.retry.max_attempts); ++attempt) {
    if (attempt > 1) {
      double wait = step_.retry.interval_seconds * std::pow(step_.retry.backoff_rate, attempt - 2);
      log += "attempt " + std::to_string(attempt - 1) + " failed: " + s.message() + "; retrying in " +
             std::to_string(wait) + " s\n";
      if (!WaitBeforeRetry(wait, stop)) break;
    }
    Update([attempt](store::StepRunRecord& run) { run.attempts = attempt; });
    s = Attempt(attempt, arguments, input_digests, stop, &log, &outcome, &artifacts);
    if (s.ok() || outcome.is_fail_step || stop.load()) break;
  }

  if (!log.empty()) {
    auto log_record = services_.artifacts->PutBytes(log);
    if (log_record.ok()) {
      std::lock_guard<std::mutex> lock(mu_);
      run_.log_digest = log_record->digest;
      artifacts.push_back(*log_record);
    }
  }
  std::vector<store::ArtifactLink> links = inputs->links;
  if (stop.load() && !s.ok()) return Finish(kStopped, "stopped on request", outcome, artifacts, links);
  if (!s.ok()) return Finish(kFailed, s.message(), outcome, artifacts, links);
  for (const auto& [name, digest] : outcome.outputs) {
    links.push_back({run_.execution_id, step_.name, "output", name, digest});
  }
  return Finish(kSucceeded, "", outcome, artifacts, links);
}

}  // namespace grove::pipeline
