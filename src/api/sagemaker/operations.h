#pragma once

// The SageMaker control-plane operations Grove implements, by area. Each
// takes the request body (a JSON object) and answers the response body or a
// Status that wire.h turns into the service's error form.

#include <functional>
#include <map>
#include <string>

#include "app/home.h"
#include "common/json.h"
#include "common/status.h"
#include "registry/traffic.h"
#include "store/records.h"
#include "api/sagemaker/arn.h"

namespace grove::pipeline {
class Executor;
}
namespace grove::serving {
class EndpointService;
}

namespace grove::api::sagemaker {

// Who is calling, for attribution (approvals record it).
struct Caller {
  std::string identity = "sagemaker-api";
};

// What the operations work on. Not owned.
struct OperationContext {
  app::Home* home = nullptr;
  pipeline::Executor* executor = nullptr;  // Null: executions cannot start here.
  serving::EndpointService* endpoints = nullptr;
  Arns arns;
};

// An operation as the control plane runs it: the answer's body as JSON text.
using Operation = std::function<Result<std::string>(const Json& request, const Caller& caller)>;
using OperationTable = std::map<std::string, Operation, std::less<>>;

// Adds an operation that needs no caller identity.
using ContextOperation = Result<Json> (*)(const OperationContext& ctx, const Json& request);
void AddOperation(OperationTable& table, const OperationContext& ctx, const char* name, ContextOperation op);
// Adds an operation that records who called it (approvals, deployments).
using CallerOperation = Result<Json> (*)(const OperationContext& ctx, const Json& request, const Caller& caller);
void AddOperation(OperationTable& table, const OperationContext& ctx, const char* name, CallerOperation op);
// Adds an operation that writes its answer's JSON text itself (a hot path:
// see wire.h's AppendJsonString).
using TextOperation = Result<std::string> (*)(const OperationContext& ctx, const Json& request);
void AddOperation(OperationTable& table, const OperationContext& ctx, const char* name, TextOperation op);

// Pipelines and their executions: DescribePipeline, ListPipelines,
// StartPipelineExecution, DescribePipelineExecution, ListPipelineExecutions,
// ListPipelineExecutionSteps, ListPipelineParametersForExecution,
// DescribePipelineDefinitionForExecution, StopPipelineExecution.
void AddPipelineOperations(const OperationContext& ctx, OperationTable& table);
// Model package groups and versions: CreateModelPackageGroup,
// ListModelPackageGroups, DescribeModelPackageGroup, DeleteModelPackageGroup
// (empty groups only), CreateModelPackage (versioned only), ListModelPackages,
// DescribeModelPackage, UpdateModelPackage.
void AddModelPackageOperations(const OperationContext& ctx, OperationTable& table);
// Endpoints: DescribeEndpoint, ListEndpoints, and CreateEndpoint,
// UpdateEndpoint, DeleteEndpoint from endpoint configs whose model names a
// model package: the endpoint serves (pins) that registered version.
void AddEndpointOperations(const OperationContext& ctx, OperationTable& table);

// The stored name of the pipeline `text` names (a name or an ARN, whose name
// is lowercased; matched without regard to case). ResourceNotFound when there is none.
Result<std::string> PipelineName(const OperationContext& ctx, const std::string& text);

// Experiments as SageMaker Pipelines make them (PipelineExperimentConfig's
// default): each pipeline is an experiment, each execution a trial, each step
// run a trial component carrying the execution's parameters and the step's
// metrics. ListExperiments, DescribeExperiment, ListTrials, DescribeTrial,
// ListTrialComponents, DescribeTrialComponent.
void AddExperimentOperations(const OperationContext& ctx, OperationTable& table);

// A group as DescribeModelPackageGroup shows it (without CreatedBy).
Json ModelPackageGroupJson(const OperationContext& ctx, const store::ModelGroupRecord& group);
// A version as DescribeModelPackage shows it.
Json ModelPackageJson(const OperationContext& ctx, const store::ModelVersionRecord& version);

// Search over ModelPackage and ModelPackageGroup resources (search_operations.cc).
void AddSearchOperations(const OperationContext& ctx, OperationTable& table);

// The registered version a versioned model package ARN (or "group/N") names.
// ValidationException "ModelPackage <arn> does not exist." when there is none.
Result<store::ModelVersionRecord> FindModelPackage(const OperationContext& ctx, const std::string& text);

// Models (CreateModel, DescribeModel, ListModels, DeleteModel) and endpoint
// configs (Create/Describe/List/DeleteEndpointConfig), kept as documents in
// the store's resource table.
void AddModelOperations(const OperationContext& ctx, OperationTable& table);
// The endpoint config `name`; ValidationException "Could not find endpoint configuration" when missing.
Result<store::ResourceRecord> FindEndpointConfig(const OperationContext& ctx, const std::string& name);
// What an endpoint config serves: each production variant (and shadow
// variant) as a variant of Grove's (registry/traffic.h), its version being its
// model's ModelPackageName and its weight InitialVariantWeight (default 1).
// ValidationException for a model that names no registered version.
Result<std::vector<registry::VariantSpec>> ConfigVariants(const OperationContext& ctx,
                                                          const store::ResourceRecord& config);

// AddTags, ListTags, DeleteTags on any SageMaker ARN.
void AddTagOperations(const OperationContext& ctx, OperationTable& table);
// Adds `tags` ([{Key, Value}], as Create* requests carry them) to `arn`.
Status AddTagsTo(const OperationContext& ctx, const std::string& arn, const Json& tags);
// The tags of `arn`, Key -> Value ({} when it has none).
Result<Json> TagsOf(const OperationContext& ctx, const std::string& arn);
// Every tagged ARN's tags, Key -> Value.
Result<std::map<std::string, Json>> TagsByArn(const OperationContext& ctx);
// Forgets the tags of `arn` (its resource is gone).
Status DeleteTagsOf(const OperationContext& ctx, const std::string& arn);

// The S3 URI under which an artifact is served by Grove's S3 API:
// s3://grove-artifacts/sha256/<digest>.
std::string ArtifactS3Uri(const std::string& digest);

}  // namespace grove::api::sagemaker
