#include "cli/record_json.h"

namespace grove::cli {

namespace {
Json Time(TimeMs t) { return t > 0 ? Json(FormatIso8601(t)) : Json(); }
}  // namespace

Json ToJson(const store::PipelineRecord& r) {
  return {{"name", r.name}, {"description", r.description}, {"latest_version", r.latest_version},
          {"created_at", Time(r.created_at)}, {"updated_at", Time(r.updated_at)}};
}

Json ToJson(const store::ExecutionRecord& r) {
  return {{"id", r.id},
          {"pipeline", r.pipeline},
          {"version", r.version},
          {"status", r.status},
          {"parameters", r.parameters},
          {"failure_reason", r.failure_reason},
          {"started_at", Time(r.started_at)},
          {"ended_at", Time(r.ended_at)},
          {"duration_ms", r.ended_at > 0 ? Json(r.ended_at - r.started_at) : Json()}};
}

Json ToJson(const store::StepRunRecord& r) {
  return {{"step", r.step_name},
          {"type", r.step_type},
          {"status", r.status},
          {"attempts", r.attempts},
          {"started_at", Time(r.started_at)},
          {"ended_at", Time(r.ended_at)},
          {"duration_ms", r.ended_at > 0 ? Json(r.ended_at - r.started_at) : Json()},
          {"failure_reason", r.failure_reason},
          {"cache_hit", !r.cache_hit_source.empty()},
          {"cache_hit_source", r.cache_hit_source},
          {"cache_key", r.cache_key},
          {"outputs", r.outputs},
          {"metadata", r.metadata},
          {"log", r.log_digest}};
}

Json ToJson(const store::ModelGroupRecord& r) {
  return {{"name", r.name}, {"description", r.description}, {"versions", r.version_count},
          {"created_at", Time(r.created_at)}};
}

Json ToJson(const store::ModelVersionRecord& r) {
  return {{"group", r.group},
          {"version", r.version},
          {"approval_status", r.approval_status},
          {"approval_comment", r.approval_comment},
          {"approval_changed_by", r.approved_by},
          {"approval_changed_at", Time(r.approval_changed_at)},
          {"model", r.model_digest},
          {"metrics", r.metrics},
          {"metadata", r.metadata},
          {"execution_id", r.execution_id},
          {"step", r.step_name},
          {"created_at", Time(r.created_at)}};
}

}  // namespace grove::cli
