// DescribePipeline, ListPipelines and the pipeline-execution operations over
// app::Pipelines and app::Executions.
#include <algorithm>
#include <climits>
#include <utility>

#include "app/executions.h"
#include "app/object_store.h"
#include "app/pipelines.h"
#include "pipeline/sagemaker_json_reader.h"
#include "pipeline/steps/sagemaker_job.h"
#include "pipeline/validator.h"
#include "api/sagemaker/definition_json.h"
#include "api/sagemaker/operations.h"
#include "api/sagemaker/wire.h"
#include "store/metadata_store.h"

namespace grove::api::sagemaker {

namespace {

constexpr const char* kStartTokenKind = "sagemaker-start-token";

}  // namespace

Result<std::string> PipelineName(const OperationContext& ctx, const std::string& text) {
  std::optional<std::string> name = NameOrArn(text, "pipeline");
  if (!name) return ValidationError("pipelineName", text, "Member must be a pipeline name or ARN");
  ASSIGN_OR_RETURN(std::vector<store::PipelineRecord> pipelines, app::Pipelines(*ctx.home).List());
  for (const auto& p : pipelines) {
    if (p.name == *name) return p.name;
  }
  for (const auto& p : pipelines) {
    if (AsciiLowercase(p.name) == AsciiLowercase(*name)) return p.name;
  }
  return Status::NotFound("Pipeline '" + ctx.arns.Pipeline(*name) + "' does not exist.");
}

namespace {

Result<store::ExecutionRecord> FindExecution(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string arn, Members(request).Required("PipelineExecutionArn"));
  std::optional<std::string> id = ExecutionIdOf(arn);
  if (!id) return ValidationError("pipelineExecutionArn", arn, "Member must be a pipeline execution ARN");
  Result<store::ExecutionRecord> found = app::Executions(*ctx.home).Describe(*id);
  if (found.status().code() == StatusCode::kNotFound) {
    return Status::NotFound("Pipeline execution '" + arn + "' does not exist.");
  }
  return found;
}

TimeMs LastModified(const store::ExecutionRecord& e) { return std::max(e.started_at, e.ended_at); }

Json ExecutionJson(const OperationContext& ctx, const store::ExecutionRecord& e) {
  const std::string arn = ctx.arns.Execution(e.pipeline, e.id);
  return {{"PipelineArn", ctx.arns.Pipeline(e.pipeline)},
          {"PipelineExecutionArn", arn},
          {"PipelineExecutionDisplayName", "execution-" + e.id},
          {"PipelineExecutionStatus", e.status},
          {"PipelineExperimentConfig", {{"ExperimentName", e.pipeline}, {"TrialName", e.id}}},
          {"FailureReason", e.failure_reason},
          {"PipelineVersionId", e.version},
          {"CreationTime", Timestamp(e.started_at)},
          {"LastModifiedTime", Timestamp(LastModified(e))},
          {"CreatedBy", Json::object()},
          {"LastModifiedBy", Json::object()}};
}

// A parameter value as SageMaker reports it: always a string.
std::string ParameterText(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  return value.dump();
}

// The step's metadata in SageMaker's form: one key for what the step made.
Json StepMetadata(const OperationContext& ctx, const store::StepRunRecord& run) {
  const std::string job = pipeline::SageMakerJobName(run.execution_id, run.step_name);
  const Json& m = run.metadata;
  if (run.step_type == "RegisterModel" && m.contains("model_version")) {
    const Json& v = m["model_version"];
    return {{"RegisterModel", {{"Arn", ctx.arns.ModelPackage(v.value("group", ""), v.value("version", 0))}}}};
  }
  if (run.step_type == "Condition" && m.contains("outcome")) {
    return {{"Condition", {{"Outcome", m["outcome"].get<bool>() ? "True" : "False"}}}};
  }
  if (run.step_type == "Fail") return {{"Fail", {{"ErrorMessage", run.failure_reason}}}};
  if (run.step_type == "Training" || run.step_type == "Refit" || run.step_type == "SageMakerTraining") {
    return {{"TrainingJob", {{"Arn", ctx.arns.Resource("training-job", job)}}}};
  }
  if (run.step_type == "Tuning" || run.step_type == "SageMakerTuning") {
    return {{"TuningJob", {{"Arn", ctx.arns.Resource("hyper-parameter-tuning-job", job)}}}};
  }
  if (run.step_type == "Processing" || run.step_type == "Evaluation" || run.step_type == "SageMakerProcessing") {
    return {{"ProcessingJob", {{"Arn", ctx.arns.Resource("processing-job", job)}}}};
  }
  if (run.step_type == "Lambda") {
    return {{"Lambda", {{"Arn", m.value("function_arn", "")},
                        {"OutputParameters", m.value("output_parameters", Json::array())}}}};
  }
  if (run.step_type == "Callback") {
    Json callback = {{"CallbackToken", m.value("callback_token", "")},
                     {"SqsQueueUrl", m.value("sqs_queue_url", "")},
                     {"OutputParameters", m.value("output_parameters", Json::array())}};
    if (!m.contains("callback_token")) {  // Still waiting: the token is in its row.
      auto token = app::Executions(*ctx.home).CallbackToken(run.execution_id, run.step_name);
      if (!token.ok() || !token->has_value()) return Json::object();
      callback["CallbackToken"] = **token;
    }
    return {{"Callback", std::move(callback)}};
  }
  return Json::object();
}

Json StepJson(const OperationContext& ctx, const store::ExecutionRecord& e, const store::StepRunRecord& run) {
  Json step = {{"StepName", run.step_name},
               {"StepStatus", run.status},
               {"AttemptCount", run.attempts},
               {"Metadata", StepMetadata(ctx, run)}};
  if (run.started_at > 0) step["StartTime"] = Timestamp(run.started_at);
  if (run.ended_at > 0) step["EndTime"] = Timestamp(run.ended_at);
  if (!run.failure_reason.empty()) step["FailureReason"] = run.failure_reason;
  if (!run.cache_hit_source.empty()) {
    step["CacheHitResult"] = {{"SourcePipelineExecutionArn", ctx.arns.Execution(e.pipeline, run.cache_hit_source)}};
  }
  return step;
}

// The definition as DescribePipeline shows it: a SageMaker definition exactly
// as it was sent, a YAML one rendered in SageMaker's form.
Result<std::string> DefinitionJson(const store::DefinitionRecord& stored) {
  if (pipeline::IsSageMakerDefinition(stored.body)) return stored.body;
  ASSIGN_OR_RETURN(pipeline::Definition def, app::Pipelines::Parse(stored));
  return SageMakerDefinition(def).dump();
}

// The text CreatePipeline and UpdatePipeline carry: PipelineDefinition, or
// the object PipelineDefinitionS3Location names (the SDK's form for 100 KiB and more).
Result<std::string> DefinitionText(const OperationContext& ctx, const Json& request) {
  Members m(request);
  if (m.Has("PipelineDefinition")) return m.Required("PipelineDefinition");
  if (!m.Has("PipelineDefinitionS3Location")) {
    return Status::InvalidArgument("either PipelineDefinition or PipelineDefinitionS3Location is required");
  }
  Members location(request["PipelineDefinitionS3Location"]);
  ASSIGN_OR_RETURN(std::string bucket, location.Required("Bucket"));
  ASSIGN_OR_RETURN(std::string key, location.Required("ObjectKey"));
  Result<app::ObjectRead> object = app::ObjectStore(*ctx.home).GetObject(bucket, key);
  if (!object.ok()) {
    return Status::InvalidArgument("PipelineDefinitionS3Location s3://" + bucket + "/" + key + ": " +
                                   object.status().message());
  }
  return object->bytes;
}

// CreatePipeline (`create`) or UpdatePipeline: reads, validates and stores the
// definition as the pipeline's next version.
Result<Json> StorePipeline(const OperationContext& ctx, const Json& request, bool create) {
  Members m(request);
  ASSIGN_OR_RETURN(std::string name, m.Required("PipelineName"));
  ASSIGN_OR_RETURN(std::string description, m.Optional("PipelineDescription"));
  RETURN_IF_ERROR(CheckResourceName("pipelineName", name, 256));
  Result<std::string> existing = PipelineName(ctx, name);
  if (create && existing.ok()) {
    return Status::InvalidArgument("Pipeline names must be unique within an AWS account and region. Pipeline with "
                                   "name (" + name + ") already exists.");
  }
  if (!create) RETURN_IF_ERROR(existing.status());
  ASSIGN_OR_RETURN(std::string text, DefinitionText(ctx, request));
  const auto& types = pipeline::StepTypeRegistry::BuiltIn();
  if (!pipeline::IsSageMakerDefinition(text)) {
    return Status::InvalidArgument("PipelineDefinition: expected a SageMaker pipeline definition (JSON with "
                                   "\"Version\": \"2020-12-01\" and \"Steps\")");
  }
  ASSIGN_OR_RETURN(pipeline::Definition def,
                   pipeline::ReadSageMakerDefinition(text, create ? name : *existing, "PipelineDefinition", types));
  def.description = description;
  RETURN_IF_ERROR(pipeline::ValidateDefinition(def, types));
  ASSIGN_OR_RETURN(app::RegisteredDefinition stored, app::Pipelines(*ctx.home).Store(std::move(def)));
  const std::string arn = ctx.arns.Pipeline(stored.definition.name);
  RETURN_IF_ERROR(AddTagsTo(ctx, arn, request.value("Tags", Json::array())));
  return Json{{"PipelineArn", arn}, {"PipelineVersionId", stored.version}};
}

Result<Json> CreatePipeline(const OperationContext& ctx, const Json& request) {
  return StorePipeline(ctx, request, /*create=*/true);
}

Result<Json> UpdatePipeline(const OperationContext& ctx, const Json& request) {
  return StorePipeline(ctx, request, /*create=*/false);
}

// As SageMaker: refused (ConflictException) while an execution is running.
// Unlike SageMaker, the executions stay: DescribePipelineExecution and
// Grove's own views still show them. Its tags go with it.
Result<Json> DeletePipeline(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string text, Members(request).Required("PipelineName"));
  ASSIGN_OR_RETURN(std::string name, PipelineName(ctx, text));
  RETURN_IF_ERROR(app::Pipelines(*ctx.home).Delete(name));
  RETURN_IF_ERROR(DeleteTagsOf(ctx, ctx.arns.Pipeline(name)));
  return Json{{"PipelineArn", ctx.arns.Pipeline(name)}};
}

