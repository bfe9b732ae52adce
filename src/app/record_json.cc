#include "app/record_json.h"

#include <cmath>

namespace grove::app {

namespace {
Json Time(TimeMs t) { return t > 0 ? Json(FormatIso8601(t)) : Json(); }
Json DurationMs(TimeMs start, TimeMs end) { return end > 0 ? Json(end - start) : Json(); }
}  // namespace

Json ToJson(const store::PipelineRecord& r) {
  return {{"name", r.name}, {"description", r.description}, {"latest_version", r.latest_version},
          {"created_at", Time(r.created_at)}, {"updated_at", Time(r.updated_at)}};
}

Json ToJson(const store::DefinitionRecord& r) {
  return {{"version", r.version}, {"digest", r.digest}, {"source_path", r.source_path},
          {"created_at", Time(r.created_at)}, {"body", r.body}};
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
          {"duration_ms", DurationMs(r.started_at, r.ended_at)}};
}

Json ToJson(const store::StepRunRecord& r) {
  return {{"step", r.step_name},
          {"type", r.step_type},
          {"status", r.status},
          {"attempts", r.attempts},
          {"started_at", Time(r.started_at)},
          {"ended_at", Time(r.ended_at)},
          {"duration_ms", DurationMs(r.started_at, r.ended_at)},
          {"failure_reason", r.failure_reason},
          {"cache_hit", !r.cache_hit_source.empty()},
          {"cache_hit_source", r.cache_hit_source},
          {"cache_key", r.cache_key},
          {"outputs", r.outputs},
          {"metadata", r.metadata},
          {"log", r.log_digest},
          {"arguments", r.arguments}};
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

Json ToJson(const store::ArtifactRecord& r) {
  return {{"digest", r.digest}, {"uri", r.uri}, {"is_directory", r.is_directory}, {"size_bytes", r.size_bytes},
          {"created_at", Time(r.created_at)}};
}

Json ToJson(const store::ArtifactLink& r) {
  return {{"execution_id", r.execution_id}, {"step", r.step_name}, {"role", r.role}, {"name", r.name},
          {"digest", r.digest}};
}

Json ToJson(const store::PromotionRecord& r) {
  Json models = Json::array();
  for (const auto& m : r.models) models.push_back(store::VersionRef(m.group, m.version));
  return {{"id", r.id},           {"source", r.source},        {"target", r.target},
          {"models", models},     {"by", r.promoted_by},       {"at", Time(r.promoted_at)},
          {"comment", r.comment}, {"test", r.test}};
}

Json ToJson(const serving::EndpointState& state) {
  Json models = Json::array();
  for (const serving::ServedModelState& m : state.models) {
    Json model = {{"name", m.group},
                  {"version", m.version},
                  {"pinned", m.pinned},
                  {"approved_versions", m.approved},
                  {"state", m.state},
                  {"requests", m.requests},
                  {"mean_latency_ms", m.requests > 0 ? m.latency_seconds * 1000 / double(m.requests) : 0.0}};
    if (!m.error.empty()) model["error"] = m.error;
    models.push_back(std::move(model));
  }
  Json variants = Json::array();
  for (const serving::VariantState& v : state.variants) variants.push_back(ToJson(v));
  return {{"name", state.name},
          {"multi_model", state.multi_model},
          {"follow", state.follow},
          {"capture_percent", state.capture_percent},
          {"status", state.status},
          {"models", std::move(models)},
          {"variants", std::move(variants)}};
}

Json ToJson(const serving::VariantState& v) {
  const serving::VariantCounters& c = v.counters;
  Json out = {{"name", v.name},
              {"model", v.model},
              {"requests", c.requests},
              {"errors", c.errors},
              {"error_rate", c.ErrorRate()},
              {"p50_ms", c.LatencyQuantileSeconds(0.5) * 1000},
              {"p99_ms", c.LatencyQuantileSeconds(0.99) * 1000},
              {"mean_prediction", c.ValueMean()}};
  if (!v.shadow) {
    out["weight"] = v.weight;
    return out;
  }
  out["shadow"] = true;
  Json differences = Json::array();
  for (size_t i = 0; i < serving::kDifferenceBuckets; ++i) {
    double bound = serving::DifferenceBucketBound(i);
    differences.push_back({{"le", std::isfinite(bound) ? Json(bound) : Json("+Inf")}, {"count", c.differences[i]}});
  }
  Json samples = Json::array();
  for (const serving::ShadowSample& s : v.samples) {
    samples.push_back({{"at", Time(s.at)}, {"rows", s.rows}, {"production", s.production}, {"shadow", s.shadow},
                       {"agreed", s.agreed}});
  }
  out["comparison"] = {{"compared_rows", c.compared},
                       {"agreement_rate", c.AgreementRate()},
                       {"dropped", c.dropped},
                       {"mean_abs_difference", c.compared == 0 ? 0.0 : c.difference_sum / double(c.compared)},
                       {"max_abs_difference", c.difference_max},
                       {"differences", std::move(differences)},
                       {"latest", std::move(samples)}};
  return out;
}

Json ToJson(const store::TrialRecord& t, const std::string& step, bool best) {
  return Json{{"step", step},
              {"execution_id", t.execution_id},
              {"number", t.number},
              {"family", t.family},
              {"hyperparameters", t.hyperparameters},
              {"fold_scores", t.fold_scores},
              {"mean_score", std::isfinite(t.mean_score) ? Json(t.mean_score) : Json()},
              {"status", t.status},
              {"duration_ms", t.duration_ms},
              {"error", t.error},
              {"best", best}};
}

Json ToJson(const store::EventRecord& e) {
  return {{"seq", e.seq}, {"at", Time(e.at)}, {"kind", e.kind}, {"subject", e.subject}, {"payload", e.payload}};
}

Json ToJson(const PipelineDescription& d) {
  Json out = ToJson(d.pipeline);
  out["definition"] = ToJson(d.definition);
  return out;
}

Json ToJson(const PipelineGraph& g) {
  Json parameters = Json::array();
  for (const pipeline::ParameterDef& p : g.parameters) {
    Json param = {{"name", p.name}, {"type", pipeline::ParamTypeName(p.type)}};
    if (p.default_value) param["default"] = *p.default_value;
    if (!p.enum_values.empty()) param["enum"] = p.enum_values;
    if (!p.description.empty()) param["description"] = p.description;
    parameters.push_back(std::move(param));
  }
  Json steps = Json::array();
  for (const GraphStep& s : g.steps) {
    Json step = {{"name", s.name}, {"type", s.type}, {"depends_on", s.depends_on}};
    if (!s.parent.empty()) step["parent"] = s.parent;
    if (!s.branch.empty()) step["branch"] = s.branch;
    steps.push_back(std::move(step));
  }
  return {{"pipeline", g.pipeline}, {"version", g.version}, {"parameters", parameters}, {"steps", steps}};
}

Json ToJson(const RegisteredDefinition& r) {
  return {{"pipeline", r.definition.name}, {"version", r.version}, {"new_version", r.new_version}};
}

Json ToJson(const StartedExecution& e) { return {{"id", e.id}, {"pipeline", e.pipeline}, {"version", e.version}}; }

Json ToJson(const StepLog& log) {
  return {{"step", log.run.step_name}, {"status", log.run.status}, {"log", log.text}};
}

Json ToJson(const StepOutput& output) {
  Json out = ToJson(output.artifact);
  out["step"] = output.step;
  out["name"] = output.name;
  return out;
}

Json TrialsJson(const std::vector<StepTrials>& steps) {
  Json out = Json::array();
  for (const StepTrials& s : steps) {
    for (const store::TrialRecord& t : s.trials) out.push_back(ToJson(t, s.step, t.number == s.best));
  }
  return out;
}

Json ToJson(const EvaluationReport& report) { return {{"digest", report.digest}, {"report", report.report}}; }

Json ToJson(const EndpointDescription& d) {
  Json out = ToJson(d.state);
  out["promotions"] = ToJsonArray(d.promotions);
  return out;
}

Json ToJson(const ArtifactInfo& info) {
  Json out = ToJson(info.record);
  out["lineage"] = ToJsonArray(info.lineage);
  Json files = Json::array();
  for (const ArtifactFile& f : info.files) files.push_back({{"path", f.path}, {"size_bytes", f.size_bytes}});
  out["files"] = std::move(files);
  return out;
}

}  // namespace grove::app
