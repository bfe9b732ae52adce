// AttemptResult <-> JSON, the form in which `grove step-run` reports an
// attempt to the process that owns the execution.
#include "pipeline/step_attempt.h"

namespace grove::pipeline {

Json AttemptResult::ToJson() const {
  Json artifacts_json = Json::array();
  for (const auto& a : artifacts) {
    artifacts_json.push_back({{"digest", a.digest}, {"uri", a.uri}, {"is_directory", a.is_directory},
                              {"size_bytes", a.size_bytes}, {"created_at", a.created_at}});
  }
  Json links_json = Json::array();
  for (const auto& l : links) {
    links_json.push_back({{"execution_id", l.execution_id}, {"step_name", l.step_name}, {"role", l.role},
                          {"name", l.name}, {"digest", l.digest}});
  }
  return {{"task_id", task_id},   {"status", status},           {"failure_reason", failure_reason},
          {"result", result.ToJson()}, {"cache_key", cache_key}, {"cache_hit_source", cache_hit_source},
          {"outputs", outputs},   {"metadata", metadata},       {"effects", effects},
          {"input_digests", input_digests}, {"arguments", arguments}, {"log_digest", log_digest},
          {"artifacts", artifacts_json}, {"links", links_json}};
}

Result<AttemptResult> AttemptResult::FromJson(const Json& j) {
  try {
    AttemptResult r;
    r.task_id = j.at("task_id").get<uint64_t>();
    r.status = j.at("status").get<std::string>();
    r.failure_reason = j.value("failure_reason", "");
    ASSIGN_OR_RETURN(r.result, StepResult::FromJson(j.value("result", Json::object())));
    r.cache_key = j.value("cache_key", "");
    r.cache_hit_source = j.value("cache_hit_source", "");
    r.outputs = j.value("outputs", Json::object());
    r.metadata = j.value("metadata", Json::object());
    r.effects = j.value("effects", Json());
    r.input_digests = j.value("input_digests", Json::object());
    r.arguments = j.value("arguments", Json());
    r.log_digest = j.value("log_digest", "");
    for (const Json& a : j.value("artifacts", Json::array())) {
      r.artifacts.push_back({a.at("digest").get<std::string>(), a.value("uri", ""), a.value("is_directory", false),
                             a.value("size_bytes", int64_t{0}), a.value("created_at", TimeMs{0})});
    }
    for (const Json& l : j.value("links", Json::array())) {
      r.links.push_back({l.at("execution_id").get<std::string>(), l.at("step_name").get<std::string>(),
                         l.at("role").get<std::string>(), l.at("name").get<std::string>(),
                         l.at("digest").get<std::string>()});
    }
    return r;
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("malformed step result: ") + e.what());
  }
}

}  // namespace grove::pipeline
