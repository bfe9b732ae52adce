#pragma once

// Reads SageMaker's pipeline-definition JSON (Version 2020-12-01, what the
// SageMaker Python SDK's `pipeline.definition()` prints and CreatePipeline
// takes): the second front end of the definition tree, beside the YAML reader.
//
// It translates the document into Grove's definition model, then parses each
// step's expressions once (ParseStepExpressions), so everything after it is
// shared with YAML definitions:
//   Parameters [{Name, Type, DefaultValue, EnumValues, Description}] -> parameters;
//   {"Get": "Parameters.X"}, {"Get": "Execution.PipelineExecutionId|StartDateTime|PipelineName"}
//     -> the same references (PipelineExecutionId is Grove's ExecutionId);
//   {"Get": "Steps.S.<path>"} -> {JsonGet: {step: S, path}}: a value of the step's
//     properties (its Describe* response), `['name']` selecting by name;
//   {"Std:JsonGet": {"PropertyFile": {"Get": "Steps.S.PropertyFiles.F"}, "Path": p}}
//     -> {JsonGet: {step: S, path: "PropertyFiles.F.<p>"}};
//   {"Std:Join": {"On", "Values"}} -> {Join: {on, values}};
//   conditions {Type: Equals|GreaterThan|..., LeftValue, RightValue}, {Type: In,
//     QueryValue, Values}, {Type: Not, Condition}, {Type: Or, Conditions}
//     (and the older NotEquals / NotIn) -> Grove's condition operators;
//   Condition steps -> Condition with IfSteps/ElseSteps lifted as nested steps;
//   Fail steps -> Fail with ErrorMessage as its message;
//   Processing -> SageMakerProcessing (a script run in a sandbox, inputs and
//     outputs through Grove's S3), Training -> SageMakerTraining (the built-in
//     XGBoost algorithm, natively), each keeping its request
//     (steps/sagemaker_job.h);
//   RegisterModel -> RegisterModel: ModelPackageGroupName, the first
//     container's ModelDataUrl (a model.tar.gz is unpacked when registered),
//     ModelMetrics.ModelQuality.Statistics.S3Uri, ModelApprovalStatus and
//     ModelPackageDescription;
//   Tuning -> SageMakerTuning (Grove's Tuning over the xgboost family);
//   Lambda -> Lambda (a function of `grove lambda create`), Callback ->
//     Callback (waits for SendPipelineExecutionStepSuccess / -Failure);
//   every other step type (Model, Transform, QualityCheck, ...)
//     -> SageMakerJob, which keeps the request and fails at run time naming
//     what Grove cannot run yet;
//   DependsOn, CacheConfig {Enabled, ExpireAfter} and RetryPolicies (the
//     largest MaxAttempts, with its IntervalSeconds and BackoffRate).
// The document is kept as Definition::source_text, exactly as sent.
//
// Errors are InvalidArgument "<source>: <JSON pointer>: <what is wrong>",
// e.g. "abalone.json: /Steps/3/Arguments/Conditions/0/Type: unknown
// condition type 'Between'".

#include <string>

#include "common/status.h"
#include "pipeline/definition.h"
#include "pipeline/step_type.h"

namespace grove::pipeline {

// Whether `text` looks like a SageMaker pipeline definition: a JSON object
// with "Version" and "Steps".
bool IsSageMakerDefinition(const std::string& text);

// Reads `text` as pipeline `name` (SageMaker's definition does not carry it).
Result<Definition> ReadSageMakerDefinition(const std::string& text, const std::string& name,
                                           const std::string& source_path, const StepTypeRegistry& types);

}  // namespace grove::pipeline
