#include "app/promotion_run.h"

namespace grove::app {

namespace {

Json StageJson(const PromotionStage& s, bool iso) {
  return {{"stage", s.stage}, {"status", s.status}, {"by", s.by},
          {"at", iso ? Json(FormatIso8601(s.at)) : Json(s.at)}, {"detail", s.detail}};
}

Json RunJson(const PromotionRun& run, bool iso) {
  auto time = [iso](TimeMs t) { return iso ? (t > 0 ? Json(FormatIso8601(t)) : Json()) : Json(t); };
  Json stages = Json::array();
  for (const PromotionStage& s : run.stages) stages.push_back(StageJson(s, iso));
  return {{"flow", run.flow},         {"id", run.id},
          {"group", run.group},       {"version", run.version},
          {"staging", run.staging},   {"production", run.production},
          {"status", run.status},     {"started_at", time(run.started_at)},
          {"ended_at", time(run.ended_at)}, {"event_seq", run.event_seq},
          {"stages", stages}};
}

}  // namespace

Json ToJson(const PromotionRun& run) { return RunJson(run, false); }

Json PromotionRunView(const PromotionRun& run) { return RunJson(run, true); }

Result<PromotionRun> PromotionRunFromJson(const Json& body) {
  if (!body.is_object()) return Status::Internal("a promotion run is not a JSON object: " + body.dump());
  try {
    PromotionRun run;
    run.flow = body.at("flow").get<std::string>();
    run.id = body.at("id").get<int64_t>();
    run.group = body.at("group").get<std::string>();
    run.version = body.at("version").get<int>();
    run.staging = body.at("staging").get<std::string>();
    run.production = body.at("production").get<std::string>();
    run.status = body.at("status").get<std::string>();
    run.started_at = body.at("started_at").get<TimeMs>();
    run.ended_at = body.value("ended_at", TimeMs{0});
    run.event_seq = body.value("event_seq", int64_t{0});
    for (const Json& s : body.at("stages")) {
      run.stages.push_back({s.at("stage").get<std::string>(), s.at("status").get<std::string>(),
                            s.at("by").get<std::string>(), s.at("at").get<TimeMs>(),
                            s.at("detail").get<std::string>()});
    }
    return run;
  } catch (const Json::exception& e) {
    return Status::Internal(std::string("a promotion run's record is damaged: ") + e.what());
  }
}

}  // namespace grove::app
