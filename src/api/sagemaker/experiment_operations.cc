// Experiments, trials and trial components as SageMaker Pipelines record them
// by default (PipelineExperimentConfig: ExperimentName = the pipeline name,
// TrialName = the execution id): read from Grove's pipelines, executions and
// step runs, nothing stored of their own.
#include <algorithm>
#include <climits>

#include "api/sagemaker/operations.h"
#include "api/sagemaker/wire.h"
#include "app/executions.h"
#include "app/pipelines.h"

namespace grove::api::sagemaker {

namespace {

// The trial component of a step run: "<execution id>-<step name>".
std::string ComponentName(const store::StepRunRecord& run) { return run.execution_id + "-" + run.step_name; }

Json Source(const std::string& arn, const char* type) { return {{"SourceArn", arn}, {"SourceType", type}}; }

Json ExperimentJson(const OperationContext& ctx, const store::PipelineRecord& p) {
  return {{"ExperimentName", p.name},
          {"ExperimentArn", ctx.arns.Resource("experiment", AsciiLowercase(p.name))},
          {"DisplayName", p.name},
          {"ExperimentSource", Source(ctx.arns.Pipeline(p.name), "SageMakerPipeline")},
          {"CreationTime", Timestamp(p.created_at)},
          {"LastModifiedTime", Timestamp(p.updated_at)}};
}

Json TrialJson(const OperationContext& ctx, const store::ExecutionRecord& e) {
  return {{"TrialName", e.id},
          {"TrialArn", ctx.arns.Resource("experiment-trial", e.id)},
          {"DisplayName", e.id},
          {"TrialSource", Source(ctx.arns.Execution(e.pipeline, e.id), "SageMakerPipelineExecution")},
          {"CreationTime", Timestamp(e.started_at)},
          {"LastModifiedTime", Timestamp(std::max(e.started_at, e.ended_at))}};
}

Json ComponentJson(const OperationContext& ctx, const store::ExecutionRecord& e, const store::StepRunRecord& run) {
  Json out = {{"TrialComponentName", ComponentName(run)},
              {"TrialComponentArn", ctx.arns.Resource("experiment-trial-component", AsciiLowercase(ComponentName(run)))},
              {"DisplayName", run.step_name},
              {"TrialComponentSource", Source(ctx.arns.Execution(e.pipeline, e.id), "SageMakerPipelineExecution")},
              {"Status", {{"PrimaryStatus", run.status == "Succeeded" ? "Completed" : run.status}}},
              {"CreationTime", Timestamp(run.started_at)},
              {"LastModifiedTime", Timestamp(std::max(run.started_at, run.ended_at))}};
  if (run.started_at > 0) out["StartTime"] = Timestamp(run.started_at);
  if (run.ended_at > 0) out["EndTime"] = Timestamp(run.ended_at);
  if (!run.failure_reason.empty()) out["Status"]["Message"] = run.failure_reason;
  return out;
}

TimeMs PipelineCreated(const store::PipelineRecord& p) { return p.created_at; }
TimeMs ExecutionCreated(const store::ExecutionRecord& e) { return e.started_at; }
TimeMs RunCreated(const store::StepRunRecord& r) { return r.started_at; }

// The executions of the experiment the request names, or of every pipeline.
Result<std::vector<store::ExecutionRecord>> Trials(const OperationContext& ctx, const std::string& experiment) {
  std::string pipeline;
  if (!experiment.empty()) {
    Result<std::string> name = PipelineName(ctx, experiment);
    if (name.status().code() == StatusCode::kNotFound) {
      return Status::NotFound("Experiment '" + experiment + "' does not exist.");
    }
    ASSIGN_OR_RETURN(pipeline, name);
  }
  return app::Executions(*ctx.home).List(app::ExecutionQuery{pipeline, INT_MAX});
}

Result<store::ExecutionRecord> FindTrial(const OperationContext& ctx, const std::string& name) {
  Result<store::ExecutionRecord> e = app::Executions(*ctx.home).Describe(name);
  if (e.status().code() == StatusCode::kNotFound) return Status::NotFound("Trial '" + name + "' does not exist.");
  return e;
}

Result<Json> ListExperiments(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(auto range, TimeRangeOf(request, "CreatedAfter", "CreatedBefore"));
  ASSIGN_OR_RETURN(std::vector<store::PipelineRecord> all, app::Pipelines(*ctx.home).List());
  std::vector<store::PipelineRecord> pipelines;
  for (auto& p : all) {
    if (p.created_at > range.first && p.created_at < range.second) pipelines.push_back(std::move(p));
  }
  RETURN_IF_ERROR(SortAsRequested(
      request, pipelines, [](const store::PipelineRecord& p) { return p.name; }, PipelineCreated, "Descending"));
  return PagedList(request, pipelines, 50, "ExperimentSummaries",
                   [&](const store::PipelineRecord& p) { return ExperimentJson(ctx, p); });
}

Result<Json> DescribeExperiment(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string text, Members(request).Required("ExperimentName"));
  Result<std::string> name = PipelineName(ctx, text);
  if (name.status().code() == StatusCode::kNotFound) return Status::NotFound("Experiment '" + text + "' does not exist.");
  RETURN_IF_ERROR(name.status());  // E.g. the ARN of another kind of resource.
  ASSIGN_OR_RETURN(app::PipelineDescription d, app::Pipelines(*ctx.home).Describe(*name, 0));
  Json out = ExperimentJson(ctx, d.pipeline);
  out["Description"] = d.pipeline.description;
  return out;
}

Result<Json> ListTrials(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string experiment, Members(request).Optional("ExperimentName"));
  ASSIGN_OR_RETURN(auto range, TimeRangeOf(request, "CreatedAfter", "CreatedBefore"));
  ASSIGN_OR_RETURN(std::vector<store::ExecutionRecord> all, Trials(ctx, experiment));
  std::vector<store::ExecutionRecord> trials;
  for (auto& e : all) {
    if (e.started_at > range.first && e.started_at < range.second) trials.push_back(std::move(e));
  }
  RETURN_IF_ERROR(SortAsRequested(
      request, trials, [](const store::ExecutionRecord& e) { return e.id; }, ExecutionCreated, "Descending"));
  return PagedList(request, trials, 50, "TrialSummaries",
                   [&](const store::ExecutionRecord& e) { return TrialJson(ctx, e); });
}