Result<Json> DescribePipeline(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string text, Members(request).Required("PipelineName"));
  ASSIGN_OR_RETURN(std::string name, PipelineName(ctx, text));
  ASSIGN_OR_RETURN(app::PipelineDescription d, app::Pipelines(*ctx.home).Describe(name, 0));
  ASSIGN_OR_RETURN(std::string definition, DefinitionJson(d.definition));
  return Json{{"PipelineArn", ctx.arns.Pipeline(name)},
              {"PipelineName", name},
              {"PipelineDisplayName", name},
              {"PipelineDefinition", definition},
              {"PipelineDescription", d.pipeline.description},
              {"PipelineStatus", "Active"},
              {"PipelineVersionId", d.definition.version},
              {"CreationTime", Timestamp(d.pipeline.created_at)},
              {"LastModifiedTime", Timestamp(d.pipeline.updated_at)},
              {"CreatedBy", Json::object()},
              {"LastModifiedBy", Json::object()}};
}

Result<Json> ListPipelines(const OperationContext& ctx, const Json& request) {
  Members m(request);
  ASSIGN_OR_RETURN(std::string prefix, m.Optional("PipelineNamePrefix"));
  ASSIGN_OR_RETURN(auto range, TimeRangeOf(request, "CreatedAfter", "CreatedBefore"));
  ASSIGN_OR_RETURN(std::vector<store::PipelineRecord> all, app::Pipelines(*ctx.home).List());
  std::vector<store::PipelineRecord> pipelines;
  for (auto& p : all) {
    if (p.name.rfind(prefix, 0) == 0 && p.created_at > range.first && p.created_at < range.second) pipelines.push_back(std::move(p));
  }
  RETURN_IF_ERROR(SortAsRequested(
      request, pipelines, [](const store::PipelineRecord& p) { return p.name; },
      [](const store::PipelineRecord& p) { return p.created_at; }, "Descending"));
  return PagedList(request, pipelines, 50, "PipelineSummaries", [&](const store::PipelineRecord& p) {
    return Json{{"PipelineArn", ctx.arns.Pipeline(p.name)},
                {"PipelineName", p.name},
                {"PipelineDisplayName", p.name},
                {"PipelineDescription", p.description},
                {"CreationTime", Timestamp(p.created_at)},
                {"LastModifiedTime", Timestamp(p.updated_at)}};
  });
}

