#include "events/event_types.h"

#include <gtest/gtest.h>

namespace grove::events {
namespace {

store::EventRecord Event(const std::string& kind, const std::string& subject, Json payload) {
  return {7, 1'767'225'600'000, kind, subject, std::move(payload)};
}

TEST(EventTypes, MapsStoredKindsToPublicTypes) {
  EXPECT_EQ(PublicTypeOf(Event("model.created", "g/1", {})), "model.registered");
  EXPECT_EQ(PublicTypeOf(Event("model.approval", "g/1", {{"status", "Approved"}})), "model.approved");
  EXPECT_EQ(PublicTypeOf(Event("model.approval", "g/1", {{"status", "Rejected"}})), "model.rejected");
  EXPECT_EQ(PublicTypeOf(Event("model.approval", "g/1", {{"status", "PendingManualApproval"}})), std::nullopt);
  EXPECT_EQ(PublicTypeOf(Event("execution.created", "e", {})), "execution.started");
  EXPECT_EQ(PublicTypeOf(Event("execution.status", "e", {{"status", "Failed"}})), "execution.failed");
  EXPECT_EQ(PublicTypeOf(Event("execution.status", "e", {{"status", "Executing"}})), std::nullopt);
  EXPECT_EQ(PublicTypeOf(Event("endpoint.promoted", "prod", {})), "endpoint.updated");
  EXPECT_EQ(PublicTypeOf(Event("endpoint.updated", "prod", {})), "endpoint.updated");
  EXPECT_EQ(PublicTypeOf(Event("promotion.whatever", "x", {})), "promotion.whatever");
  EXPECT_EQ(PublicTypeOf(Event("quality.violation", "e", {})), "quality.violation");
  EXPECT_EQ(PublicTypeOf(Event("step.status", "e", {})), std::nullopt);
}

TEST(EventTypes, FlattensThePayload) {
  std::optional<Json> e = ToPublicEvent(
      Event("model.approval", "g/3", {{"group", "g"}, {"version", 3}, {"status", "Approved"}, {"type", "ignored"}}),
      nullptr);
  ASSERT_TRUE(e);
  EXPECT_EQ((*e)["type"], "model.approved");
  EXPECT_EQ((*e)["seq"], 7);
  EXPECT_EQ((*e)["at"], "2026-01-01T00:00:00.000Z");
  EXPECT_EQ((*e)["subject"], "g/3");
  EXPECT_EQ((*e)["group"], "g");
  EXPECT_EQ(FieldText(*e, "version"), "3");
  std::optional<Json> endpoint = ToPublicEvent(Event("endpoint.deployed", "prod", {{"group", "g"}}), nullptr);
  EXPECT_EQ((*endpoint)["endpoint"], "prod");
  EXPECT_EQ((*endpoint)["change"], "deployed");
}

TEST(EventTypes, Globs) {
  EXPECT_TRUE(GlobMatch("model.*", "model.approved"));
  EXPECT_TRUE(GlobMatch("*-model-registry", "abalone-model-registry"));
  EXPECT_TRUE(GlobMatch("a?c", "abc"));
  EXPECT_FALSE(GlobMatch("model.*", "execution.failed"));
  EXPECT_FALSE(GlobMatch("abc", "abcd"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(IsKnownEventPattern("model.*"));
  EXPECT_TRUE(IsKnownEventPattern("promotion.custom"));
  EXPECT_TRUE(IsKnownEventPattern("*"));
  EXPECT_FALSE(IsKnownEventPattern("model.aproved"));
  EXPECT_FALSE(IsKnownEventPattern("step.*"));
}

}  // namespace
}  // namespace grove::events