Result<Json> DescribeTrial(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string name, Members(request).Required("TrialName"));
  ASSIGN_OR_RETURN(store::ExecutionRecord e, FindTrial(ctx, name));
  Json out = TrialJson(ctx, e);
  out["ExperimentName"] = e.pipeline;
  return out;
}

Result<Json> ListTrialComponents(const OperationContext& ctx, const Json& request) {
  Members m(request);
  ASSIGN_OR_RETURN(std::string experiment, m.Optional("ExperimentName"));
  ASSIGN_OR_RETURN(std::string trial, m.Optional("TrialName"));
  std::vector<store::ExecutionRecord> executions;
  if (!trial.empty()) {
    ASSIGN_OR_RETURN(store::ExecutionRecord e, FindTrial(ctx, trial));
    executions.push_back(std::move(e));
  } else {
    ASSIGN_OR_RETURN(executions, Trials(ctx, experiment));
  }
  std::vector<store::StepRunRecord> runs;
  for (const store::ExecutionRecord& e : executions) {
    ASSIGN_OR_RETURN(std::vector<store::StepRunRecord> steps, app::Executions(*ctx.home).Steps(e.id));
    for (auto& run : steps) runs.push_back(std::move(run));
  }
  RETURN_IF_ERROR(SortAsRequested(request, runs, ComponentName, RunCreated, "Descending"));
  std::map<std::string, store::ExecutionRecord> by_id;
  for (const store::ExecutionRecord& e : executions) by_id[e.id] = e;
  return PagedList(request, runs, 50, "TrialComponentSummaries",
                   [&](const store::StepRunRecord& run) { return ComponentJson(ctx, by_id[run.execution_id], run); });
}

// {"Name": {"StringValue"} | {"NumberValue"}} for each of the execution's parameters.
Json Parameters(const store::ExecutionRecord& e) {
  Json out = Json::object();
  for (const auto& [name, value] : e.parameters.items()) {
    out[name] = value.is_number() ? Json{{"NumberValue", value}}
                                  : Json{{"StringValue", value.is_string() ? value.get<std::string>() : value.dump()}};
  }
  return out;
}

// The numbers a step recorded as metrics: an Evaluation's `metrics`, a Training's `final_metrics`.
Json Metrics(const store::StepRunRecord& run) {
  Json out = Json::array();
  for (const char* key : {"metrics", "final_metrics"}) {
    const Json found = run.metadata.value(key, Json::object());
    if (!found.is_object()) continue;
    for (const auto& [name, value] : found.items()) {
      if (!value.is_number()) continue;
      out.push_back({{"MetricName", name}, {"Last", value}, {"Max", value}, {"Min", value}, {"Avg", value},
                     {"Count", 1}, {"TimeStamp", Timestamp(run.ended_at)}});
    }
  }
  return out;
}

Result<Json> DescribeTrialComponent(const OperationContext& ctx, const Json& request) {
  ASSIGN_OR_RETURN(std::string name, Members(request).Required("TrialComponentName"));
  const Status missing = Status::NotFound("TrialComponent '" + name + "' does not exist.");
  const size_t dash = name.find('-');
  if (dash == std::string::npos) return missing;
  Result<store::ExecutionRecord> e = app::Executions(*ctx.home).Describe(name.substr(0, dash));
  if (!e.ok()) return missing;
  ASSIGN_OR_RETURN(std::vector<store::StepRunRecord> runs, app::Executions(*ctx.home).Steps(e->id));
  for (const store::StepRunRecord& run : runs) {
    if (ComponentName(run) != name) continue;
    Json out = ComponentJson(ctx, *e, run);
    out["Parameters"] = Parameters(*e);
    out["Metrics"] = Metrics(run);
    return out;
  }
  return missing;
}

}  // namespace

void AddExperimentOperations(const OperationContext& ctx, OperationTable& table) {
  AddOperation(table, ctx, "ListExperiments", ListExperiments);
  AddOperation(table, ctx, "DescribeExperiment", DescribeExperiment);
  AddOperation(table, ctx, "ListTrials", ListTrials);
  AddOperation(table, ctx, "DescribeTrial", DescribeTrial);
  AddOperation(table, ctx, "ListTrialComponents", ListTrialComponents);
  AddOperation(table, ctx, "DescribeTrialComponent", DescribeTrialComponent);
}

}  // namespace grove::api::sagemaker
