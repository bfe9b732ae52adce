#include "app/rollout.h"

#include <cmath>

#include "common/number_text.h"

namespace grove::app {

namespace {

Json AlarmsJson(const RolloutAlarms& a) {
  Json out = Json::object();
  if (a.max_error_rate >= 0) out["max_error_rate"] = a.max_error_rate;
  if (a.max_p99_ms >= 0) out["max_p99_ms"] = a.max_p99_ms;
  if (a.max_drift >= 0) out["max_drift"] = a.max_drift;
  out["min_requests"] = a.min_requests;
  return out;
}

RolloutAlarms AlarmsFromJson(const Json& j) {
  RolloutAlarms a;
  if (!j.is_object()) return a;
  a.max_error_rate = j.value("max_error_rate", -1.0);
  a.max_p99_ms = j.value("max_p99_ms", -1.0);
  a.max_drift = j.value("max_drift", -1.0);
  a.min_requests = j.value("min_requests", uint64_t{20});
  return a;
}

}  // namespace

std::vector<double> RolloutRecord::Shares() const {
  if (strategy != "linear") return {percent};
  std::vector<double> shares;
  for (int i = 1; i * percent < 100 - 1e-9; ++i) shares.push_back(i * percent);
  return shares;
}

void RolloutRecord::Log(TimeMs at, const std::string& message) {
  history.push_back({{"at", FormatIso8601(at)}, {"message", message}});
}

Json ToJson(const RolloutRecord& r) {
  return {{"endpoint", r.endpoint},
          {"group", r.group},
          {"from", r.from},
          {"to", r.to},
          {"strategy", r.strategy},
          {"percent", r.percent},
          {"bake_ms", r.bake_ms},
          {"alarms", AlarmsJson(r.alarms)},
          {"state", r.state},
          {"step", r.step},
          {"steps", r.Shares()},
          {"started_at", r.started_at},
          {"step_started_at", r.step_started_at},
          {"ended_at", r.ended_at},
          {"started_by", r.started_by},
          {"reason", r.reason},
          {"history", r.history}};
}

Result<RolloutRecord> RolloutFromJson(const Json& j) {
  if (!j.is_object()) return Status::InvalidArgument("rollout: expected an object");
  try {
    RolloutRecord r;
    r.endpoint = j.at("endpoint").get<std::string>();
    r.group = j.at("group").get<std::string>();
    r.from = j.at("from").get<int>();
    r.to = j.at("to").get<int>();
    r.strategy = j.at("strategy").get<std::string>();
    r.percent = j.at("percent").get<double>();
    r.bake_ms = j.at("bake_ms").get<TimeMs>();
    r.alarms = AlarmsFromJson(j.value("alarms", Json::object()));
    r.state = j.at("state").get<std::string>();
    r.step = j.value("step", size_t{0});
    r.started_at = j.value("started_at", TimeMs{0});
    r.step_started_at = j.value("step_started_at", TimeMs{0});
    r.ended_at = j.value("ended_at", TimeMs{0});
    r.started_by = j.value("started_by", "");
    r.reason = j.value("reason", "");
    r.history = j.value("history", Json::array());
    return r;
  } catch (const std::exception& e) {
    return Status::InvalidArgument(std::string("rollout: ") + e.what());
  }
}

Status ValidateRolloutSpec(const RolloutSpec& spec) {
  if (spec.strategy != "canary" && spec.strategy != "linear") {
    return Status::InvalidArgument("rollout strategy '" + spec.strategy + "': use canary or linear");
  }
  if (!(spec.percent > 0 && spec.percent < 100)) {
    return Status::InvalidArgument("rollout share " + ShortNumber(spec.percent) +
                                   "%: use a percentage above 0 and below 100");
  }
  if (spec.bake_ms < 0 || spec.bake_ms > 7LL * 24 * 3600 * 1000) {
    return Status::InvalidArgument("rollout bake time: use 0 to 7 days");
  }
  const RolloutAlarms& a = spec.alarms;
  if (a.max_error_rate > 1 || std::isnan(a.max_error_rate)) {
    return Status::InvalidArgument("error-rate alarm " + ShortNumber(a.max_error_rate) + ": use a rate from 0 to 1");
  }
  if (std::isnan(a.max_p99_ms) || std::isnan(a.max_drift)) {
    return Status::InvalidArgument("alarm thresholds must be numbers");
  }
  return Status::OK();
}

}  // namespace grove::app