Result<Json> StartPipelineExecution(const OperationContext& ctx, const Json& request) {
  Members m(request);
  ASSIGN_OR_RETURN(std::string text, m.Required("PipelineName"));
  ASSIGN_OR_RETURN(std::string token, m.Optional("ClientRequestToken"));
  ASSIGN_OR_RETURN(std::string name, PipelineName(ctx, text));
  std::map<std::string, std::string> parameters;
  for (const Json& p : request.value("PipelineParameters", Json::array())) {
    if (!p.is_object() || !p.contains("Name") || !p["Name"].is_string() || !p.contains("Value") ||
        !p["Value"].is_string()) {
      return ValidationError("pipelineParameters", p, "Member must be {Name: string, Value: string}");
    }
    parameters[p["Name"].get<std::string>()] = p["Value"].get<std::string>();
  }
  store::MetadataStore& metadata = *ctx.home->metadata();
  const std::string token_name = name + "/" + token;
  if (!token.empty()) {
    // A retried request (the same ClientRequestToken) gets the execution the first one started.
    ASSIGN_OR_RETURN(std::optional<store::ResourceRecord> seen,
                     store::ReadValue(metadata, [&](store::StoreReader& r) { return r.FindResource(kStartTokenKind, token_name); }));
    if (seen) return Json{{"PipelineExecutionArn", ctx.arns.Execution(name, seen->body.value("execution", ""))}};
  }
  if (ctx.executor == nullptr) return Status::FailedPrecondition("this server does not run pipelines");
  ASSIGN_OR_RETURN(app::StartedExecution started, app::Executions(*ctx.home, ctx.executor).StartStored(name, parameters));
  if (!token.empty()) {
    const TimeMs now = ctx.home->clock()->Now();
    (void)metadata.Transact([&](store::StoreTransaction& txn) {
      return txn.PutResource({kStartTokenKind, token_name, {{"execution", started.id}}, now, now});
    });
  }
  return Json{{"PipelineExecutionArn", ctx.arns.Execution(name, started.id)}};
}

