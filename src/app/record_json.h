#pragma once

// The JSON views of Grove's records: one shape per record, used by every
// `--json` output and by the HTTP API, so an object looks the same
// everywhere. docs/cli.md documents the shapes; fields may be added, never
// renamed. Times are ISO-8601 UTC strings, or null when unset.

#include <vector>

#include "app/artifacts.h"
#include "app/endpoints.h"
#include "app/executions.h"
#include "app/model_registry.h"
#include "app/pipelines.h"
#include "common/json.h"
#include "common/status.h"
#include "serving/endpoint_service.h"
#include "store/records.h"

namespace grove::app {

// {name, description, latest_version, created_at, updated_at}
Json ToJson(const store::PipelineRecord& r);
// {version, digest, source_path, created_at, body}
Json ToJson(const store::DefinitionRecord& r);
// {id, pipeline, version, status, parameters, failure_reason, started_at, ended_at, duration_ms}
Json ToJson(const store::ExecutionRecord& r);
// {step, type, status, attempts, started_at, ended_at, duration_ms, failure_reason, cache_hit,
//  cache_hit_source, cache_key, outputs, metadata, log, arguments}
Json ToJson(const store::StepRunRecord& r);
// {name, description, versions, created_at}
Json ToJson(const store::ModelGroupRecord& r);
// {group, version, approval_status, approval_comment, approval_changed_by, approval_changed_at,
//  model, metrics, metadata, execution_id, step, created_at}
Json ToJson(const store::ModelVersionRecord& r);
// {digest, uri, is_directory, size_bytes, created_at}
Json ToJson(const store::ArtifactRecord& r);
// {execution_id, step, role, name, digest}
Json ToJson(const store::ArtifactLink& r);
// {id, source, target, models: ["G/N", ...], by, at, comment, test}
Json ToJson(const store::PromotionRecord& r);
// {name, multi_model, follow, capture_percent, status,
//  models: [{name, version, pinned, approved_versions, state, requests, mean_latency_ms, error?}]}
// (requests and their mean latency since this process started, per version).
// A variant with its counters; a shadow's with its comparison against production.
Json ToJson(const serving::VariantState& variant);
Json ToJson(const serving::EndpointState& state);
// {step, execution_id, number, family, hyperparameters, fold_scores, mean_score, status, duration_ms,
//  error, best}: a tuning trial of step `step`, `best` when the step's search chose it.
Json ToJson(const store::TrialRecord& t, const std::string& step, bool best);

// {seq, at, kind, subject, payload}: an event of the metadata store's log.
Json ToJson(const store::EventRecord& e);

// Views of what the use cases return, built on the records' views.
// pipeline {name, ...} with "definition": the version described.
Json ToJson(const PipelineDescription& d);
// {pipeline, version, parameters: [{name, type, default?, enum?, description?}],
//  steps: [{name, type, depends_on, parent?, branch?}]}: what a console draws.
Json ToJson(const PipelineGraph& g);
// {pipeline, version, new_version}: a definition stored (`pipeline create`).
Json ToJson(const RegisteredDefinition& r);
// {id, pipeline, version}: an execution started.
Json ToJson(const StartedExecution& e);
// {step, status, log}: one step's log text.
Json ToJson(const StepLog& log);
// The output's artifact {digest, uri, ...} with "step" and "name".
Json ToJson(const StepOutput& output);
// Every trial of every step, flat, as `execution trials --json` prints them.
Json TrialsJson(const std::vector<StepTrials>& steps);
// {digest, report}: a version's evaluation report.
Json ToJson(const EvaluationReport& report);
// An endpoint's state with "promotions".
Json ToJson(const EndpointDescription& d);
// The artifact's record with "lineage" and "files" [{path, size_bytes}].
Json ToJson(const ArtifactInfo& info);

// An array of the views of `records`.
template <typename T>
Json ToJsonArray(const std::vector<T>& records) {
  Json out = Json::array();
  for (const T& r : records) out.push_back(ToJson(r));
  return out;
}

// The view of a use case's result (ToJson, or ToJsonArray of a list), or its error.
template <typename T>
Result<Json> ViewOf(const Result<T>& result) {
  if (!result.ok()) return result.status();
  return ToJson(*result);
}
template <typename T>
Result<Json> ViewOf(const Result<std::vector<T>>& result) {
  if (!result.ok()) return result.status();
  return ToJsonArray(*result);
}

}  // namespace grove::app
