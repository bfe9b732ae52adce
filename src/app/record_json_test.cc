#include "app/record_json.h"

#include <gtest/gtest.h>

namespace grove::app {
namespace {

std::vector<std::string> Keys(const Json& object) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.push_back(key);
  return keys;
}

// The field names docs/cli.md documents: fields may be added, never renamed.
TEST(RecordJsonTest, DocumentedFieldNamesStay) {
  EXPECT_EQ(Keys(ToJson(store::ExecutionRecord{})),
            (std::vector<std::string>{"id", "pipeline", "version", "status", "parameters", "failure_reason",
                                      "started_at", "ended_at", "duration_ms"}));
  EXPECT_EQ(Keys(ToJson(store::StepRunRecord{})),
            (std::vector<std::string>{"step", "type", "status", "attempts", "started_at", "ended_at", "duration_ms",
                                      "failure_reason", "cache_hit", "cache_hit_source", "cache_key", "outputs",
                                      "metadata", "log", "arguments"}));
  EXPECT_EQ(Keys(ToJson(store::ModelVersionRecord{})),
            (std::vector<std::string>{"group", "version", "approval_status", "approval_comment",
                                      "approval_changed_by", "approval_changed_at", "model", "metrics", "metadata",
                                      "execution_id", "step", "created_at"}));
  EXPECT_EQ(Keys(ToJson(store::TrialRecord{}, "Tune", true)),
            (std::vector<std::string>{"step", "execution_id", "number", "family", "hyperparameters", "fold_scores",
                                      "mean_score", "status", "duration_ms", "error", "best"}));
  serving::EndpointState state;
  state.models.push_back({"G", 2, true, {1, 2}, "Failed", "cannot load"});
  Json endpoint = ToJson(state);
  EXPECT_EQ(Keys(endpoint),
            (std::vector<std::string>{"name", "multi_model", "follow", "capture_percent", "status", "models", "variants"}));
  EXPECT_EQ(Keys(endpoint["models"][0]),
            (std::vector<std::string>{"name", "version", "pinned", "approved_versions", "state", "requests",
                                      "mean_latency_ms", "error"}));
  EXPECT_EQ(Keys(ToJson(store::PromotionRecord{})),
            (std::vector<std::string>{"id", "source", "target", "models", "by", "at", "comment", "test"}));
}

TEST(RecordJsonTest, AStepRunShowsTheArgumentsItRanWith) {
  store::StepRunRecord run;
  EXPECT_EQ(ToJson(run)["arguments"], Json::object());
  run.arguments = {{"train", "artifact:sha256:ab"}, {"hyperparameters", {{"num_round", 50}}}};
  EXPECT_EQ(ToJson(run)["arguments"], run.arguments);
}

TEST(RecordJsonTest, AServedModelShowsItsRequestsAndMeanLatency) {
  serving::EndpointState state;
  state.models.push_back({"G", 1, false, {1}, "NotLoaded", ""});
  Json idle = ToJson(state)["models"][0];
  EXPECT_EQ(idle["requests"], 0);
  EXPECT_EQ(idle["mean_latency_ms"], 0.0);
  state.models[0].requests = 4;
  state.models[0].latency_seconds = 0.01;
  Json busy = ToJson(state)["models"][0];
  EXPECT_EQ(busy["requests"], 4);
  EXPECT_DOUBLE_EQ(busy["mean_latency_ms"].get<double>(), 2.5);
}

TEST(RecordJsonTest, UnsetTimesAreNullAndDurationsNeedAnEnd) {
  store::ExecutionRecord running;
  running.started_at = 1000;
  Json j = ToJson(running);
  EXPECT_TRUE(j["ended_at"].is_null());
  EXPECT_TRUE(j["duration_ms"].is_null());
  running.ended_at = 3500;
  EXPECT_EQ(ToJson(running)["duration_ms"], 2500);
  EXPECT_EQ(ToJsonArray(std::vector<store::ExecutionRecord>{running, running}).size(), 2u);
}

}  // namespace
}  // namespace grove::app