Result<Json> DescribePipelineExecution(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(store::ExecutionRecord e, FindExecution(ctx, request));
  return ExecutionJson(ctx, e);
}

Result<Json> ListPipelineExecutions(const OperationContext& ctx, const Json& request) {
  Members m(request);
  ASSIGN_OR_RETURN(std::string text, m.Required("PipelineName"));
  ASSIGN_OR_RETURN(std::string name, PipelineName(ctx, text));
  ASSIGN_OR_RETURN(std::string order, m.OneOf("SortOrder", {"Ascending", "Descending"}, "Descending"));
  ASSIGN_OR_RETURN(std::string sort_by, m.OneOf("SortBy", {"CreationTime", "PipelineExecutionArn"}, "CreationTime"));
  ASSIGN_OR_RETURN(auto range, TimeRangeOf(request, "CreatedAfter", "CreatedBefore"));
  ASSIGN_OR_RETURN(std::vector<store::ExecutionRecord> all,
                   app::Executions(*ctx.home).List(app::ExecutionQuery{name, INT_MAX}));  // Newest first.
  std::vector<store::ExecutionRecord> executions;
  for (auto& e : all) {
    if (e.started_at > range.first && e.started_at < range.second) executions.push_back(std::move(e));
  }
  if (sort_by == "PipelineExecutionArn") {
    std::stable_sort(executions.begin(), executions.end(), [](const auto& a, const auto& b) { return a.id > b.id; });
  }
  if (order == "Ascending") std::reverse(executions.begin(), executions.end());
  return PagedList(request, executions, 50, "PipelineExecutionSummaries", [&](const store::ExecutionRecord& e) {
    Json s = {{"PipelineExecutionArn", ctx.arns.Execution(e.pipeline, e.id)},
              {"StartTime", Timestamp(e.started_at)},
              {"PipelineExecutionStatus", e.status},
              {"PipelineExecutionDisplayName", "execution-" + e.id}};
    if (!e.failure_reason.empty()) s["PipelineExecutionFailureReason"] = e.failure_reason;
    return s;
  });
}

Result<Json> ListPipelineExecutionSteps(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(store::ExecutionRecord e, FindExecution(ctx, request));
  ASSIGN_OR_RETURN(std::string order, Members(request).OneOf("SortOrder", {"Ascending", "Descending"}, "Descending"));
  ASSIGN_OR_RETURN(std::vector<store::StepRunRecord> runs, app::Executions(*ctx.home).Steps(e.id));  // Oldest first.
  if (order == "Descending") std::reverse(runs.begin(), runs.end());
  return PagedList(request, runs, 50, "PipelineExecutionSteps",
                   [&](const store::StepRunRecord& run) { return StepJson(ctx, e, run); });
}

Result<Json> ListPipelineParametersForExecution(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(store::ExecutionRecord e, FindExecution(ctx, request));
  std::vector<std::pair<std::string, std::string>> all;
  for (const auto& [name, value] : e.parameters.items()) all.emplace_back(name, ParameterText(value));
  return PagedList(request, all, 50, "PipelineParameters", [](const std::pair<std::string, std::string>& p) {
    return Json{{"Name", p.first}, {"Value", p.second}};
  });
}

Result<Json> DescribePipelineDefinitionForExecution(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(store::ExecutionRecord e, FindExecution(ctx, request));
  ASSIGN_OR_RETURN(app::PipelineDescription d, app::Pipelines(*ctx.home).Describe(e.pipeline, e.version));
  ASSIGN_OR_RETURN(std::string definition, DefinitionJson(d.definition));
  return Json{{"PipelineDefinition", definition},
              {"CreationTime", Timestamp(d.definition.created_at)}};
}

// Grove retries an execution as a new one (see app::Executions::Retry) and
// answers its ARN; what succeeded before comes from the cache.
Result<Json> RetryPipelineExecution(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(store::ExecutionRecord e, FindExecution(ctx, request));
  if (ctx.executor == nullptr) return Status::FailedPrecondition("this server does not run pipelines");
  ASSIGN_OR_RETURN(app::StartedExecution started, app::Executions(*ctx.home, ctx.executor).Retry(e.id));
  return Json{{"PipelineExecutionArn", ctx.arns.Execution(started.pipeline, started.id)}};
}

Result<Json> StopPipelineExecution(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(store::ExecutionRecord e, FindExecution(ctx, request));
  Status s = app::Executions(*ctx.home).Stop(e.id);
  // Stopping an execution that already ended is a conflict, as SageMaker answers it.
  if (!s.ok()) return s.code() == StatusCode::kFailedPrecondition ? Status::FailedPrecondition(s.message()) : s;
  return Json{{"PipelineExecutionArn", ctx.arns.Execution(e.pipeline, e.id)}};
}

// SendPipelineExecutionStepSuccess and -Failure: end a Callback step's wait.
Result<Json> CompleteCallback(const OperationContext& ctx, const Json& request, bool success) {
  const Json token = request.value("CallbackToken", Json());
  if (!token.is_string() || token.get<std::string>().empty()) {
    return ValidationError("callbackToken", token.is_null() ? Json("null") : token, "Member must not be null");
  }
  Json outputs = Json::object();
  for (const Json& p : request.value("OutputParameters", Json::array())) {
    if (!p.is_object() || !p.contains("Name") || !p["Name"].is_string()) {
      return ValidationError("outputParameters", p, "Member must have a Name");
    }
    outputs[p["Name"].get<std::string>()] = p.value("Value", Json(""));
  }
  ASSIGN_OR_RETURN(store::CallbackRecord done,
                   app::Executions(*ctx.home).CompleteCallback(token.get<std::string>(), success, outputs,
                                                               request.value("FailureReason", "")));
  ASSIGN_OR_RETURN(store::ExecutionRecord e, app::Executions(*ctx.home).Describe(done.execution_id));
  return Json{{"PipelineExecutionArn", ctx.arns.Execution(e.pipeline, e.id)}};
}

Result<Json> SendPipelineExecutionStepSuccess(const OperationContext& ctx, const Json& request) {
  return CompleteCallback(ctx, request, true);
}

Result<Json> SendPipelineExecutionStepFailure(const OperationContext& ctx, const Json& request) {
  return CompleteCallback(ctx, request, false);
}

}  // namespace

void AddPipelineOperations(const OperationContext& ctx, OperationTable& table) {
  AddOperation(table, ctx, "CreatePipeline", CreatePipeline);
  AddOperation(table, ctx, "UpdatePipeline", UpdatePipeline);
  AddOperation(table, ctx, "DeletePipeline", DeletePipeline);
  AddOperation(table, ctx, "DescribePipeline", DescribePipeline);
  AddOperation(table, ctx, "ListPipelines", ListPipelines);
  AddOperation(table, ctx, "StartPipelineExecution", StartPipelineExecution);
  AddOperation(table, ctx, "DescribePipelineExecution", DescribePipelineExecution);
  AddOperation(table, ctx, "ListPipelineExecutions", ListPipelineExecutions);
  AddOperation(table, ctx, "ListPipelineExecutionSteps", ListPipelineExecutionSteps);
  AddOperation(table, ctx, "ListPipelineParametersForExecution", ListPipelineParametersForExecution);
  AddOperation(table, ctx, "DescribePipelineDefinitionForExecution", DescribePipelineDefinitionForExecution);
  AddOperation(table, ctx, "StopPipelineExecution", StopPipelineExecution);
  AddOperation(table, ctx, "RetryPipelineExecution", RetryPipelineExecution);
  AddOperation(table, ctx, "SendPipelineExecutionStepSuccess", SendPipelineExecutionStepSuccess);
  AddOperation(table, ctx, "SendPipelineExecutionStepFailure", SendPipelineExecutionStepFailure);
}

}  // namespace grove::api::sagemaker
